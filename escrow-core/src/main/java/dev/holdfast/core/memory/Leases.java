package dev.holdfast.core.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** The one rule for leases, shared by timers, rail operations and the outbox. */
final class Leases {
    private Leases() {}

    /**
     * A lease lapses at its {@code leaseUntil} ("the claim lapses then"). Until then it excludes every claimer,
     * its own owner included, so two worker threads of one node never get the same item.
     */
    static boolean isActive(Instant leaseUntil, Instant now) {
        return leaseUntil != null && now.isBefore(leaseUntil);
    }

    /**
     * The one claim loop of the store: walks an index ordered by due time, stops at the first item not yet due,
     * skips items whose lease is active, and leases the rest, at most {@code limit}.
     *
     * @param uow the transaction, checked first
     * @param dueIndex items by due time, earliest first
     * @param leaseUntilOf the current lease of an item, or {@code null}
     * @param lease leases one free item (recording its own undo) and returns what the claimer gets
     */
    static <V, R> List<R> claim(
            UnitOfWork uow,
            Map<DueKey, V> dueIndex,
            Instant now,
            int limit,
            String owner,
            Instant leaseUntil,
            Function<V, Instant> leaseUntilOf,
            Function<Map.Entry<DueKey, V>, R> lease) {
        uow.check();
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (limit <= 0) {
            return List.of();
        }
        List<R> claimed = new ArrayList<>(Math.min(limit, 16));
        Iterator<Map.Entry<DueKey, V>> due = dueIndex.entrySet().iterator();
        while (claimed.size() < limit && due.hasNext()) {
            Map.Entry<DueKey, V> entry = due.next();
            if (!entry.getKey().isDueAt(now)) {
                break;
            }
            if (isActive(leaseUntilOf.apply(entry.getValue()), now)) {
                continue;
            }
            claimed.add(lease.apply(entry));
        }
        return claimed;
    }
}
