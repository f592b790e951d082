package dev.holdfast.stellar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.AbstractTransaction;
import org.stellar.sdk.SetOptionsOperation;
import org.stellar.sdk.StrKey;
import org.stellar.sdk.Transaction;

/**
 * The envelopes the rail produces, decoded by the independent npm {@code @stellar/stellar-base} (the horizon-simulator
 * module's checker in its {@code src/test/node}): same hashes as the Java SDK, signatures that verify for exactly the
 * expected parties, and pre-auth signer keys in the funding transaction that name the recovery and cancel by their
 * stellar-base hashes. Skipped where node and the checker's packages are not installed.
 */
class StellarEnvelopesCrossCheckIT {
    private static final Path NODE_DIR = Path.of("..", "horizon-simulator", "src", "test", "node");

    @Test
    void stellarBaseAgreesOnTheRailsEnvelopes() throws Exception {
        assumeTrue(
                Files.isDirectory(NODE_DIR.resolve("node_modules/@stellar/stellar-base")),
                "run the horizon-simulator's StellarBaseCrossCheckIT (npm ci in its src/test/node) first");
        try (HorizonSimulatorFixture f = new HorizonSimulatorFixture(HorizonSimulatorFixture.USDC)) {
            var now = f.clock.instant();
            FundingRequest funding = new FundingRequest(
                    TransferId.of("x-fund"),
                    EscrowId.of("x-escrow"),
                    Money.of(20_000_000, HorizonSimulatorFixture.USDC),
                    HorizonSimulatorFixture.BUYER,
                    HorizonSimulatorFixture.SELLER,
                    now.plus(Duration.ofHours(1)),
                    now.plus(Duration.ofDays(2)),
                    Map.of());
            RailResult opened = f.rail.openFunding(funding);
            String fundingSigned = f.sign((PartyInstruction.SignTransaction) opened.instruction());
            assertThat(f.wallet.submitTransactionXdr(fundingSigned).isSuccess()).isTrue();
            assertThat(f.rail.query(funding.transferId()).status()).isEqualTo(RailStatus.SUCCEEDED);
            String escrow = f.log.find(funding.transferId()).orElseThrow().escrowAccount();
            String recovery = f.rail.recoveryEnvelope(funding.transferId()).orElseThrow();

            PayoutDestination.RailAddress seller = f.validDestination(Role.SELLER, null);
            PayoutRequest release = new PayoutRequest(
                    TransferId.of("x-release"),
                    PayoutKind.RELEASE,
                    funding.escrowId(),
                    funding.transferId(),
                    funding.seller(),
                    Money.of(19_000_000, HorizonSimulatorFixture.USDC),
                    Money.of(1_000_000, HorizonSimulatorFixture.USDC),
                    seller,
                    true);
            RailResult asked = f.rail.payout(release);
            String releaseSigned = f.sign((PartyInstruction.SignTransaction) asked.instruction());
            assertThat(f.rail.submitPartyResponse(release.transferId(), Role.BUYER, releaseSigned)
                            .status())
                    .isEqualTo(RailStatus.SUCCEEDED);

            List<String> signers =
                    List.of(f.buyer.getAccountId(), f.seller.getAccountId(), f.platform.getAccountId(), escrow);
            List<JsonObject> decoded = check(List.of(fundingSigned, releaseSigned, recovery), signers, f);

            Transaction fundingTx = parse(fundingSigned, f);
            Transaction releaseTx = parse(releaseSigned, f);
            Transaction recoveryTx = parse(recovery, f);
            assertThat(decoded.get(0).get("hash").getAsString()).isEqualTo(fundingTx.hashHex());
            assertThat(decoded.get(1).get("hash").getAsString()).isEqualTo(releaseTx.hashHex());
            assertThat(decoded.get(2).get("hash").getAsString()).isEqualTo(recoveryTx.hashHex());
            assertThat(strings(decoded.get(0).getAsJsonArray("verified")))
                    .containsExactlyInAnyOrder(escrow, f.buyer.getAccountId());
            assertThat(strings(decoded.get(1).getAsJsonArray("verified")))
                    .containsExactlyInAnyOrder(f.platform.getAccountId(), f.buyer.getAccountId());
            assertThat(strings(decoded.get(2).getAsJsonArray("verified"))).isEmpty();
            // The funding transaction names the recovery by the hash stellar-base computes for it.
            List<String> preAuthKeys = new ArrayList<>();
            for (var op : fundingTx.getOperations()) {
                if (op instanceof SetOptionsOperation so
                        && so.getSigner() != null
                        && so.getSigner().getPreAuthTx() != null) {
                    preAuthKeys.add(
                            StrKey.encodePreAuthTx(so.getSigner().getPreAuthTx().getUint256()));
                }
            }
            assertThat(preAuthKeys).contains(decoded.get(2).get("preAuth").getAsString());
            assertThat(f.wallet.transactions().transaction(releaseTx.hashHex()).getSuccessful())
                    .isTrue();
        }
    }

    private static Transaction parse(String xdr, HorizonSimulatorFixture f) throws Exception {
        return (Transaction) AbstractTransaction.fromEnvelopeXdr(xdr, f.sim.network());
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static List<JsonObject> check(List<String> envelopes, List<String> signers, HorizonSimulatorFixture f)
            throws Exception {
        StringBuilder input = new StringBuilder();
        for (String envelope : envelopes) {
            JsonObject req = new JsonObject();
            req.addProperty("envelope", envelope);
            req.addProperty("passphrase", f.sim.network().getNetworkPassphrase());
            JsonArray keys = new JsonArray();
            signers.forEach(keys::add);
            req.add("signers", keys);
            input.append(req).append('\n');
        }
        Process node = new ProcessBuilder("node", "verify-envelopes.js")
                .directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        node.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as("stellar-base output: %s", out).isZero();
        List<JsonObject> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                result.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        assertThat(result).hasSize(envelopes.size());
        return result;
    }
}
