package dev.holdfast.openpayments.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.json.Json;
import javax.json.JsonObject;
import javax.json.JsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Independent checks with Interledger's own npm packages (src/test/node): the signatures our signer makes verify with
 * {@code @interledger/http-signature-utils} {@code validateSignature}, and the simulator's responses validate against
 * the OpenAPI specs shipped in {@code @interledger/open-payments}, with {@code @interledger/openapi}. Skipped where
 * node is not installed.
 */
class OpenPaymentsNodeCrossCheckIT {
    static final Path NODE_DIR = Path.of("src", "test", "node");
    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-01-05T09:00:00Z"));
    private OpenPaymentsSimulator sim;

    @BeforeEach
    void start() throws IOException {
        sim = OpenPaymentsSimulator.builder()
                .clock(clock)
                .quoteFee(3, 50)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void interledgersOwnPackagesAcceptTheSignaturesAndTheResponseShapes() throws Exception {
        assumeTrue(installCheckers(), "node/npm not available");
        String escrow = sim.createWallet("escrow", "USD", 2, 0);
        String alice = sim.createWallet("alice", "USD", 2, 50_000);
        TestClient client = new TestClient(sim, "escrow", "holdfast-1", clock);
        List<JsonObject> jobs = new ArrayList<>();

        jobs.add(response("wallet-address-server", "/", "get", client.send("GET", alice, null, null, false)));
        jobs.add(response(
                "wallet-address-server",
                "/jwks.json",
                "get",
                client.send("GET", escrow + "/jwks.json", null, null, false)));
        TestClient.Answer grant = client.grant(
                sim.authServerUrl(), TestClient.access("incoming-payment", null, "create", "read", "list", "complete"));
        jobs.add(response("auth-server", "/", "post", grant));
        String token = TestClient.token(grant);
        TestClient.Answer ip = client.send(
                "POST",
                sim.baseUrl() + "/incoming-payments",
                token,
                Json.createObjectBuilder()
                        .add("walletAddress", escrow)
                        .add("incomingAmount", TestClient.amount(2_500, "USD", 2))
                        .add(
                                "expiresAt",
                                clock.instant().plus(Duration.ofHours(1)).toString())
                        .add("metadata", Json.createObjectBuilder().add("holdfast.transfer", "fund-1"))
                        .build());
        jobs.add(response("resource-server", "/incoming-payments", "post", ip));
        String ipId = ip.json().getString("id");
        jobs.add(response("resource-server", "/incoming-payments/{id}", "get", client.send("GET", ipId, token, null)));
        jobs.add(response(
                "resource-server",
                "/incoming-payments",
                "get",
                client.send(
                        "GET",
                        sim.baseUrl() + "/incoming-payments?wallet-address=" + escrow + "&first=5",
                        token,
                        null)));
        TestClient.Answer quoteGrant =
                client.grant(sim.authServerUrl(), TestClient.access("quote", alice, "create", "read"));
        TestClient.Answer quote = client.send(
                "POST",
                sim.baseUrl() + "/quotes",
                TestClient.token(quoteGrant),
                Json.createObjectBuilder()
                        .add("walletAddress", alice)
                        .add("receiver", ipId)
                        .add("method", "ilp")
                        .build());
        jobs.add(response("resource-server", "/quotes", "post", quote));
        TestClient.Answer rotated =
                client.send("POST", grant.json().getJsonObject("access_token").getString("manage"), token, null);
        jobs.add(response("auth-server", "/token/{id}", "post", rotated));
        jobs.addAll(client.signedRequests);

        List<JsonObject> results = check(jobs);

        assertThat(results).hasSize(jobs.size());
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).getBoolean("ok"))
                    .as("job %s: %s", jobs.get(i), results.get(i))
                    .isTrue();
        }
    }

    private static JsonObject response(String spec, String path, String method, TestClient.Answer answer) {
        return Json.createObjectBuilder()
                .add("kind", "response")
                .add("spec", spec)
                .add("path", path)
                .add("method", method)
                .add("status", answer.status())
                .add("body", answer.json())
                .build();
    }

    static boolean installCheckers() throws InterruptedException {
        if (Files.isDirectory(
                NODE_DIR.resolve("node_modules").resolve("@interledger").resolve("openapi"))) {
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

    static List<JsonObject> check(List<JsonObject> jobs) throws Exception {
        Process node = new ProcessBuilder("node", "check.js")
                .directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        StringBuilder in = new StringBuilder();
        jobs.forEach(j -> in.append(j).append('\n'));
        node.getOutputStream().write(in.toString().getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<JsonObject> results = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                try (JsonReader reader = Json.createReader(new StringReader(line))) {
                    results.add(reader.readObject());
                }
            }
        }
        return results;
    }
}
