package dev.holdfast.core.memory;

import java.time.Instant;

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
}
