package dev.holdfast.jakarta.webhooks;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tuning of webhook delivery. Immutable and thread-safe.
 *
 * @param nodeId names this app node in delivery leases and attempt logs
 * @param connectTimeout connect timeout of a POST
 * @param requestTimeout whole-request timeout of a POST
 * @param lease how long a claimed delivery belongs to this node; longer than {@code requestTimeout}
 * @param batchSize deliveries claimed per pass
 * @param pollInterval time between worker passes
 * @param firstRetryDelay delay after the first failed attempt
 * @param maxRetryDelay cap of the exponential backoff
 * @param retryFor how long a delivery is retried before it is marked failed (at least 24 hours by default)
 * @param secretGracePeriod how long the previous secret still signs after a rotation
 */
public record WebhookConfig(
        String nodeId,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration lease,
        int batchSize,
        Duration pollInterval,
        Duration firstRetryDelay,
        Duration maxRetryDelay,
        Duration retryFor,
        Duration secretGracePeriod) {

    /** Configuration key prefix; each component is {@code holdfast.webhooks.<kebab-name>}. */
    public static final String PREFIX = "holdfast.webhooks.";

    public WebhookConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(lease, "lease");
        positive(pollInterval, "pollInterval");
        positive(firstRetryDelay, "firstRetryDelay");
        positive(maxRetryDelay, "maxRetryDelay");
        positive(retryFor, "retryFor");
        positive(secretGracePeriod, "secretGracePeriod");
        if (lease.compareTo(requestTimeout) <= 0) {
            throw new IllegalArgumentException("the lease must outlast the request timeout");
        }
        if (maxRetryDelay.compareTo(firstRetryDelay) < 0) {
            throw new IllegalArgumentException("maxRetryDelay is shorter than firstRetryDelay");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
    }

    /** @return 5 s connect, 10 s request, 60 s lease, 20 a batch, 2 s polls, 10 s to 1 h backoff for 24 h */
    public static WebhookConfig defaults() {
        return new WebhookConfig(
                "holdfast",
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                20,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                Duration.ofHours(24),
                Duration.ofHours(24));
    }

    /**
     * Reads {@code holdfast.webhooks.node-id}, {@code connect-timeout}, {@code request-timeout}, {@code lease},
     * {@code batch-size}, {@code poll-interval}, {@code first-retry-delay}, {@code max-retry-delay},
     * {@code retry-for} and {@code secret-grace-period}; durations in ISO-8601 ({@code PT10S}); missing keys keep
     * the defaults.
     *
     * @param config looks up a configuration value, such as MicroProfile Config's {@code getOptionalValue}
     * @return the configuration
     */
    public static WebhookConfig fromConfig(Function<String, Optional<String>> config) {
        WebhookConfig d = defaults();
        return new WebhookConfig(
                config.apply(PREFIX + "node-id").orElse(d.nodeId),
                duration(config, "connect-timeout", d.connectTimeout),
                duration(config, "request-timeout", d.requestTimeout),
                duration(config, "lease", d.lease),
                config.apply(PREFIX + "batch-size").map(Integer::parseInt).orElse(d.batchSize),
                duration(config, "poll-interval", d.pollInterval),
                duration(config, "first-retry-delay", d.firstRetryDelay),
                duration(config, "max-retry-delay", d.maxRetryDelay),
                duration(config, "retry-for", d.retryFor),
                duration(config, "secret-grace-period", d.secretGracePeriod));
    }

    /**
     * @param id the node id
     * @return a copy with that node id
     */
    public WebhookConfig withNodeId(String id) {
        return new WebhookConfig(
                id,
                connectTimeout,
                requestTimeout,
                lease,
                batchSize,
                pollInterval,
                firstRetryDelay,
                maxRetryDelay,
                retryFor,
                secretGracePeriod);
    }

    private static Duration duration(Function<String, Optional<String>> config, String key, Duration fallback) {
        return config.apply(PREFIX + key).map(Duration::parse).orElse(fallback);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
