package dev.holdfast.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test host WAR on a managed Open Liberty, driven over HTTP only with the host's basic-auth users: readiness
 * (database and rail), a whole escrow through the plugin's REST API on the sandbox rail, problem+json, the
 * authorization matrix, the rail callback endpoint without credentials, OpenAPI and metrics. Runs once per server
 * (H2, PostgreSQL): see the {@code liberty} profile.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LibertyHostIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @ArquillianResource
    URL app;

    @Deployment(testable = false)
    static WebArchive host() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("holdfast.it.war")));
    }

    // ------------------------------------------------------------------------------------------ HTTP helpers

    private URI server(String path) {
        return URI.create("http://" + app.getHost() + ":" + app.getPort() + path);
    }

    private URI api(String path) {
        return URI.create(app.toString().replaceAll("/$", "") + "/api/" + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder as(String user, URI uri) {
        String token = Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri)
                .header("Authorization", "Basic " + token)
                .header("Idempotency-Key", UUID.randomUUID().toString());
    }

    private HttpResponse<String> get(String user, String path) throws Exception {
        return send(as(user, api(path)));
    }

    private HttpResponse<String> post(String user, String path, String json) throws Exception {
        HttpRequest.Builder b = as(user, api(path));
        if (json == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }

    private static String createBody(String buyer, String seller, long cents) {
        Instant now = Instant.now();
        return """
                {"buyer":"%s","seller":"%s","rail":"sandbox","amount":{"minor":%d,"asset":"USD","scale":2},
                 "milestones":[{"id":"m1","title":"work","amountMinor":%d,"deliverBy":"%s"}],
                 "fundBy":"%s","inspectionPeriod":"P3D","disputeWindow":"P7D",
                 "sellerPayout":{"kind":"RAIL_ADDRESS","address":"sandbox:%s"},"reference":"it","metadata":{}}
                """
                .formatted(
                        buyer,
                        seller,
                        cents,
                        cents,
                        now.plus(Duration.ofDays(10)),
                        now.plus(Duration.ofDays(1)),
                        seller);
    }

    private static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(field(r.body(), "code")).isEqualTo(code);
    }

    /** alice buys from bob; answers the escrow id and its funding transfer. */
    private String[] createAsAlice(long cents) throws Exception {
        HttpResponse<String> created = post("alice", "holdfast/v1/escrows", createBody("alice", "bob", cents));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new String[] {field(created.body(), "id"), field(created.body(), "fundingTransfer")};
    }

    private long paidToBob() throws Exception {
        return Long.parseLong(
                field(get("ops", "test/sandbox/paid-to/sandbox:bob").body(), "minor"));
    }

    // ------------------------------------------------------------------------------------------ tests

    @Test
    void readinessIsUpWithTheDatabaseAndTheSandboxRail() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server("/health/ready")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .contains("\"holdfast\"")
                .contains("\"store\":\"JPA\"")
                .contains("\"database\":\"UP\"")
                .contains("\"rail.sandbox\":\"UP\"");
    }

    @Test
    void anEscrowRunsFromCreationToTheSellerBeingPaidOverTheRestApi() throws Exception {
        long paidBefore = paidToBob();
        String[] created = createAsAlice(25_000);
        String id = created[0];
        assertThat(field(get("alice", "holdfast/v1/escrows/" + id).body(), "status"))
                .isEqualTo("AWAITING_FUNDING");

        assertThat(post("alice", "test/sandbox/fund/" + created[1], null).body())
                .contains("\"paid\":true");
        assertThat(field(get("bob", "holdfast/v1/escrows/" + id).body(), "status"))
                .isEqualTo("FUNDED");

        HttpResponse<String> delivered = post("bob", "holdfast/v1/escrows/" + id + "/delivered", null);
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
        HttpResponse<String> accepted = post("alice", "holdfast/v1/escrows/" + id + "/accept?milestone=m1", null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(field(accepted.body(), "status")).isEqualTo("RELEASED");
        assertThat(paidToBob() - paidBefore).isEqualTo(25_000);

        // What the database kept: the history as the REST API reads it back.
        HttpResponse<String> history = get("alice", "holdfast/v1/escrows/" + id + "/history");
        assertThat(history.statusCode()).isEqualTo(200);
        assertThat(history.body())
                .contains("\"type\":\"EscrowFunded\"")
                .contains("\"type\":\"PayoutSucceeded\"")
                .contains("\"status\":\"RELEASED\"");
    }

    @Test
    void badInputIsAnsweredWithProblemJson() throws Exception {
        String noBuyer = createBody("alice", "bob", 100).replace("\"buyer\":\"alice\",", "");
        assertProblem(post("alice", "holdfast/v1/escrows", noBuyer), 400, "INVALID_REQUEST");
        assertProblem(get("alice", "holdfast/v1/escrows/esc_nope"), 404, "ESCROW_NOT_FOUND");
        assertProblem(send(HttpRequest.newBuilder(api("holdfast/v1/rails/nope/callback"))), 404, "RAIL_NOT_FOUND");
    }

    @Test
    void theAuthorizationMatrixHoldsOverHttp() throws Exception {
        String id = createAsAlice(1_000)[0];
        String escrow = "holdfast/v1/escrows/" + id;
        // Reading: the parties and the operator see it; anyone else is told it does not exist.
        assertThat(get("alice", escrow).statusCode()).isEqualTo(200);
        assertThat(get("bob", escrow).statusCode()).isEqualTo(200);
        assertThat(get("ops", escrow).statusCode()).isEqualTo(200);
        assertProblem(get("mallory", escrow), 404, "ESCROW_NOT_FOUND");
        assertProblem(get("carol", escrow), 404, "ESCROW_NOT_FOUND");
        // Acting: only the right party; a stranger still learns nothing.
        assertProblem(post("mallory", escrow + "/cancel", "{\"reason\":\"mine now\"}"), 404, "ESCROW_NOT_FOUND");
        assertProblem(post("alice", escrow + "/delivered", null), 403, "PARTY_NOT_ALLOWED");
        // Creating: a party buys only for itself.
        assertProblem(
                post("mallory", "holdfast/v1/escrows", createBody("alice", "bob", 100)), 403, "PARTY_NOT_ALLOWED");
        // No credentials: the container refuses before the plugin runs.
        assertThat(send(HttpRequest.newBuilder(api(escrow))).statusCode()).isEqualTo(401);
    }

    @Test
    void railCallbacksNeedNoCredentialsAndTheSandboxSaysItTakesNone() throws Exception {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(api("holdfast/v1/rails/sandbox/callback/t-1?interact_ref=x&hash=y")));
        assertProblem(r, 404, "CALLBACK_UNSUPPORTED");
    }

    @Test
    void theOpenApiDocumentListsThePluginsPaths() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server("/openapi")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
                .contains("/holdfast/v1/escrows")
                .contains("/holdfast/v1/escrows/{escrowId}/accept")
                .contains("/holdfast/v1/rails/{rail}/callback")
                .contains("/holdfast/v1/webhooks")
                .contains("/holdfast/v1/events");
    }

    @Test
    void metricsShowRailCallsEscrowsByStatusAndTheBackgroundWork() throws Exception {
        createAsAlice(100);
        long deadline = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> r;
        do {
            r = send(HttpRequest.newBuilder(server("/metrics?scope=application")));
        } while (!r.body().contains("holdfast_rail_call") && System.nanoTime() < deadline);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .contains("holdfast_rail_call_seconds_count{mp_scope=\"application\",operation=\"openFunding\","
                        + "rail=\"sandbox\",status=\"PENDING\"")
                .contains("holdfast_escrows{mp_scope=\"application\",status=\"AWAITING_FUNDING\"")
                .contains("holdfast_rail_awaiting_outcome{mp_scope=\"application\",rail=\"sandbox\"")
                .contains("holdfast_work_passes")
                .contains("holdfast_webhook_attempts");
    }
}
