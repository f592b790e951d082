package dev.holdfast.jakarta.webhooks;

import dev.holdfast.jakarta.secrets.Secret;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POSTs due webhook deliveries. Each pass claims a batch under a lease ({@code FOR UPDATE SKIP LOCKED}, so workers on
 * several nodes never send the same attempt twice), signs and POSTs each body with {@link HttpClient}, and logs the
 * attempt: a 2xx answer delivers it, anything else (status, timeout, refused connection) schedules a retry by the
 * {@link RetrySchedule} until the retry window is over, then marks it failed. A node that dies mid-attempt leaves a
 * lease that lapses, and another node tries again: delivery is at least once, receivers deduplicate by
 * {@code Holdfast-Event-Id}.
 *
 * <p>{@link #runOnce()} is one pass (tests call it directly); {@link #start()} runs passes on a daemon thread every
 * {@link WebhookConfig#pollInterval()} until {@link #close()}. Thread-safe.
 */
@ApplicationScoped
public class WebhookDeliveryWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WebhookDeliveryWorker.class.getName());

    private WebhookRepository repository;
    private WebhookService service;
    private Clock clock;
    private WebhookConfig config;
    private RetrySchedule schedule;
    private HttpClient http;
    private DoubleSupplier jitter;
    private ScheduledExecutorService background;

    /** For the CDI proxy. */
    protected WebhookDeliveryWorker() {}

    /**
     * @param repository the webhook tables
     * @param service opens the endpoints' secrets
     * @param clock the time of attempts and signatures
     * @param config timeouts, batch, lease, backoff
     */
    @Inject
    public WebhookDeliveryWorker(
            WebhookRepository repository, WebhookService service, Clock clock, WebhookConfig config) {
        this(
                repository,
                service,
                clock,
                config,
                HttpClient.newBuilder()
                        .connectTimeout(config.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build(),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param repository the webhook tables
     * @param service opens the endpoints' secrets
     * @param clock the time of attempts and signatures
     * @param config timeouts, batch, lease, backoff
     * @param http the client that POSTs
     * @param jitter random numbers in [0, 1) for the backoff's jitter
     */
    public WebhookDeliveryWorker(
            WebhookRepository repository,
            WebhookService service,
            Clock clock,
            WebhookConfig config,
            HttpClient http,
            DoubleSupplier jitter) {
        this.repository = repository;
        this.service = service;
        this.clock = clock;
        this.config = config;
        this.schedule = RetrySchedule.of(config);
        this.http = http;
        this.jitter = jitter;
    }

    /**
     * Claims due deliveries and attempts each once, until none are due.
     *
     * @return the number of attempts made
     */
    public int runOnce() {
        int attempts = 0;
        // a bound, so one pass cannot run forever while new deliveries keep arriving
        for (int round = 0; round < 10; round++) {
            Instant now = clock.instant();
            List<WebhookDelivery> claimed =
                    repository.claimDue(now, config.batchSize(), config.nodeId(), now.plus(config.lease()));
            if (claimed.isEmpty()) {
                break;
            }
            for (WebhookDelivery d : claimed) {
                attempt(d);
                attempts++;
            }
        }
        return attempts;
    }

    private void attempt(WebhookDelivery d) {
        Instant at = clock.instant();
        Optional<StoredEndpoint> endpoint = repository.findEndpoint(d.endpointId());
        if (endpoint.isEmpty()) {
            return; // deleted since the claim; its deliveries are gone with it
        }
        if (!endpoint.get().endpoint().enabled()) {
            repository.recordAttempt(
                    new DeliveryAttempt(d.id(), d.attempts(), at, config.nodeId(), null, "endpoint disabled", 0),
                    config.nodeId(),
                    DeliveryStatus.FAILED,
                    at,
                    null);
            return;
        }
        Integer status = null;
        String error = null;
        long started = System.nanoTime();
        try {
            List<Secret> secrets = service.signingSecrets(endpoint.get(), at);
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(endpoint.get().endpoint().url()))
                    .timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Holdfast-Webhooks/1")
                    .header(WebhookSignature.HEADER, WebhookSignature.header(at.getEpochSecond(), d.body(), secrets))
                    .header("Holdfast-Event-Id", d.eventId())
                    .header("Holdfast-Delivery-Id", d.id())
                    .header("Holdfast-Event-Type", d.eventType())
                    .POST(HttpRequest.BodyPublishers.ofString(d.body(), StandardCharsets.UTF_8))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status < 200 || status > 299) {
                error = "HTTP " + status;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (IOException | RuntimeException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        DeliveryAttempt logged = new DeliveryAttempt(d.id(), d.attempts(), at, config.nodeId(), status, error, millis);
        if (error == null) {
            repository.recordAttempt(logged, config.nodeId(), DeliveryStatus.DELIVERED, at, at);
            return;
        }
        Instant failedAt = clock.instant();
        if (schedule.givesUp(d.retryFrom(), failedAt)) {
            LOG.log(
                    Level.WARNING,
                    "webhook delivery {0} to endpoint {1} failed for good after {2} attempts: {3}",
                    new Object[] {d.id(), d.endpointId(), d.attempts(), error});
            repository.recordAttempt(logged, config.nodeId(), DeliveryStatus.FAILED, failedAt, null);
        } else {
            Instant next = failedAt.plus(schedule.delay(d.attempts(), jitter.getAsDouble()));
            repository.recordAttempt(logged, config.nodeId(), DeliveryStatus.PENDING, next, null);
        }
    }

    /** Runs {@link #runOnce()} every poll interval on a daemon thread, until {@link #close()}. */
    public synchronized void start() {
        if (background != null) {
            return;
        }
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "holdfast-webhooks-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        long every = config.pollInterval().toMillis();
        background.scheduleWithFixedDelay(this::safeRun, every, every, TimeUnit.MILLISECONDS);
    }

    private void safeRun() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // keep the schedule alive: the database may be back on the next pass
            LOG.log(Level.WARNING, "webhook delivery pass failed", e);
        }
    }

    /** Stops the background passes; an attempt under way finishes. */
    @Override
    @PreDestroy
    public synchronized void close() {
        if (background != null) {
            background.shutdown();
            background = null;
        }
    }
}
