package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A persisted timer, keyed by {@code ScheduledTimer.timerId()}. */
@Entity
@Table(name = "holdfast_timer")
class TimerRow {
    @Id
    @Column(name = "timer_id")
    String timerId;

    @Column(name = "escrow_id")
    String escrowId;

    @Column(name = "milestone_id")
    String milestoneId;

    @Column(name = "timer_kind")
    String timerKind;

    @Column(name = "due_at")
    long dueAt;

    @Column(name = "lease_owner")
    String leaseOwner;

    @Column(name = "lease_until")
    Long leaseUntil;

    protected TimerRow() {}
}
