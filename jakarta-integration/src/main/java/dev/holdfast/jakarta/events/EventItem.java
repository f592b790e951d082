package dev.holdfast.jakarta.events;

import dev.holdfast.spi.OutboxMessage;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;

/**
 * One event of the feed. Immutable and thread-safe.
 *
 * @param sequence the global order; pass the last one seen as {@code after} to read on
 * @param eventId unique id, for de-duplication
 * @param subject the escrow (or party) the event belongs to
 * @param type the event type
 * @param createdAt when it was recorded
 * @param payload the event itself, as JSON
 */
public record EventItem(
        long sequence, String eventId, String subject, String type, Instant createdAt, JsonValue payload) {

    static EventItem of(OutboxMessage m) {
        try (JsonReader reader = Json.createReader(new StringReader(m.payload()))) {
            return new EventItem(m.sequence(), m.eventId(), m.subject(), m.type(), m.createdAt(), reader.readValue());
        }
    }
}
