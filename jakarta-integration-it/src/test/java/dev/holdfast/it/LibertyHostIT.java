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
 * The test host WAR on a managed Open Liberty, driven over HTTP only: readiness, a whole escrow on the sandbox rail,
 * problem+json, the rail callback endpoint without credentials, OpenAPI and metrics. Runs once per server (H2,
 * PostgreSQL), see the {@code liberty} profile.
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

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }

    @Test
    void readinessIsUpAndReportsTheStoreAndTheSandboxRail() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server("/health/ready")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .contains("\"holdfast\"")
                .contains("\"rail.sandbox\":\"UP\"")
                .contains("\"store\"");
    }

    @Test
    void anEscrowRunsFromCreationToTheSellerBeingPaidOnTheSandboxRail() throws Exception {
        HttpResponse<String> created = send(
                as("alice", api("test/escrows?seller=bob&amount=25000")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(field(created.body(), "status")).isEqualTo("AWAITING_FUNDING");
        String id = field(created.body(), "id");
        long paidBefore = Long.parseLong(
                field(send(as("ops", api("test/escrows/paid-to/sandbox:bob"))).body(), "minor"));

        HttpResponse<String> fund =
                send(as("alice", api("test/escrows/" + id + "/fund")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(fund.body()).contains("\"paid\":true");
        assertThat(awaitStatus(id, "FUNDED")).isTrue();

        HttpResponse<String> delivered =
                send(as("bob", api("test/escrows/" + id + "/deliver")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(200);
        HttpResponse<String> accepted =
                send(as("alice", api("test/escrows/" + id + "/accept")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);

        long deadline = System.nanoTime() + WAIT.toNanos();
        long paid = paidBefore;
        while (paid - paidBefore < 25_000 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            paid = Long.parseLong(field(
                    send(as("ops", api("test/escrows/paid-to/sandbox:bob"))).body(), "minor"));
        }
        assertThat(paid - paidBefore).isEqualTo(25_000);
        HttpResponse<String> end = send(as("alice", api("test/escrows/" + id)));
        assertThat(field(end.body(), "held")).isEqualTo("0");
        assertThat(field(end.body(), "milestone")).isEqualTo("RELEASED");
    }

    private boolean awaitStatus(String id, String status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (field(send(as("alice", api("test/escrows/" + id))).body(), "status")
                    .equals(status)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void badInputIsAnsweredWithProblemJson() throws Exception {
        HttpResponse<String> negative =
                send(as("alice", api("test/escrows?seller=bob&amount=-5")).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(negative.statusCode()).isBetween(400, 499);
        assertThat(negative.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(negative.body()).contains("\"code\"");

        HttpResponse<String> noSuchRail = send(HttpRequest.newBuilder(api("holdfast/v1/rails/nope/callback")));
        assertThat(noSuchRail.statusCode()).isEqualTo(404);
        assertThat(noSuchRail.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(field(noSuchRail.body(), "code")).isEqualTo("RAIL_NOT_FOUND");
    }

    @Test
    void railCallbacksNeedNoCredentialsAndTheSandboxSaysItTakesNone() throws Exception {
        HttpResponse<String> r =
                send(HttpRequest.newBuilder(api("holdfast/v1/rails/sandbox/callback/t-1?interact_ref=x&hash=y")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(field(r.body(), "code")).isEqualTo("CALLBACK_UNSUPPORTED");
        // ...while the rest of the API does need a user.
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(api("test/escrows/whatever")));
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void theOpenApiDocumentListsThePluginsPaths() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server("/openapi")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("/holdfast/v1/rails/{rail}/callback");
    }

    @Test
    void metricsShowRailCallsAndEscrowsByStatus() throws Exception {
        send(as("alice", api("test/escrows?seller=bob&amount=100")).POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> r = send(HttpRequest.newBuilder(server("/metrics?scope=application")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body())
                .contains("holdfast_rail_call")
                .contains("holdfast_escrows")
                .contains("holdfast_rail_awaiting_outcome")
                .contains("holdfast_work_passes");
    }
}
