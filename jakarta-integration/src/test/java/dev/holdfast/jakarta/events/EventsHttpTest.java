package dev.holdfast.jakarta.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.EscrowView;
import dev.holdfast.jakarta.testing.JerseyServer;
import dev.holdfast.jakarta.testing.TestEngine;
import dev.holdfast.spi.OutboxMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event feed and the SSE stream over real HTTP (Jersey on the JDK HTTP server), with real engine events. */
class EventsHttpTest {
    TestEngine holdfast;
    EventFeed feed;
    EventStreamHub hub;
    JerseyServer server;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        holdfast = new TestEngine(null);
        feed = new EventFeed(holdfast.engine, holdfast.store);
        hub = new EventStreamHub(feed, new EventStreamConfig(Duration.ofMillis(50), Duration.ofMillis(200), 3, 2));
        server = new JerseyServer(new EventsResource(feed, hub, JerseyServer.CALLERS));
    }

    @AfterEach
    void tearDown() {
        server.close();
        hub.close();
        holdfast.close();
    }

    private List<OutboxMessage> outbox() {
        return holdfast.store.inTransaction(tx -> tx.outbox().read(0, 10_000));
    }

    private HttpResponse<String> get(String path, String caller) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path));
        if (caller != null) {
            b.header(JerseyServer.CALLER_HEADER, caller);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    private static List<Long> sequences(JsonObject page) {
        return page.getJsonArray("items").stream()
                .map(v -> v.asJsonObject().getJsonNumber("sequence").longValue())
                .toList();
    }

    @Test
    void operatorsPageThroughEveryEvent() throws Exception {
        holdfast.fund(holdfast.createEscrow(1000));
        holdfast.createEscrow(2000);
        List<OutboxMessage> all = outbox();
        assertThat(all).hasSizeGreaterThan(4);

        List<Long> seen = new ArrayList<>();
        long after = 0;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = get("holdfast/v1/events?limit=2&after=" + after, "operator");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonObject page = json(r);
            List<Long> s = sequences(page);
            if (s.isEmpty()) {
                assertThat(page.getJsonNumber("nextAfter").longValue()).isEqualTo(after);
                break;
            }
            assertThat(s).hasSizeLessThanOrEqualTo(2);
            seen.addAll(s);
            after = page.getJsonNumber("nextAfter").longValue();
            assertThat(after).isEqualTo(s.get(s.size() - 1));
        }
        assertThat(seen)
                .containsExactlyElementsOf(
                        all.stream().map(OutboxMessage::sequence).toList());

        JsonObject first = json(get("holdfast/v1/events?limit=1", "operator"))
                .getJsonArray("items")
                .getJsonObject(0);
        OutboxMessage m = all.get(0);
        assertThat(first.getString("eventId")).isEqualTo(m.eventId());
        assertThat(first.getString("type")).isEqualTo(m.type());
        assertThat(first.getString("subject")).isEqualTo(m.subject());
        // the payload is the event's JSON, nested, not a string
        assertThat(first.get("payload").getValueType()).isEqualTo(JsonValue.ValueType.OBJECT);
        assertThat(first.get("payload"))
                .isEqualTo(Json.createReader(new StringReader(m.payload())).readValue());
    }

    @Test
    void partiesReadOnlyTheirEscrowAndStrangersAreToldItDoesNotExist() throws Exception {
        EscrowView one = holdfast.fund(holdfast.createEscrow(1000));
        EscrowView two = holdfast.createEscrow(2000);
        String id = one.id().value();

        for (String party : List.of("alice", "bob")) {
            JsonObject page = json(get("holdfast/v1/events?escrow=" + id, party));
            assertThat(page.getJsonArray("items")).isNotEmpty().allSatisfy(v -> assertThat(
                            v.asJsonObject().getString("subject"))
                    .isEqualTo(id));
            assertThat(sequences(page))
                    .containsExactlyElementsOf(outbox().stream()
                            .filter(m -> m.subject().equals(id))
                            .map(OutboxMessage::sequence)
                            .toList());
        }
        // filtered pages move past other escrows' events
        JsonObject small =
                json(get("holdfast/v1/events?limit=1&escrow=" + two.id().value(), "alice"));
        assertThat(sequences(small)).hasSize(1);

        HttpResponse<String> stranger = get("holdfast/v1/events?escrow=" + id, "carol");
        HttpResponse<String> missing = get("holdfast/v1/events?escrow=esc_nope", "carol");
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(stranger.body()).isEqualTo(missing.body()).contains("ESCROW_NOT_FOUND");

        HttpResponse<String> everything = get("holdfast/v1/events", "alice");
        assertThat(everything.statusCode()).isEqualTo(403);
        assertThat(everything.body()).contains("OPERATOR_REQUIRED");
        assertThat(get("holdfast/v1/events", null).statusCode()).isEqualTo(401);
        assertThat(get("holdfast/v1/events?limit=0", "operator").statusCode()).isEqualTo(400);
        assertThat(get("holdfast/v1/events?escrow=" + id, "operator").statusCode())
                .isEqualTo(200);
    }

    /** An SSE client on HttpURLConnection, so that disconnecting closes the socket. */
    static final class SseClient implements AutoCloseable {
        record Event(long id, String type, String data) {}

        final HttpURLConnection connection;
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
        final int status;
        final Thread reader;

        SseClient(String url, String caller, String lastEventId) throws IOException {
            connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setRequestProperty("Accept", "text/event-stream");
            connection.setRequestProperty(JerseyServer.CALLER_HEADER, caller);
            if (lastEventId != null) {
                connection.setRequestProperty("Last-Event-ID", lastEventId);
            }
            connection.setReadTimeout(20_000);
            status = connection.getResponseCode();
            reader = new Thread(this::read, "sse-client");
            reader.setDaemon(true);
            if (status == 200) {
                reader.start();
            }
        }

        private void read() {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
                String id = null;
                String type = null;
                StringBuilder data = new StringBuilder();
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.isEmpty()) {
                        if (id != null) {
                            events.add(new Event(Long.parseLong(id), type, data.toString()));
                        }
                        id = null;
                        type = null;
                        data.setLength(0);
                    } else if (line.startsWith(":")) {
                        comments.add(line.substring(1).trim());
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        type = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (IOException e) {
                // disconnected
            }
        }

        List<Event> take(int n) throws InterruptedException {
            List<Event> out = new ArrayList<>();
            while (out.size() < n) {
                Event e = events.poll(10, TimeUnit.SECONDS);
                assertThat(e).as("event %d of %d", out.size() + 1, n).isNotNull();
                out.add(e);
            }
            return out;
        }

        @Override
        public void close() {
            connection.disconnect();
        }
    }

    private void awaitNoOpenStreams() throws InterruptedException {
        for (int i = 0; i < 200 && hub.openStreams() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(hub.openStreams()).isZero();
    }

    @Test
    void streamDeliversLiveEventsAndResumesAfterADisconnectWithNothingLostOrRepeated() throws Exception {
        holdfast.createEscrow(1000);
        List<Long> received = new ArrayList<>();
        String url = server.base() + "holdfast/v1/events/stream";
        try (SseClient client = new SseClient(url, "operator", null)) {
            assertThat(client.status).isEqualTo(200);
            int before = outbox().size();
            List<SseClient.Event> initial = client.take(before);
            // events written after the client connected arrive by polling
            holdfast.fund(holdfast.createEscrow(2000));
            List<SseClient.Event> live = client.take(outbox().size() - before);
            for (SseClient.Event e : initial) {
                received.add(e.id());
            }
            for (SseClient.Event e : live) {
                received.add(e.id());
            }
            OutboxMessage m = outbox().get(0);
            assertThat(initial.get(0).type()).isEqualTo(m.type());
            assertThat(Json.createReader(new StringReader(initial.get(0).data()))
                            .readValue())
                    .isEqualTo(Json.createReader(new StringReader(m.payload())).readValue());
            assertThat(hub.openStreams()).isEqualTo(1);
            // silence brings heartbeats
            assertThat(client.comments.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
        // the client went away: the next heartbeat fails and frees the stream's task
        awaitNoOpenStreams();

        holdfast.fund(holdfast.createEscrow(3000)); // written while nobody listens
        long last = received.get(received.size() - 1);
        try (SseClient again = new SseClient(url, "operator", Long.toString(last))) {
            int missing = outbox().size() - received.size();
            assertThat(missing).isPositive();
            for (SseClient.Event e : again.take(missing)) {
                received.add(e.id());
            }
            // nothing more than the events written: no repeats
            assertThat(again.events.poll(500, TimeUnit.MILLISECONDS)).isNull();
        }
        assertThat(received)
                .doesNotHaveDuplicates()
                .containsExactlyElementsOf(
                        outbox().stream().map(OutboxMessage::sequence).toList());
        awaitNoOpenStreams();
    }

    @Test
    void streamAuthorizesLikeTheFeedAndFiltersToTheEscrow() throws Exception {
        EscrowView one = holdfast.createEscrow(1000);
        holdfast.createEscrow(2000);
        String id = one.id().value();
        String url = server.base() + "holdfast/v1/events/stream";

        try (SseClient stranger = new SseClient(url + "?escrow=" + id, "carol", null);
                SseClient party = new SseClient(url, "alice", null);
                SseClient anonymous = new SseClient(url, "", null)) {
            assertThat(stranger.status).isEqualTo(404);
            assertThat(party.status).isEqualTo(403);
        }

        try (SseClient seller = new SseClient(url + "?escrow=" + id + "&after=0", "bob", null)) {
            assertThat(seller.status).isEqualTo(200);
            holdfast.fund(one);
            List<OutboxMessage> mine =
                    outbox().stream().filter(m -> m.subject().equals(id)).toList();
            assertThat(seller.take(mine.size()))
                    .extracting(SseClient.Event::id)
                    .containsExactlyElementsOf(
                            mine.stream().map(OutboxMessage::sequence).toList());
            assertThat(seller.events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
        awaitNoOpenStreams();
    }
}
