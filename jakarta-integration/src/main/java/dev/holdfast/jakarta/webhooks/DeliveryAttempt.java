package dev.holdfast.jakarta.webhooks;

import java.time.Instant;

/**
 * One POST of a delivery, as the delivery log shows it. Immutable and thread-safe.
 *
 * @param deliveryId the delivery
 * @param attempt 1 for the first attempt
 * @param attemptedAt when it was sent
 * @param node the app node that sent it
 * @param httpStatus the answer's status, or {@code null} when none came (timeout, refused connection)
 * @param error why it failed, or {@code null} after a 2xx
 * @param durationMillis how long it took
 */
public record DeliveryAttempt(
        String deliveryId,
        int attempt,
        Instant attemptedAt,
        String node,
        Integer httpStatus,
        String error,
        long durationMillis) {}
