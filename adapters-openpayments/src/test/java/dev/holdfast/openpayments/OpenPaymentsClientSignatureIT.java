package dev.holdfast.openpayments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.holdfast.openpayments.internal.OpenPaymentsClient;
import dev.holdfast.openpayments.internal.OpenPaymentsClient.AccessToken;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.json.Json;
import javax.json.JsonObject;
import javax.json.JsonObjectBuilder;
import javax.json.JsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An independent check of the rail's own client: the requests {@link OpenPaymentsClient} really puts on the wire
 * (captured by a plain JDK HTTP server, headers as received) verify with Interledger's {@code validateSignature} from
 * npm {@code @interledger/http-signature-utils} (src/test/node), and the same verifier rejects them once tampered
 * with. Skipped where node/npm are not installed.
 */
class OpenPaymentsClientSignatureIT {
    private static final Path NODE_DIR = Path.of("src", "test", "node");

    private final List<Captured> captured = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String base;

    /** One request as it arrived: method, target URI, lower-case headers (first value), exact body. */
    private record Captured(String method, String url, Map<String, String> headers, String body) {}

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::capture);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void capture(HttpExchange ex) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String url = "http://" + headers.get("host") + ex.getRequestURI().toString();
        captured.add(new Captured(ex.getRequestMethod(), url, headers, body));
        byte[] answer = ("{\"access_token\":{\"value\":\"rotated\",\"manage\":\"" + base + "/auth/token/2\"}}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, answer.length);
        ex.getResponseBody().write(answer);
        ex.close();
    }

    @Test
    void signaturesMadeByTheRailsClientVerifyWithInterledgersValidateSignatureAndTamperedRequestsDoNot()
            throws Exception {
        assumeTrue(installChecker(), "node/npm not available");
        OpenPaymentsKeys keys = OpenPaymentsKeys.generate("holdfast-client-1");
        OpenPaymentsClient client = new OpenPaymentsClient(
                HttpClient.newHttpClient(),
                keys.privateKey(),
                keys.keyId(),
                base + "/escrow",
                Clock.systemUTC(),
                Duration.ofSeconds(5));
        AccessToken token = new AccessToken("tok-123", base + "/auth/token/1", Instant.MAX);

        // 1. a grant request: body, no Authorization; 2. a create: body and Authorization;
        // 3. a read: Authorization, no body; 4. a token rotation: Authorization, empty body.
        client.grant(
                base + "/auth/",
                Json.createArrayBuilder()
                        .add(Json.createObjectBuilder()
                                .add("type", "incoming-payment")
                                .add("actions", Json.createArrayBuilder().add("create")))
                        .build(),
                null,
                null);
        client.post(
                base + "/incoming-payments",
                token,
                Json.createObjectBuilder()
                        .add("walletAddress", base + "/escrow")
                        .add(
                                "incomingAmount",
                                Json.createObjectBuilder()
                                        .add("value", "2500")
                                        .add("assetCode", "USD")
                                        .add("assetScale", 2))
                        .add("metadata", Json.createObjectBuilder().add("note", "ünïcode & spaces"))
                        .build());
        client.get(base + "/incoming-payments/ip-1?x=1", token);
        client.rotate(token);
        assertThat(captured).hasSize(4);
        Captured grant = captured.get(0);
        Captured create = captured.get(1);
        Captured read = captured.get(2);
        Captured rotate = captured.get(3);
        assertThat(grant.headers()).doesNotContainKey("authorization").containsKeys("content-digest", "content-length");
        assertThat(grant.headers().get("signature-input"))
                .contains("\"content-digest\" \"content-length\" \"content-type\"")
                .doesNotContain("authorization");
        assertThat(create.headers())
                .containsEntry("authorization", "GNAP tok-123")
                .containsEntry("content-type", "application/json")
                .containsEntry(
                        "content-length", Integer.toString(create.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(create.headers().get("signature-input"))
                .startsWith("sig1=(\"@method\" \"@target-uri\" \"authorization\" \"content-digest\"")
                .contains("keyid=\"holdfast-client-1\"", "created=");
        assertThat(read.headers()).containsKey("authorization").doesNotContainKey("content-digest");
        assertThat(rotate.method()).isEqualTo("POST");

        JsonObject jwk = json(keys.jwk());
        List<JsonObject> jobs = new ArrayList<>();
        List<Boolean> expected = new ArrayList<>();
        for (Captured c : captured) {
            jobs.add(job(jwk, c.method(), c.url(), c.headers(), c.body()));
            expected.add(true);
        }
        // Tampered: one byte of the body (the digest no longer matches), the Authorization header, the target URI,
        // the method; and a genuine request checked against another key.
        jobs.add(job(
                jwk,
                create.method(),
                create.url(),
                create.headers(),
                create.body().replace("2500", "9500")));
        jobs.add(job(jwk, read.method(), read.url(), with(read.headers(), "authorization", "GNAP tok-999"), ""));
        jobs.add(job(jwk, grant.method(), grant.url().replace("/auth/", "/auth2/"), grant.headers(), grant.body()));
        jobs.add(job(jwk, "PUT", create.url(), create.headers(), create.body()));
        jobs.add(job(
                json(OpenPaymentsKeys.generate("holdfast-client-1").jwk()),
                create.method(),
                create.url(),
                create.headers(),
                create.body()));
        for (int i = 0; i < 5; i++) {
            expected.add(false);
        }

        List<JsonObject> results = check(jobs);

        assertThat(results).hasSize(jobs.size());
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).getBoolean("valid"))
                    .as("job %s: %s -> %s", i, jobs.get(i), results.get(i))
                    .isEqualTo(expected.get(i));
        }
    }

    private static JsonObject job(JsonObject jwk, String method, String url, Map<String, String> headers, String body) {
        JsonObjectBuilder h = Json.createObjectBuilder();
        headers.forEach(h::add);
        JsonObjectBuilder request =
                Json.createObjectBuilder().add("method", method).add("url", url).add("headers", h);
        if (!body.isEmpty()) {
            request.add("body", body);
        }
        return Json.createObjectBuilder()
                .add("jwk", jwk)
                .add("request", request)
                .build();
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new TreeMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static boolean installChecker() throws InterruptedException {
        if (Files.isDirectory(
                NODE_DIR.resolve("node_modules").resolve("@interledger").resolve("http-signature-utils"))) {
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

    private static List<JsonObject> check(List<JsonObject> jobs) throws Exception {
        Process node = new ProcessBuilder("node", "check-signatures.js")
                .directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        StringBuilder in = new StringBuilder();
        jobs.forEach(j -> in.append(j).append('\n'));
        node.getOutputStream().write(in.toString().getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).isZero();
        List<JsonObject> results = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                results.add(json(line));
            }
        }
        return results;
    }
}
