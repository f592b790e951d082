package dev.holdfast.spi;

/**
 * Where the outbox delivers events: the host's event bus, webhooks, a server-sent events hub. Called at least once
 * per message, in order per subject; a receiver de-duplicates by {@link OutboxMessage#eventId()}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EventSink {
    /**
     * @param message the event
     * @throws Exception when delivery failed; the message is retried later with backoff
     */
    void deliver(OutboxMessage message) throws Exception;
}
