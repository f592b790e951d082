package dev.holdfast.stellar.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.ClaimClaimableBalanceOperation;
import org.stellar.sdk.Claimant;
import org.stellar.sdk.CreateAccountOperation;
import org.stellar.sdk.CreateClaimableBalanceOperation;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Predicate;
import org.stellar.sdk.SetOptionsOperation;
import org.stellar.sdk.Signer;
import org.stellar.sdk.StrKey;
import org.stellar.sdk.Transaction;

/**
 * Decodes envelopes that the Java SDK built and the simulator accepted with the independent npm
 * {@code @stellar/stellar-base} (src/test/node): the hashes, signatures, pre-auth keys and claimable balance ids must be
 * the ones the simulator and the Java SDK used. Skipped where node/npm are not installed.
 */
class StellarBaseCrossCheckIT extends SimulatorTestBase {
    private static final Path NODE_DIR = Path.of("src", "test", "node");

    @Test
    void stellarBaseAgreesOnHashesSignaturesAndClaimableBalanceIds() throws Exception {
        assumeTrue(installCheckers(), "node/npm not available");
        KeyPair buyer = sim.createFundedAccount();
        KeyPair seller = sim.createFundedAccount();
        KeyPair escrow = KeyPair.random();
        Transaction create = signed(buyer, new CreateAccountOperation.Builder(escrow.getAccountId(), "100").build());
        assertThat(codes(submit(create))).isEqualTo("success");
        Transaction setup = builder(escrow.getAccountId())
                .addOperation(new SetOptionsOperation.Builder()
                        .setSigner(Signer.ed25519PublicKey(buyer), 1)
                        .build())
                .addOperation(new SetOptionsOperation.Builder()
                        .setSigner(Signer.ed25519PublicKey(seller), 1)
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
        Transaction release = builder(escrow.getAccountId())
                .addOperation(pay(seller.getAccountId(), XLM, "50"))
                .build();
        release.sign(buyer);
        release.sign(seller);
        assertThat(codes(submit(release))).isEqualTo("success");
        Transaction claimable = signed(
                buyer,
                new CreateClaimableBalanceOperation.Builder(
                                "10",
                                XLM,
                                List.of(new Claimant(
                                        seller.getAccountId(), new Predicate.AbsBefore(EPOCH.getEpochSecond() + 60))))
                        .build());
        assertThat(codes(submit(claimable))).isEqualTo("success");
        String balanceId = claimable.getClaimableBalanceId(0);
        assertThat(codes(submit(seller, new ClaimClaimableBalanceOperation.Builder(balanceId).build())))
                .isEqualTo("success");

        List<Transaction> txs = List.of(create, setup, release, claimable);
        List<String> signers = List.of(buyer.getAccountId(), seller.getAccountId(), escrow.getAccountId());
        List<JsonObject> decoded = check(txs, signers);

        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            JsonObject d = decoded.get(i);
            assertThat(d.get("hash").getAsString()).isEqualTo(tx.hashHex());
            assertThat(d.get("preAuth").getAsString()).isEqualTo(StrKey.encodePreAuthTx(tx.hash()));
            assertThat(d.get("sequence").getAsString()).isEqualTo(Long.toString(tx.getSequenceNumber()));
            // The simulator stored each under the same hash.
            assertThat(server.transactions().transaction(tx.hashHex()).getSuccessful())
                    .isTrue();
        }
        assertThat(strings(decoded.get(2).getAsJsonArray("verified")))
                .containsExactly(buyer.getAccountId(), seller.getAccountId());
        assertThat(strings(decoded.get(1).getAsJsonArray("verified"))).containsExactly(escrow.getAccountId());
        assertThat(decoded.get(3).getAsJsonArray("balanceIds").get(0).getAsString())
                .isEqualTo(balanceId);
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private List<JsonObject> check(List<Transaction> txs, List<String> signers) throws Exception {
        StringBuilder input = new StringBuilder();
        for (Transaction tx : txs) {
            JsonObject req = new JsonObject();
            req.addProperty("envelope", tx.toEnvelopeXdrBase64());
            req.addProperty("passphrase", network.getNetworkPassphrase());
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
        assertThat(result).hasSize(txs.size());
        return result;
    }

    private static boolean installCheckers() throws IOException, InterruptedException {
        if (Files.isDirectory(
                NODE_DIR.resolve("node_modules").resolve("@stellar").resolve("stellar-base"))) {
            return true;
        }
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(NODE_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return npm.waitFor(120, TimeUnit.SECONDS) && npm.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
