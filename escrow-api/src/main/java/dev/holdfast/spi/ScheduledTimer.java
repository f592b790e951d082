package dev.holdfast.spi;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.MilestoneId;
import java.time.Instant;

/**
 * A persisted timer. At most one timer per (escrow, milestone, kind). Immutable and thread-safe.
 *
 * @param escrowId the escrow
 * @param milestone the milestone, or {@code null} for escrow-wide timers
 * @param kind what to do
 * @param dueAt when
 * @param leaseOwner the node that claimed it, or {@code null}
 * @param leaseUntil the claim lapses then, or {@code null}
 * @since 0.1
 */
public record ScheduledTimer(
        EscrowId escrowId,
        MilestoneId milestone,
        TimerKind kind,
        Instant dueAt,
        String leaseOwner,
        Instant leaseUntil) {

    /** @return a stable id: escrow, milestone and kind */
    public String timerId() {
        return escrowId + "/" + (milestone == null ? "*" : milestone.value()) + "/" + kind;
    }
}
