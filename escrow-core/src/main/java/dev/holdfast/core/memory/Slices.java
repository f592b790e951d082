package dev.holdfast.core.memory;

import java.util.List;

/** Reads of logs whose item n sits at index n - 1 (audit log, outbox). */
final class Slices {
    private Slices() {}

    /** @return a copy of the items with sequence greater than afterSequence, at most limit of them */
    static <T> List<T> after(List<T> items, long afterSequence, int limit) {
        if (limit <= 0 || afterSequence >= items.size()) {
            return List.of();
        }
        int from = (int) Math.max(0, afterSequence);
        int to = (int) Math.min(items.size(), (long) from + limit);
        return List.copyOf(items.subList(from, to));
    }
}
