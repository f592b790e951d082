package dev.holdfast.jakarta.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.jakarta.testing.Databases;
import dev.holdfast.jakarta.testing.JerseyServer;
import dev.holdfast.jakarta.testing.TestEngine;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator webhook API over real HTTP. */
class WebhookResourceHttpTest {
    TestEngine holdfast;
    WebhookService service;
    WebhookDeliveryWorker worker;
    JerseyServer server;
    Receiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        DataSource ds = Databases.h2();
        WebhookRepository repository = new WebhookRepository(ds);
        WebhookFanOut[] fanOut = new WebhookFanOut[1];
        holdfast = new TestEngine(m -> fanOut[0].deliver(m));
        fanOut[0] = new WebhookFanOut(repository, holdfast.clock);
        WebhookConfig config = WebhookConfig.defaults();
        service = new WebhookService(repository, WebhookDeliveryTest.CIPHER, holdfast.clock, config);
        worker = new WebhookDeliveryWorker(
                repository, service, holdfast.clock, config, HttpClient.newHttpClient(), () -> 0.5);
        server = new JerseyServer(new WebhookResource(service, JerseyServer.CALLERS));
        receiver = new Receiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        server.close();
        holdfast.close();
    }

    private HttpResponse<String> call(String method, String path, String caller, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + "holdfast/v1/webhooks" + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (caller != null) {
            b.header(JerseyServer.CALLER_HEADER, caller);
        }
        // a client per call: here a reused kept-alive connection failed once after a POST with a body
        // (cause not investigated); fresh connections keep the test about the API
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject object(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    @Test
    void operatorsRegisterSeeTheSecretOnceRotateAndRedeliver() throws Exception {
        HttpResponse<String> created = call(
                "POST",
                "",
                "operator",
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"EscrowCreated\"],\"description\":\"shop\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonObject body = object(created);
        String secret = body.getString("secret");
        String id = body.getJsonObject("endpoint").getString("id");
        assertThat(secret).startsWith("whsec_");
        assertThat(created.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/holdfast/v1/webhooks/" + id));

        HttpResponse<String> list = call("GET", "", "operator", null);
        HttpResponse<String> one = call("GET", "/" + id, "operator", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Json.createReader(new StringReader(list.body())).readArray()).hasSize(1);
        assertThat(object(one).getString("url")).isEqualTo(receiver.url());
        for (HttpResponse<String> r : new HttpResponse[] {list, one}) {
            assertThat(r.body())
                    .doesNotContain(secret)
                    .doesNotContain("secret\"")
                    .doesNotContain("k1:");
        }

        holdfast.createEscrow(1000);
        holdfast.engine.runDueWork();
        worker.runOnce();
        JsonArray deliveries = Json.createReader(new StringReader(
                        call("GET", "/" + id + "/deliveries", "operator", null).body()))
                .readArray();
        assertThat(deliveries).hasSize(1);
        JsonObject d = deliveries.getJsonObject(0);
        assertThat(d.getString("status")).isEqualTo("DELIVERED");
        assertThat(d.getJsonArray("attemptLog")).hasSize(1);
        assertThat(d.getJsonArray("attemptLog").getJsonObject(0).getInt("httpStatus"))
                .isEqualTo(200);
        String request = receiver.requests().get(0).header("Holdfast-Signature");
        assertThat(new WebhookVerifier(
                                java.util.List.of(secret),
                                Duration.ofMinutes(5),
                                java.time.Clock.fixed(holdfast.clock.instant(), java.time.ZoneOffset.UTC))
                        .isValid(request, receiver.requests().get(0).body()))
                .isTrue();

        HttpResponse<String> redelivered =
                call("POST", "/" + id + "/deliveries/" + d.getString("id") + "/redeliver", "operator", null);
        assertThat(redelivered.statusCode()).isEqualTo(200);
        assertThat(object(redelivered).getString("status")).isEqualTo("PENDING");
        worker.runOnce();
        assertThat(receiver.requests()).hasSize(2);

        HttpResponse<String> rotated = call("POST", "/" + id + "/rotate-secret", "operator", "{}");
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(object(rotated).getString("secret")).startsWith("whsec_").isNotEqualTo(secret);

        assertThat(object(call("POST", "/" + id + "/disable", "operator", null)).getBoolean("enabled"))
                .isFalse();
        assertThat(call("DELETE", "/" + id, "operator", null).statusCode()).isEqualTo(204);
        assertThat(call("GET", "/" + id, "operator", null).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyOperatorsManageWebhooksAndBadInputIsRefused() throws Exception {
        assertThat(call("GET", "", "alice", null).statusCode()).isEqualTo(403);
        assertThat(call("GET", "", "alice", null).body()).contains("OPERATOR_REQUIRED");
        assertThat(call("POST", "", "alice", "{\"url\":\"https://x.example/h\"}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(call("GET", "", null, null).statusCode()).isEqualTo(401);
        assertThat(service.list()).isEmpty();

        HttpResponse<String> bad = call("POST", "", "operator", "{\"url\":\"ftp://x.example/h\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("INVALID_REQUEST");
        assertThat(call("GET", "/whe_nope", "operator", null).body()).contains("WEBHOOK_NOT_FOUND");
    }
}
