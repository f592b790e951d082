package dev.holdfast.lightning.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.json.Json;
import javax.json.JsonObject;
import javax.json.JsonReader;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceResp;

/**
 * Decodes the simulator's payment requests with the independent npm {@code bolt11} package (src/test/node), which
 * also verifies each signature against the recovered payee key. Skipped where node is not installed.
 */
class Bolt11NodeCrossCheckIT extends SimulatorTestBase {
    private static final Path NODE_DIR = Path.of("src", "test", "node");

    @Test
    void theBolt11PackageDecodesHoldAndSellerInvoicesToTheSameTerms() throws Exception {
        assumeTrue(installCheckers(), "node/npm not available");
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp hold = addHold(preimage, 250_000_000L, 7_200, 144);
        byte[] oddPreimage = randomPreimage();
        AddHoldInvoiceResp odd = addHold(oddPreimage, 1_234_567L, 600, 40);
        String seller = sim.createSellerInvoice(40_000_000);
        String anyAmount = sim.createSellerInvoice(0);

        List<JsonObject> decoded =
                decode(List.of(hold.getPaymentRequest(), odd.getPaymentRequest(), seller, anyAmount));

        assertThat(decoded).allSatisfy(d -> assertThat(d.getBoolean("ok")).isTrue());
        JsonObject h = decoded.get(0);
        assertThat(h.getString("millisatoshis")).isEqualTo("250000000");
        assertThat(h.getString("payeeNodeKey")).isEqualTo(sim.identityPubkey());
        assertThat(h.getString("paymentHash")).isEqualTo(HexFormat.of().formatHex(SimulatedNode.sha256(preimage)));
        assertThat(h.getString("paymentSecret")).isEqualTo(HexFormat.of().formatHex(hold.getPaymentAddr()));
        assertThat(h.getString("description")).isEqualTo("escrow 42");
        assertThat(h.getInt("expireTime")).isEqualTo(7_200);
        assertThat(h.getInt("minFinalCltvExpiry")).isEqualTo(144);
        assertThat(h.getJsonNumber("timestamp").longValue()).isEqualTo(EPOCH.getEpochSecond());
        assertThat(h.getBoolean("paymentSecretRequired")).isTrue();
        assertThat(decoded.get(1).getString("millisatoshis")).isEqualTo("1234567");
        assertThat(decoded.get(2).getString("payeeNodeKey")).isEqualTo(sim.sellerNodePubkey());
        assertThat(decoded.get(2).getString("millisatoshis")).isEqualTo("40000000");
        assertThat(decoded.get(3).isNull("millisatoshis")).isTrue();
    }

    private static boolean installCheckers() throws IOException, InterruptedException {
        if (Files.isDirectory(NODE_DIR.resolve("node_modules").resolve("bolt11"))) {
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

    private static List<JsonObject> decode(List<String> paymentRequests) throws Exception {
        Process node = new ProcessBuilder("node", "decode-bolt11.js")
                .directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        node.getOutputStream().write(String.join("\n", paymentRequests).getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<JsonObject> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                try (JsonReader reader = Json.createReader(new StringReader(line))) {
                    result.add(reader.readObject());
                }
            }
        }
        assertThat(node.exitValue()).as("bolt11 decode output: %s", out).isZero();
        return result;
    }
}
