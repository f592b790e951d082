package dev.holdfast.spi;

import java.time.Instant;
import java.util.List;

/**
 * Events recorded in the same unit of work as the change that caused them, delivered at least once, in order per
 * subject.
 *
 * @since 0.1
 */
public interface OutboxStore {
    /**
     * @param message the message; its sequence is assigned by the store
     */
    void enqueue(OutboxMessage message);

    /**
     * Claims undelivered messages that are due: for each subject only its oldest undelivered message, and none of a
     * subject another node holds a lease on.
     *
     * @param now the time
     * @param limit at most this many
     * @param owner the claiming node
     * @param leaseUntil the claim lapses then
     * @return claimed messages in sequence order
     */
    List<OutboxMessage> claim(Instant now, int limit, String owner, Instant leaseUntil);

    /**
     * @param sequence a delivered message
     */
    void markDelivered(long sequence);

    /**
     * Gives a claimed message back after a failed delivery.
     *
     * @param sequence the message
     * @param nextAttemptAt when to try again
     */
    void retryLater(long sequence, Instant nextAttemptAt);

    /**
     * @param afterSequence read messages after this sequence (0 for all), delivered or not
     * @param limit at most this many
     * @return messages in sequence order (the event feed)
     */
    List<OutboxMessage> read(long afterSequence, int limit);
}
