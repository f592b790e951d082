package dev.holdfast.jakarta.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A delivery as the operator API shows it: its state and every attempt. Immutable and thread-safe.
 *
 * @param id the delivery id
 * @param endpointId the endpoint
 * @param eventId the event
 * @param eventSequence the event's outbox sequence
 * @param eventType the event type
 * @param subject the event's subject
 * @param status where it stands
 * @param attempts attempts so far
 * @param nextAttemptAt when pending, the next attempt
 * @param lastStatus the last HTTP status, or {@code null}
 * @param lastError the last error, or {@code null}
 * @param deliveredAt when delivered, or {@code null}
 * @param createdAt when fanned out
 * @param attemptLog every attempt, oldest first
 */
public record DeliveryView(
        String id,
        String endpointId,
        String eventId,
        long eventSequence,
        String eventType,
        String subject,
        DeliveryStatus status,
        int attempts,
        Instant nextAttemptAt,
        Integer lastStatus,
        String lastError,
        Instant deliveredAt,
        Instant createdAt,
        List<DeliveryAttempt> attemptLog) {
    public DeliveryView {
        attemptLog = List.copyOf(attemptLog);
    }

    static DeliveryView of(WebhookDelivery d, List<DeliveryAttempt> attempts) {
        return new DeliveryView(
                d.id(),
                d.endpointId(),
                d.eventId(),
                d.eventSequence(),
                d.eventType(),
                d.subject(),
                d.status(),
                d.attempts(),
                d.status() == DeliveryStatus.PENDING ? d.nextAttemptAt() : null,
                d.lastStatus(),
                d.lastError(),
                d.deliveredAt(),
                d.createdAt(),
                attempts);
    }
}
