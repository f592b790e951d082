package dev.holdfast.api;

import java.time.Instant;

/**
 * A read-only snapshot of one milestone. Immutable and thread-safe.
 *
 * @param terms the frozen terms
 * @param status where it stands
 * @param held what the escrow still holds for it, fees included
 * @param released what the seller was paid for it
 * @param refunded what the buyer got back for it
 * @param deliveredAt when delivery was marked, or {@code null}
 * @param autoReleaseAt when it is released automatically, or {@code null}
 * @param payoutTransfer the transfer of its latest payout, or {@code null}
 * @since 0.1
 */
public record MilestoneView(
        MilestoneTerms terms,
        MilestoneStatus status,
        Money held,
        Money released,
        Money refunded,
        Instant deliveredAt,
        Instant autoReleaseAt,
        TransferId payoutTransfer) {

    /** @return the milestone id */
    public MilestoneId id() {
        return terms.id();
    }
}
