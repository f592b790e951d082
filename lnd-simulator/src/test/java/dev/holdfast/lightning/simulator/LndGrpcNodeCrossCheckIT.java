package dev.holdfast.lightning.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.json.Json;
import javax.json.JsonObject;
import javax.json.JsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lightningj.lnd.proto.LightningApi.Invoice.InvoiceState;

/**
 * Drives the simulator over TCP with TLS and its macaroon from a third-party gRPC client: {@code @grpc/grpc-js} with
 * the {@code .proto} files of LND that the npm {@code lightning} package ships (src/test/node/lnd-grpc-check.js). The
 * script runs AddHoldInvoice, LookupInvoice, SubscribeSingleInvoice (current state first), SettleInvoice,
 * CancelInvoice and SendPaymentV2 and checks every answer and LND error text; this test plays the buyer when the
 * script asks for a payment. Skipped where node is not installed.
 */
class LndGrpcNodeCrossCheckIT {
    private static final Path NODE_DIR = Path.of("src", "test", "node");
    private static final long SELLER_MSAT = 40_000_000;
    // The simulator's default routing fee: 1000 msat + 1000 ppm.
    private static final long EXPECTED_FEE_MSAT = 1_000 + SELLER_MSAT * 1_000 / 1_000_000;

    private LndSimulator sim;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        sim = LndSimulator.builder().tcp(0).dataDir(dir.resolve("lnd")).build().start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void grpcJsWithLndsOwnProtoFilesRunsTheHoldInvoiceAndPaymentFlows() throws Exception {
        assumeTrue(installCheckers(), "node/npm not available");
        String sellerInvoice = sim.createSellerInvoice(SELLER_MSAT);
        JsonObject config = Json.createObjectBuilder()
                .add("socket", "localhost:" + sim.port())
                .add("cert", Base64.getEncoder().encodeToString(Files.readAllBytes(sim.tlsCertPath())))
                .add("macaroon", sim.adminMacaroonHex())
                .add("expiredMacaroon", sim.adminMacaroonHexWithCaveat("time-before 2000-01-01T00:00:00Z"))
                .add("sellerInvoice", sellerInvoice)
                .add("sellerAmountMsat", Long.toString(SELLER_MSAT))
                .add("expectedFeeMsat", Long.toString(EXPECTED_FEE_MSAT))
                .build();

        Process node = new ProcessBuilder("node", "lnd-grpc-check.js")
                .directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        node.getOutputStream().write(config.toString().getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        List<JsonObject> lines = new ArrayList<>();
        List<InvoiceState> paid = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o;
                try (JsonReader reader = Json.createReader(new StringReader(line))) {
                    o = reader.readObject();
                }
                lines.add(o);
                if ("pay".equals(o.getString("event", ""))) {
                    paid.add(sim.payInvoiceAsBuyer(o.getString("paymentRequest")));
                }
            }
        } finally {
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }

        assertThat(node.exitValue()).as("lnd-grpc-check.js output: %s", lines).isZero();
        assertThat(lines.get(lines.size() - 1).getBoolean("ok")).isTrue();
        assertThat(lines)
                .extracting(o -> o.getString("step", ""))
                .contains(
                        "GetInfo",
                        "expired macaroon refused",
                        "AddHoldInvoice",
                        "LookupInvoice",
                        "ACCEPTED",
                        "SettleInvoice",
                        "CancelInvoice",
                        "SendPaymentV2",
                        "SendPaymentV2 again refused");
        assertThat(paid).containsExactly(InvoiceState.ACCEPTED);
        // What the client saw is what the node's books say.
        assertThat(sim.sellerInvoiceReceivedMsat(sellerInvoice)).isEqualTo(SELLER_MSAT);
        assertThat(sim.payments()).hasSize(1);
        assertThat(sim.payments().get(0).getFeeMsat()).isEqualTo(EXPECTED_FEE_MSAT);
    }

    private static boolean installCheckers() throws IOException, InterruptedException {
        Path modules = NODE_DIR.resolve("node_modules");
        if (Files.isDirectory(modules.resolve("lightning"))
                && Files.isDirectory(modules.resolve("@grpc").resolve("grpc-js"))
                && Files.isDirectory(modules.resolve("bolt11"))) {
            return true;
        }
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(NODE_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
