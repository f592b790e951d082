package dev.holdfast.jakarta.events;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tuning of live event streams. Immutable and thread-safe.
 *
 * @param pollInterval how often each stream reads the store for new events (the store is shared by every app node,
 *     so polling it is what makes an event written on one node reach streams on all of them)
 * @param heartbeatInterval an SSE comment is sent when a stream was silent this long; keeps proxies from closing
 *     it and finds disconnected clients
 * @param batchSize events read per poll
 * @param threads threads that poll and write the streams
 */
public record EventStreamConfig(Duration pollInterval, Duration heartbeatInterval, int batchSize, int threads) {
    /** Configuration key prefix; each component is {@code holdfast.events.<kebab-name>}. */
    public static final String PREFIX = "holdfast.events.";

    public EventStreamConfig {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive");
        }
        if (batchSize < 1 || batchSize > EventFeed.MAX_LIMIT || threads < 1) {
            throw new IllegalArgumentException("batchSize must be 1 to " + EventFeed.MAX_LIMIT + ", threads >= 1");
        }
    }

    /** @return polls every second, heartbeats after 15 s of silence, 100 events a poll, 2 threads */
    public static EventStreamConfig defaults() {
        return new EventStreamConfig(Duration.ofSeconds(1), Duration.ofSeconds(15), 100, 2);
    }

    /**
     * Reads {@code holdfast.events.poll-interval}, {@code heartbeat-interval} (ISO-8601 durations),
     * {@code batch-size} and {@code threads}; missing keys keep the defaults.
     *
     * @param config looks up a configuration value, such as MicroProfile Config's {@code getOptionalValue}
     * @return the configuration
     */
    public static EventStreamConfig fromConfig(Function<String, Optional<String>> config) {
        EventStreamConfig d = defaults();
        return new EventStreamConfig(
                config.apply(PREFIX + "poll-interval").map(Duration::parse).orElse(d.pollInterval),
                config.apply(PREFIX + "heartbeat-interval").map(Duration::parse).orElse(d.heartbeatInterval),
                config.apply(PREFIX + "batch-size").map(Integer::parseInt).orElse(d.batchSize),
                config.apply(PREFIX + "threads").map(Integer::parseInt).orElse(d.threads));
    }
}
