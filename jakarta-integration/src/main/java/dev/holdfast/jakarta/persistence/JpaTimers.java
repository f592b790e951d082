package dev.holdfast.jakarta.persistence;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.spi.ScheduledTimer;
import dev.holdfast.spi.TimerKind;
import dev.holdfast.spi.TimerStore;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Timers, claimed with {@code FOR UPDATE SKIP LOCKED} plus a lease (same SQL on PostgreSQL and H2 2.5). */
final class JpaTimers implements TimerStore {
    private static final String CLAIM = "SELECT * FROM holdfast_timer WHERE due_at <= ?1"
            + " AND (lease_until IS NULL OR lease_until <= ?1) ORDER BY due_at, timer_id"
            + " LIMIT ?2 FOR UPDATE SKIP LOCKED";

    private final JpaUnit unit;

    JpaTimers(JpaUnit unit) {
        this.unit = unit;
    }

    @Override
    public void schedule(ScheduledTimer timer) {
        unit.run(() -> {
            Objects.requireNonNull(timer.escrowId(), "escrowId");
            Objects.requireNonNull(timer.kind(), "kind");
            Objects.requireNonNull(timer.dueAt(), "dueAt");
            TimerRow row = unit.locked(TimerRow.class, timer.timerId());
            boolean fresh = row == null;
            if (fresh) {
                row = new TimerRow();
                row.timerId = timer.timerId();
                row.escrowId = timer.escrowId().value();
                row.milestoneId =
                        timer.milestone() == null ? null : timer.milestone().value();
                row.timerKind = timer.kind().name();
            }
            row.dueAt = Micros.of(timer.dueAt());
            // a (re)scheduled timer is unclaimed: the node firing the old one finds its lease gone in complete()
            row.leaseOwner = null;
            row.leaseUntil = null;
            if (fresh) {
                unit.persist(row.timerId, row);
            }
        });
    }

    @Override
    public void cancel(EscrowId escrowId, MilestoneId milestone, TimerKind kind) {
        unit.run(() -> {
            String id = new ScheduledTimer(escrowId, milestone, kind, null, null, null).timerId();
            TimerRow row = unit.locked(TimerRow.class, id);
            if (row != null) {
                unit.remove(id, row);
            }
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<ScheduledTimer> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
        Objects.requireNonNull(owner, "owner");
        if (limit <= 0) {
            return List.of();
        }
        return unit.run(() -> {
            unit.em.flush();
            List<TimerRow> rows = unit.em
                    .createNativeQuery(CLAIM, TimerRow.class)
                    .setParameter(1, Micros.of(now))
                    .setParameter(2, limit)
                    .getResultList();
            long until = Micros.of(leaseUntil);
            List<ScheduledTimer> claimed = new ArrayList<>(rows.size());
            for (TimerRow row : rows) {
                unit.holds(row.timerId, row);
                row.leaseOwner = owner;
                row.leaseUntil = until;
                claimed.add(toTimer(row));
            }
            return List.copyOf(claimed);
        });
    }

    @Override
    public boolean complete(ScheduledTimer timer) {
        if (timer.leaseOwner() == null || timer.leaseUntil() == null) {
            return false;
        }
        return unit.run(() -> {
            TimerRow row = unit.locked(TimerRow.class, timer.timerId());
            // The lease, not the timer's data, proves ownership: a takeover or a reschedule changes it.
            if (row == null
                    || !timer.leaseOwner().equals(row.leaseOwner)
                    || !Objects.equals(Micros.of(timer.leaseUntil()), row.leaseUntil)) {
                return false;
            }
            unit.remove(row.timerId, row);
            return true;
        });
    }

    @Override
    public List<ScheduledTimer> of(EscrowId escrowId) {
        return unit.run(() -> {
            List<ScheduledTimer> timers = new ArrayList<>();
            for (TimerRow row : rowsOf(escrowId, false)) {
                timers.add(toTimer(row));
            }
            return List.copyOf(timers);
        });
    }

    @Override
    public void shift(EscrowId escrowId, Duration by) {
        unit.run(() -> {
            long micros = Micros.of(Instant.EPOCH.plus(by));
            for (TimerRow row : rowsOf(escrowId, true)) {
                row.dueAt = Math.subtractExact(row.dueAt, micros);
            }
        });
    }

    private List<TimerRow> rowsOf(EscrowId escrowId, boolean lock) {
        var query = unit.em
                .createQuery(
                        "SELECT t FROM TimerRow t WHERE t.escrowId = :e ORDER BY t.dueAt, t.timerId", TimerRow.class)
                .setParameter("e", escrowId.value());
        if (lock) {
            query.setLockMode(LockModeType.PESSIMISTIC_WRITE);
        }
        List<TimerRow> rows = query.getResultList();
        if (lock) {
            for (TimerRow row : rows) {
                unit.holds(row.timerId, row);
            }
        }
        return rows;
    }

    private static ScheduledTimer toTimer(TimerRow row) {
        return new ScheduledTimer(
                EscrowId.of(row.escrowId),
                row.milestoneId == null ? null : MilestoneId.of(row.milestoneId),
                TimerKind.valueOf(row.timerKind),
                Micros.instant(row.dueAt),
                row.leaseOwner,
                Micros.instantOrNull(row.leaseUntil));
    }
}
