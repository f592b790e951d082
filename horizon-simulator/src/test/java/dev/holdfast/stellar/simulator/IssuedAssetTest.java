package dev.holdfast.stellar.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.AccountMergeOperation;
import org.stellar.sdk.Asset;
import org.stellar.sdk.ChangeTrustAsset;
import org.stellar.sdk.ChangeTrustOperation;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.SetOptionsOperation;
import org.stellar.sdk.Signer;
import org.stellar.sdk.responses.AccountResponse;

class IssuedAssetTest extends SimulatorTestBase {

    private static ChangeTrustOperation trust(Asset asset, String limit) {
        return new ChangeTrustOperation.Builder(ChangeTrustAsset.create(asset), limit).build();
    }

    @Test
    void holdersNeedATrustlineWithinItsLimit() throws Exception {
        KeyPair issuer = sim.issueAsset("USDC");
        Asset usdc = Asset.create("credit_alphanum4", "USDC", issuer.getAccountId());
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();

        assertThat(codes(submit(issuer, pay(alice.getAccountId(), usdc, "100"))))
                .isEqualTo("tx_failed [op_no_trust]");
        assertThat(codes(submit(alice, trust(usdc, "922337203685.4775807")))).isEqualTo("success");
        assertThat(codes(submit(issuer, pay(alice.getAccountId(), usdc, "100"))))
                .isEqualTo("success");
        assertThat(codes(submit(bob, trust(usdc, "50")))).isEqualTo("success");

        // Like core, the destination is checked before the source: a full line wins over an empty wallet.
        assertThat(codes(submit(alice, pay(bob.getAccountId(), usdc, "60")))).isEqualTo("tx_failed [op_line_full]");
        assertThat(codes(submit(alice, pay(bob.getAccountId(), usdc, "40")))).isEqualTo("success");
        assertThat(codes(submit(alice, pay(issuer.getAccountId(), usdc, "61"))))
                .isEqualTo("tx_failed [op_underfunded]");
        assertThat(codes(submit(bob, pay(KeyPair.random().getAccountId(), usdc, "1"))))
                .isEqualTo("tx_failed [op_no_destination]");

        assertThat(sim.balanceStroops(alice.getAccountId(), "USDC", issuer.getAccountId()))
                .isEqualTo(600_000_000L);
        AccountResponse b = server.accounts().account(bob.getAccountId());
        assertThat(b.getSubentryCount()).isEqualTo(1);
        assertThat(Arrays.stream(b.getBalances()).filter(x -> x.getAssetType().equals("credit_alphanum4")))
                .singleElement()
                .satisfies(x -> {
                    assertThat(x.getBalance()).isEqualTo("40.0000000");
                    assertThat(x.getLimit()).isEqualTo("50.0000000");
                    assertThat(x.getAssetCode()).contains("USDC");
                    assertThat(x.getAssetIssuer()).contains(issuer.getAccountId());
                });
    }

    @Test
    void aTrustlineOrSignerNeedsHalfALumenAboveTheMinimumBalance() throws Exception {
        KeyPair issuer = sim.issueAsset("EURT");
        Asset eurt = Asset.create("credit_alphanum4", "EURT", issuer.getAccountId());
        KeyPair poor = sim.createFundedAccount(10_400_000L); // 1.04 XLM: 0.04 above the minimum

        assertThat(codes(submit(poor, trust(eurt, "1000")))).isEqualTo("tx_failed [op_low_reserve]");
        assertThat(codes(submit(
                        poor,
                        new SetOptionsOperation.Builder()
                                .setSigner(Signer.ed25519PublicKey(KeyPair.random()), 1)
                                .build())))
                .isEqualTo("tx_failed [op_low_reserve]");
    }

    @Test
    void anAccountWithATrustlineCannotBeMergedUntilTheLineIsRemoved() throws Exception {
        KeyPair issuer = sim.issueAsset("USDC");
        Asset usdc = Asset.create("credit_alphanum4", "USDC", issuer.getAccountId());
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        submit(alice, trust(usdc, "1000"));
        submit(issuer, pay(alice.getAccountId(), usdc, "5"));

        assertThat(codes(submit(alice, new AccountMergeOperation.Builder(bob.getAccountId()).build())))
                .isEqualTo("tx_failed [op_has_sub_entries]");
        assertThat(codes(submit(alice, trust(usdc, "0")))).isEqualTo("tx_failed [op_invalid_limit]");
        assertThat(codes(submit(alice, pay(issuer.getAccountId(), usdc, "5"), trust(usdc, "0"))))
                .isEqualTo("success");
        assertThat(codes(submit(alice, new AccountMergeOperation.Builder(bob.getAccountId()).build())))
                .isEqualTo("success");
        assertThat(sim.accountExists(alice.getAccountId())).isFalse();
    }
}
