package dev.holdfast.jakarta.webhooks;

import java.time.Instant;

/**
 * One event to be POSTed to one endpoint. Immutable and thread-safe.
 *
 * @param id the delivery id, sent as {@code Holdfast-Delivery-Id}
 * @param endpointId the endpoint
 * @param eventId the outbox event id, sent as {@code Holdfast-Event-Id}
 * @param eventSequence the outbox sequence
 * @param eventType the event type, sent as {@code Holdfast-Event-Type}
 * @param subject the event's subject (escrow or party id)
 * @param body the exact JSON POSTed
 * @param status where it stands
 * @param attempts attempts so far
 * @param nextAttemptAt when the next attempt is due (while pending)
 * @param retryFrom start of the current retry window
 * @param lastStatus the HTTP status of the last attempt, or {@code null}
 * @param lastError the error of the last attempt, or {@code null}
 * @param deliveredAt when a 2xx answer came, or {@code null}
 * @param createdAt when the event was fanned out
 */
public record WebhookDelivery(
        String id,
        String endpointId,
        String eventId,
        long eventSequence,
        String eventType,
        String subject,
        String body,
        DeliveryStatus status,
        int attempts,
        Instant nextAttemptAt,
        Instant retryFrom,
        Integer lastStatus,
        String lastError,
        Instant deliveredAt,
        Instant createdAt) {}
