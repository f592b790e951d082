package dev.holdfast.spi;

import java.time.Instant;

/**
 * An event waiting to be delivered to the host. Immutable and thread-safe.
 *
 * @param sequence global order, assigned by the store (0 before enqueueing)
 * @param eventId unique id for de-duplication by receivers
 * @param subject escrow id or party id; delivery is in order per subject
 * @param type the event type
 * @param payload canonical JSON of the event
 * @param createdAt when recorded
 * @param attempts delivery attempts so far
 * @param nextAttemptAt not delivered before then
 * @since 0.1
 */
public record OutboxMessage(
        long sequence,
        String eventId,
        String subject,
        String type,
        String payload,
        Instant createdAt,
        int attempts,
        Instant nextAttemptAt) {}
