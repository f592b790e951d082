package dev.holdfast.jakarta.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * A registered webhook endpoint, without its secret (which is shown only once). Immutable and thread-safe.
 *
 * @param id the endpoint id
 * @param url where deliveries are POSTed
 * @param eventTypes the event types it receives; empty for every type
 * @param description the operator's note
 * @param enabled false when disabled: no new deliveries, pending ones are not sent
 * @param createdAt registration time
 * @param updatedAt time of the last change
 * @param previousSecretUntil while a rotated-out secret still signs, the end of its grace period; else {@code null}
 */
public record WebhookEndpoint(
        String id,
        String url,
        List<String> eventTypes,
        String description,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        Instant previousSecretUntil) {
    public WebhookEndpoint {
        eventTypes = List.copyOf(eventTypes);
    }

    /**
     * @param type an event type
     * @return true when this endpoint receives that type
     */
    public boolean accepts(String type) {
        return eventTypes.isEmpty() || eventTypes.contains(type);
    }
}
