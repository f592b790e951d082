package dev.holdfast.spi;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.MilestoneId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Persisted timers, claimed with leases so that several nodes fire each one once.
 *
 * @since 0.1
 */
public interface TimerStore {
    /**
     * Schedules a timer, replacing one with the same escrow, milestone and kind.
     *
     * @param timer the timer, without lease
     */
    void schedule(ScheduledTimer timer);

    /**
     * @param escrowId the escrow
     * @param milestone the milestone, or {@code null} for the escrow-wide timer
     * @param kind which timer
     */
    void cancel(EscrowId escrowId, MilestoneId milestone, TimerKind kind);

    /**
     * Claims due timers whose lease is free or lapsed (on PostgreSQL: {@code FOR UPDATE SKIP LOCKED}).
     *
     * @param now the time
     * @param limit at most this many
     * @param owner the claiming node
     * @param leaseUntil the claim lapses then
     * @return the claimed timers, earliest first
     */
    List<ScheduledTimer> claimDue(Instant now, int limit, String owner, Instant leaseUntil);

    /**
     * Removes a fired timer if the caller still holds its lease.
     *
     * @param timer the timer as claimed
     * @return false when the lease was lost (another node may fire it)
     */
    boolean complete(ScheduledTimer timer);

    /**
     * @param escrowId the escrow
     * @return its pending timers
     */
    List<ScheduledTimer> of(EscrowId escrowId);

    /**
     * Moves an escrow's timers earlier (the test clock advancing one escrow).
     *
     * @param escrowId the escrow
     * @param by how much earlier
     */
    void shift(EscrowId escrowId, Duration by);
}
