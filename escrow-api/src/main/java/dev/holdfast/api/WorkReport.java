package dev.holdfast.api;

/**
 * What one pass of background work did. Immutable and thread-safe.
 *
 * @param timersFired timers that came due and were acted on
 * @param operationsReconciled rail operations re-queried or re-sent
 * @param eventsDelivered outbox messages handed to the event sink
 * @since 0.1
 */
public record WorkReport(int timersFired, int operationsReconciled, int eventsDelivered) {
    /** @return true when the pass found nothing to do */
    public boolean idle() {
        return timersFired == 0 && operationsReconciled == 0 && eventsDelivered == 0;
    }
}
