package dev.holdfast.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one complete escrow lifecycle over the plugin's REST API, the way a marketplace would: the buyer creates the
 * escrow, the buyer pays (the test host's sandbox hook, standing in for the payment happening outside the plugin),
 * the seller marks it delivered, the buyer accepts, and the lifecycle ends when the escrow reads RELEASED (the accept
 * answer usually says so already; otherwise it is polled). Every command carries a fresh Idempotency-Key. A non-2xx
 * answer, an I/O failure or an unexpected body is an error: it is counted and ends that lifecycle.
 *
 * <p>Thread-safe: one instance shares one {@link HttpClient} (HTTP/1.1, keep-alive) among all virtual users.
 */
public final class LifecycleClient {
    /** Buyer and seller pairs (the test host's basic-auth users); virtual users take them in turn. */
    static final List<String[]> PAIRS = List.of(
            new String[] {"alice", "bob"},
            new String[] {"bob", "alice"},
            new String[] {"carol", "mallory"},
            new String[] {"mallory", "carol"});

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(30);
    private static final Pattern STRING_OR_TOKEN = Pattern.compile("\"%s\"\\s*:\\s*\"?([^\",}]*)");

    private final HttpClient http;
    private final String api;

    public LifecycleClient(HttpClient http, URI baseUrl) {
        this.http = http;
        this.api = baseUrl.toString().replaceAll("/+$", "") + "/api/";
    }

    /** A client for many concurrent users: HTTP/1.1 so that connections are kept alive and reused, one per user. */
    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * @param user which buyer/seller pair to use
     * @param startNanos when the lifecycle was meant to start ({@link System#nanoTime()}): in rate mode that is its
     *     slot, so time spent waiting for a free user counts (no coordinated omission)
     * @return true when the escrow was RELEASED without an error
     */
    public boolean run(int user, long startNanos, Metrics m) {
        String[] pair = PAIRS.get(user % PAIRS.size());
        String buyer = pair[0];
        String seller = pair[1];
        m.started.increment();
        try {
            String created = call(m, "create", buyer, "holdfast/v1/escrows", createBody(buyer, seller), 201);
            String id = field(created, "id").orElseThrow(() -> new Unexpected("create", "no id in " + created));
            String transfer = field(created, "fundingTransfer")
                    .orElseThrow(() -> new Unexpected("create", "no fundingTransfer in " + created));

            String funded = call(m, "fund", buyer, "test/sandbox/fund/" + transfer, null, 200);
            if (!funded.contains("\"paid\":true")) {
                throw new Unexpected("fund", "the sandbox did not take the payment: " + funded);
            }
            call(m, "delivered", seller, "holdfast/v1/escrows/" + id + "/delivered", "", 200);
            String accepted = call(m, "accept", buyer, "holdfast/v1/escrows/" + id + "/accept?milestone=m1", "", 200);

            String status = field(accepted, "status").orElse("");
            long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
            while (!status.equals("RELEASED")) {
                if (System.nanoTime() > deadline) {
                    throw new Unexpected("released", "still " + status + " after " + RELEASE_WAIT);
                }
                Thread.sleep(5);
                m.polls.increment();
                status = field(call(m, "get", buyer, "holdfast/v1/escrows/" + id, null, 200), "status")
                        .orElse("");
            }
            m.latency(Metrics.LIFECYCLE, System.nanoTime() - startNanos);
            m.completed.increment();
            return true;
        } catch (Unexpected e) {
            m.error(e.endpoint, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            m.error("interrupted", "interrupted");
        }
        m.failed.increment();
        return false;
    }

    /** One request: latency and outcome recorded; anything but the expected status is an {@link Unexpected}. */
    private String call(Metrics m, String endpoint, String user, String path, String json, int expected)
            throws Unexpected, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", basic(user))
                .header("Idempotency-Key", UUID.randomUUID().toString());
        if (json == null && endpoint.equals("get")) {
            b.GET();
        } else if (json == null || json.isEmpty()) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        long t0 = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            m.latency(endpoint, System.nanoTime() - t0);
            m.outcome(endpoint, e.getClass().getSimpleName());
            throw new Unexpected(endpoint, e.toString());
        }
        m.latency(endpoint, System.nanoTime() - t0);
        m.outcome(endpoint, Integer.toString(r.statusCode()));
        if (r.statusCode() != expected) {
            throw new Unexpected(endpoint, r.statusCode() + " " + abbreviate(r.body()));
        }
        return r.body();
    }

    static String createBody(String buyer, String seller) {
        Instant now = Instant.now();
        return """
                {"buyer":"%s","seller":"%s","rail":"sandbox","amount":{"minor":1000,"asset":"USD","scale":2},
                 "milestones":[{"id":"m1","title":"work","amountMinor":1000,"deliverBy":"%s"}],
                 "fundBy":"%s","inspectionPeriod":"P3D","disputeWindow":"P7D",
                 "sellerPayout":{"kind":"RAIL_ADDRESS","address":"sandbox:%s"},"reference":"load","metadata":{}}
                """
                .formatted(buyer, seller, now.plus(Duration.ofDays(10)), now.plus(Duration.ofDays(1)), seller);
    }

    static Optional<String> field(String json, String name) {
        Matcher m = Pattern.compile(STRING_OR_TOKEN.pattern().formatted(Pattern.quote(name)))
                .matcher(json);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String basic(String user) {
        return "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }

    /** A request that did not answer as a completed lifecycle needs; names the endpoint it is counted against. */
    static final class Unexpected extends Exception {
        final String endpoint;

        Unexpected(String endpoint, String message) {
            super(message, null, false, false);
            this.endpoint = endpoint;
        }
    }
}
