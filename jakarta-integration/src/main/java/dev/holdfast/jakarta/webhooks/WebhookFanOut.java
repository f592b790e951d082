package dev.holdfast.jakarta.webhooks;

import dev.holdfast.spi.EventSink;
import dev.holdfast.spi.OutboxMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The engine's {@link EventSink} for webhooks: for each outbox message, one pending delivery per enabled endpoint
 * that accepts its type. The engine delivers a message at least once; the unique (endpoint, event id) constraint
 * makes a repeated message insert nothing, so each endpoint gets each event once. Only inserts rows: the POSTs are
 * the {@link WebhookDeliveryWorker}'s, so a slow receiver never holds up the engine's outbox. Thread-safe.
 */
@ApplicationScoped
public class WebhookFanOut implements EventSink {
    private WebhookRepository repository;
    private Clock clock;

    /** For the CDI proxy. */
    protected WebhookFanOut() {}

    /**
     * @param repository the webhook tables
     * @param clock the time of fan-out, which is also the first attempt's due time
     */
    @Inject
    public WebhookFanOut(WebhookRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public void deliver(OutboxMessage message) {
        Instant now = clock.instant();
        String body = body(message);
        for (StoredEndpoint e : repository.enabledEndpoints()) {
            if (!e.endpoint().accepts(message.type())) {
                continue;
            }
            repository.insertDeliveryIfAbsent(new WebhookDelivery(
                    "whd_" + UUID.randomUUID(),
                    e.id(),
                    message.eventId(),
                    message.sequence(),
                    message.type(),
                    message.subject(),
                    body,
                    DeliveryStatus.PENDING,
                    0,
                    now,
                    now,
                    null,
                    null,
                    null,
                    now));
        }
    }

    /**
     * @param m an outbox message
     * @return the JSON POSTed for it: an envelope around the event's own canonical JSON
     */
    static String body(OutboxMessage m) {
        return "{\"id\":" + quote(m.eventId())
                + ",\"sequence\":" + m.sequence()
                + ",\"type\":" + quote(m.type())
                + ",\"subject\":" + quote(m.subject())
                + ",\"createdAt\":" + quote(String.valueOf(m.createdAt()))
                + ",\"data\":" + m.payload()
                + "}";
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
