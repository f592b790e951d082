package dev.holdfast.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle against a scripted stand-in for the host: the right calls, fresh keys, errors never dropped. */
class LifecycleClientTest {
    private HttpServer server;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pollsBeforeReleased = new AtomicInteger();
    private volatile int deliveredStatus = 200;

    private LifecycleClient start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/holdfast/api/", this::answer);
        server.start();
        return new LifecycleClient(
                LifecycleClient.newHttpClient(),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/holdfast"));
    }

    private void answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath().substring("/holdfast/api/".length());
        String query = x.getRequestURI().getQuery();
        calls.add(x.getRequestMethod() + " " + path + (query == null ? "" : "?" + query) + " "
                + x.getRequestHeaders().getFirst("Authorization"));
        String key = x.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null || !keys.add(key)) {
            reply(x, 500, "{\"problem\":\"key missing or reused\"}");
            return;
        }
        x.getRequestBody().readAllBytes();
        if (path.equals("holdfast/v1/escrows")) {
            reply(
                    x,
                    201,
                    "{\"id\":\"esc_1\",\"version\":1,\"status\":\"AWAITING_FUNDING\",\"fundingTransfer\":\"tr_9\"}");
        } else if (path.equals("test/sandbox/fund/tr_9")) {
            reply(x, 200, "{\"paid\":true}");
        } else if (path.equals("holdfast/v1/escrows/esc_1/delivered")) {
            reply(x, deliveredStatus, "{\"id\":\"esc_1\",\"status\":\"FUNDED\"}");
        } else if (path.equals("holdfast/v1/escrows/esc_1/accept")) {
            reply(x, 200, "{\"id\":\"esc_1\",\"status\":\"FUNDED\"}");
        } else if (path.equals("holdfast/v1/escrows/esc_1")) {
            String status = pollsBeforeReleased.getAndDecrement() > 0 ? "FUNDED" : "RELEASED";
            reply(x, 200, "{\"id\":\"esc_1\",\"status\":\"" + status + "\"}");
        } else {
            reply(x, 404, "{}");
        }
    }

    private static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void runsTheWholeLifecycleAsBuyerAndSellerAndWaitsForRelease() throws Exception {
        LifecycleClient client = start();
        pollsBeforeReleased.set(2);
        Metrics m = new Metrics();

        assertThat(client.run(0, System.nanoTime(), m)).isTrue();

        String alice = "Basic YWxpY2U6YWxpY2UtcHc="; // alice:alice-pw
        String bob = "Basic Ym9iOmJvYi1wdw=="; // bob:bob-pw
        assertThat(calls)
                .containsExactly(
                        "POST holdfast/v1/escrows " + alice,
                        "POST test/sandbox/fund/tr_9 " + alice,
                        "POST holdfast/v1/escrows/esc_1/delivered " + bob,
                        "POST holdfast/v1/escrows/esc_1/accept?milestone=m1 " + alice,
                        "GET holdfast/v1/escrows/esc_1 " + alice,
                        "GET holdfast/v1/escrows/esc_1 " + alice,
                        "GET holdfast/v1/escrows/esc_1 " + alice);
        assertThat(m.completed.sum()).isEqualTo(1);
        assertThat(m.totalErrors()).isZero();
        assertThat(m.polls.sum()).isEqualTo(3);
        assertThat(m.latencies()).containsKeys("create", "fund", "delivered", "accept", "get", Metrics.LIFECYCLE);
        assertThat(m.latencies().get("get").count()).isEqualTo(3);
    }

    @Test
    void aNon2xxAnswerIsCountedAsAnErrorAndEndsTheLifecycle() throws Exception {
        LifecycleClient client = start();
        deliveredStatus = 409;
        Metrics m = new Metrics();

        assertThat(client.run(0, System.nanoTime(), m)).isFalse();

        assertThat(m.failed.sum()).isEqualTo(1);
        assertThat(m.completed.sum()).isZero();
        assertThat(m.errors("delivered")).isEqualTo(1);
        assertThat(m.outcomes()).containsEntry("delivered 409", 1L).containsEntry("create 201", 1L);
        assertThat(m.firstErrors()).singleElement().asString().startsWith("delivered: 409");
        assertThat(m.latencies()).doesNotContainKey(Metrics.LIFECYCLE);
        assertThat(calls).noneMatch(c -> c.contains("/accept"));
    }
}
