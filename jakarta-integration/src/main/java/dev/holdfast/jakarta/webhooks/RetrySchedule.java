package dev.holdfast.jakarta.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a failed delivery is tried again: exponential backoff from {@code firstDelay}, doubled per attempt, capped at
 * {@code maxDelay}, with "equal jitter" (half the delay fixed, half random) so that endpoints coming back after an
 * outage are not hit by every node at once. A delivery is given up only once an attempt fails at or after
 * {@code retryFrom + retryFor}, so it is retried for at least {@code retryFor}. Immutable and thread-safe.
 *
 * @param firstDelay delay after the first failure (before jitter)
 * @param maxDelay the cap
 * @param retryFor the retry window
 */
public record RetrySchedule(Duration firstDelay, Duration maxDelay, Duration retryFor) {
    public RetrySchedule {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(retryFor, "retryFor");
    }

    /**
     * @param config the webhook configuration
     * @return its schedule
     */
    public static RetrySchedule of(WebhookConfig config) {
        return new RetrySchedule(config.firstRetryDelay(), config.maxRetryDelay(), config.retryFor());
    }

    /**
     * @param attempts failed attempts so far, at least 1
     * @param jitter a random number in [0, 1)
     * @return the delay before the next attempt, between half the capped exponential delay and all of it
     */
    public Duration delay(int attempts, double jitter) {
        long first = firstDelay.toMillis();
        long cap = maxDelay.toMillis();
        int doublings = Math.max(0, Math.min(attempts - 1, 40));
        long base = first > (cap >> doublings) ? cap : Math.min(cap, first << doublings);
        long half = base / 2;
        return Duration.ofMillis(base - half + (long) (half * Math.max(0, Math.min(jitter, 1))));
    }

    /**
     * @param retryFrom start of the retry window
     * @param failedAt when the last attempt failed
     * @return true when the delivery is to be marked failed instead of retried
     */
    public boolean givesUp(Instant retryFrom, Instant failedAt) {
        return !failedAt.isBefore(retryFrom.plus(retryFor));
    }
}
