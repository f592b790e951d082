package dev.holdfast.core.memory;

import java.time.Instant;

/**
 * Position of a timer, rail operation or outbox subject in a due-time index: due time first, then a tiebreak that
 * keeps equal due times in a stable order. Immutable and thread-safe.
 *
 * @param due when it is due; {@link Instant#MIN} for "now"
 * @param tiebreak unique within one index
 */
record DueKey(Instant due, long tiebreak) implements Comparable<DueKey> {
    static DueKey of(Instant due, long tiebreak) {
        return new DueKey(due == null ? Instant.MIN : due, tiebreak);
    }

    boolean isDueAt(Instant now) {
        return !due.isAfter(now);
    }

    @Override
    public int compareTo(DueKey other) {
        int byDue = due.compareTo(other.due);
        return byDue != 0 ? byDue : Long.compare(tiebreak, other.tiebreak);
    }
}
