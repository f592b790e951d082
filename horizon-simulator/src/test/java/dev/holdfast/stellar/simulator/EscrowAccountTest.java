package dev.holdfast.stellar.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.Account;
import org.stellar.sdk.AccountMergeOperation;
import org.stellar.sdk.CreateAccountOperation;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.SetOptionsOperation;
import org.stellar.sdk.Signer;
import org.stellar.sdk.TimeBounds;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.TransactionBuilder;
import org.stellar.sdk.TransactionPreconditions;
import org.stellar.sdk.requests.ErrorResponse;
import org.stellar.sdk.responses.AccountResponse;

/**
 * The multisig escrow account of the Stellar rail: master weight 0, buyer + seller + platform signers of weight 1,
 * every threshold 2, and a pre-signed recovery transaction authorised by a pre-auth-tx signer and time-bounded to the
 * deadline, sharing its sequence number with the release.
 */
class EscrowAccountTest extends SimulatorTestBase {
    private static final long DEADLINE = EPOCH.plus(Duration.ofDays(3)).getEpochSecond();

    KeyPair buyer;
    KeyPair seller;
    KeyPair platform;
    KeyPair escrow;
    Transaction recovery;

    @BeforeEach
    void openEscrow() throws Exception {
        buyer = sim.createFundedAccount();
        seller = sim.createFundedAccount();
        platform = sim.createFundedAccount();
        escrow = KeyPair.random();
        assertThat(codes(submit(buyer, new CreateAccountOperation.Builder(escrow.getAccountId(), "500").build())))
                .isEqualTo("success");
        long created = sim.sequenceNumber(escrow.getAccountId());

        // The recovery uses the sequence number after the setup transaction's, as the release will.
        recovery = new TransactionBuilder(new Account(escrow.getAccountId(), created + 1), network)
                .setBaseFee(100)
                .addPreconditions(TransactionPreconditions.builder()
                        .timeBounds(new TimeBounds(DEADLINE, 0))
                        .build())
                .addOperation(pay(buyer.getAccountId(), XLM, "400"))
                .build();

        Transaction setup = builder(escrow.getAccountId())
                .addOperation(signer(buyer, 1))
                .addOperation(signer(seller, 1))
                .addOperation(signer(platform, 1))
                .addOperation(new SetOptionsOperation.Builder()
                        .setSigner(Signer.preAuthTx(recovery), 2)
                        .build())
                .addOperation(new SetOptionsOperation.Builder()
                        .setMasterKeyWeight(0)
                        .setLowThreshold(2)
                        .setMediumThreshold(2)
                        .setHighThreshold(2)
                        .build())
                .build();
        setup.sign(escrow);
        assertThat(codes(submit(setup))).isEqualTo("success");
    }

    private static SetOptionsOperation signer(KeyPair who, int weight) {
        return new SetOptionsOperation.Builder()
                .setSigner(Signer.ed25519PublicKey(who), weight)
                .build();
    }

    private Transaction release(KeyPair... signers) throws Exception {
        Transaction tx = builder(escrow.getAccountId())
                .addOperation(pay(seller.getAccountId(), XLM, "400"))
                .build();
        for (KeyPair k : signers) {
            tx.sign(k);
        }
        return tx;
    }

    @Test
    void horizonShowsTheEscrowLayout() throws Exception {
        AccountResponse a = server.accounts().account(escrow.getAccountId());

        assertThat(a.getThresholds().getLowThreshold()).isEqualTo(2);
        assertThat(a.getThresholds().getMedThreshold()).isEqualTo(2);
        assertThat(a.getThresholds().getHighThreshold()).isEqualTo(2);
        assertThat(a.getSubentryCount()).isEqualTo(4);
        assertThat(Arrays.stream(a.getSigners()).map(s -> s.getKey() + "/" + s.getType() + "/" + s.getWeight()))
                .containsExactlyInAnyOrder(
                        buyer.getAccountId() + "/ed25519_public_key/1",
                        seller.getAccountId() + "/ed25519_public_key/1",
                        platform.getAccountId() + "/ed25519_public_key/1",
                        org.stellar.sdk.StrKey.encodePreAuthTx(recovery.hash()) + "/preauth_tx/2",
                        escrow.getAccountId() + "/ed25519_public_key/0");
    }

    @Test
    void aReleaseSignedByOnePartyIsBadAuthAndByTwoIsApplied() throws Exception {
        assertThat(codes(submit(release(seller)))).isEqualTo("tx_bad_auth");
        assertThat(codes(submit(release(escrow)))).isEqualTo("tx_bad_auth");
        assertThat(codes(submit(release(platform)))).isEqualTo("tx_bad_auth");

        assertThat(codes(submit(release(buyer, seller)))).isEqualTo("success");
        assertThat(balance(seller.getAccountId())).isEqualTo(100_000_000_000L + 4_000_000_000L);
    }

    @Test
    void withALowThresholdOfOneTheSingleSignatureFailsAtTheOperation() throws Exception {
        Transaction lower = builder(escrow.getAccountId())
                .addOperation(
                        new SetOptionsOperation.Builder().setLowThreshold(1).build())
                .build();
        lower.sign(buyer);
        lower.sign(platform);
        assertThat(codes(submit(lower))).isEqualTo("success");

        assertThat(codes(submit(release(seller)))).isEqualTo("tx_failed [op_bad_auth]");
        // Refused at validation: no fee was taken.
        assertThat(balance(escrow.getAccountId())).isEqualTo(5_000_000_000L - 500 - 100);
    }

    @Test
    void theRecoveryIsTooEarlyBeforeTheDeadlineAndAppliedAfterItWithoutAnySignature() throws Exception {
        assertThat(codes(submit(recovery))).isEqualTo("tx_too_early");

        sim.advance(Duration.ofDays(3));
        long buyerBefore = balance(buyer.getAccountId());
        assertThat(codes(submit(recovery))).isEqualTo("success");

        assertThat(balance(buyer.getAccountId())).isEqualTo(buyerBefore + 4_000_000_000L);
        // The pre-auth signer is spent.
        AccountResponse a = server.accounts().account(escrow.getAccountId());
        assertThat(a.getSubentryCount()).isEqualTo(3);
        assertThat(a.getSigners()).noneMatch(s -> s.getType().equals("preauth_tx"));
    }

    @Test
    void aReleaseConsumesTheSequenceNumberSoTheRecoveryIsBadSeq() throws Exception {
        assertThat(codes(submit(release(buyer, seller)))).isEqualTo("success");

        sim.advance(Duration.ofDays(4));

        assertThat(codes(submit(recovery))).isEqualTo("tx_bad_seq");
    }

    @Test
    void theRecoveryAfterTheDeadlineMakesTheReleaseBadSeq() throws Exception {
        Transaction release = release(buyer, seller); // signed before the deadline, submitted too late
        sim.advance(Duration.ofDays(3));
        assertThat(codes(submit(recovery))).isEqualTo("success");

        assertThat(codes(submit(release))).isEqualTo("tx_bad_seq");
    }

    @Test
    void aTransactionPastItsMaxTimeIsTooLate() throws Exception {
        Transaction tx = new TransactionBuilder(server.accounts().account(escrow.getAccountId()), network)
                .setBaseFee(100)
                .addPreconditions(TransactionPreconditions.builder()
                        .timeBounds(new TimeBounds(0, EPOCH.getEpochSecond() + 60))
                        .build())
                .addOperation(pay(seller.getAccountId(), XLM, "1"))
                .build();
        tx.sign(buyer);
        tx.sign(seller);
        sim.advance(Duration.ofMinutes(2));

        assertThat(codes(submit(tx))).isEqualTo("tx_too_late");
    }

    @Test
    void closingTheEscrowByMergeReturnsTheReserveAndTheAccountIsGone() throws Exception {
        long sellerBefore = balance(seller.getAccountId());
        long escrowBalance = balance(escrow.getAccountId());
        Transaction close = builder(escrow.getAccountId())
                .addOperation(new AccountMergeOperation.Builder(seller.getAccountId()).build())
                .build();
        close.sign(buyer);
        close.sign(seller);

        // Signers do not block a merge; the whole balance, reserve included, less the fee, goes to the seller.
        assertThat(codes(submit(close))).isEqualTo("success");
        assertThat(balance(seller.getAccountId())).isEqualTo(sellerBefore + escrowBalance - 100);
        assertThat(sim.accountExists(escrow.getAccountId())).isFalse();
        assertThatThrownBy(() -> server.accounts().account(escrow.getAccountId()))
                .isInstanceOf(ErrorResponse.class);
    }

    @Test
    void releasingMoreThanTheBalanceAboveTheMinimumIsUnderfunded() throws Exception {
        // 500 XLM less the setup fee; the minimum balance is (2 + 4 sub-entries) × 0.5 XLM = 3 XLM.
        Transaction tx = builder(escrow.getAccountId())
                .addOperation(pay(seller.getAccountId(), XLM, "497"))
                .build();
        tx.sign(buyer);
        tx.sign(seller);

        assertThat(codes(submit(tx))).isEqualTo("tx_failed [op_underfunded]");
    }
}
