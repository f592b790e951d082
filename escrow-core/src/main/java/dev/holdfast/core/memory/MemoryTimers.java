package dev.holdfast.core.memory;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.spi.ScheduledTimer;
import dev.holdfast.spi.TimerKind;
import dev.holdfast.spi.TimerStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Timers of an {@link InMemoryStore}: per escrow for lookups by slot, and in one index by due time so a claim
 * reads only the due ones. Used only under the store's lock.
 */
final class MemoryTimers implements TimerStore {
    private record Held(ScheduledTimer timer, DueKey key) {}

    private final UnitOfWork uow;
    // An escrow has a handful of timers, so a list scan finds a (milestone, kind) slot faster than a second map.
    private final HashMap<EscrowId, ArrayList<Held>> byEscrow = new HashMap<>();
    private final TreeMap<DueKey, Held> byDue = new TreeMap<>();
    private long tiebreak;

    MemoryTimers(UnitOfWork uow) {
        this.uow = uow;
    }

    @Override
    public void schedule(ScheduledTimer timer) {
        uow.check();
        EscrowId escrowId = Objects.requireNonNull(timer.escrowId(), "escrowId");
        Objects.requireNonNull(timer.kind(), "kind");
        Objects.requireNonNull(timer.dueAt(), "dueAt");
        // A (re)scheduled timer is unclaimed: the node firing the old one must find its lease gone in complete().
        ScheduledTimer unleased = timer.leaseOwner() == null && timer.leaseUntil() == null
                ? timer
                : new ScheduledTimer(escrowId, timer.milestone(), timer.kind(), timer.dueAt(), null, null);
        Held fresh = new Held(unleased, new DueKey(unleased.dueAt(), ++tiebreak));
        ArrayList<Held> timers = timersOf(escrowId);
        int slot = slotOf(timers, timer.milestone(), timer.kind());
        byDue.put(fresh.key(), fresh);
        if (slot < 0) {
            timers.add(fresh);
            uow.onRollback(() -> {
                timers.remove(timers.size() - 1);
                byDue.remove(fresh.key());
            });
        } else {
            Held old = timers.set(slot, fresh);
            byDue.remove(old.key());
            uow.onRollback(() -> {
                timers.set(slot, old);
                byDue.remove(fresh.key());
                byDue.put(old.key(), old);
            });
        }
    }

    @Override
    public void cancel(EscrowId escrowId, MilestoneId milestone, TimerKind kind) {
        uow.check();
        ArrayList<Held> timers = byEscrow.get(escrowId);
        if (timers != null) {
            int slot = slotOf(timers, milestone, kind);
            if (slot >= 0) {
                remove(escrowId, timers, slot);
            }
        }
    }

    @Override
    public List<ScheduledTimer> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
        return Leases.claim(
                uow, byDue, now, limit, owner, leaseUntil, held -> held.timer().leaseUntil(), entry -> {
                    Held held = entry.getValue();
                    ScheduledTimer timer = held.timer();
                    ScheduledTimer leased = new ScheduledTimer(
                            timer.escrowId(), timer.milestone(), timer.kind(), timer.dueAt(), owner, leaseUntil);
                    Held leasedHeld = new Held(leased, held.key());
                    entry.setValue(leasedHeld);
                    ArrayList<Held> timers = byEscrow.get(timer.escrowId());
                    int slot = indexOf(timers, held);
                    timers.set(slot, leasedHeld);
                    uow.onRollback(() -> {
                        timers.set(slot, held);
                        byDue.put(held.key(), held);
                    });
                    return leased;
                });
    }

    @Override
    public boolean complete(ScheduledTimer timer) {
        uow.check();
        if (timer.leaseOwner() == null) {
            return false;
        }
        ArrayList<Held> timers = byEscrow.get(timer.escrowId());
        int slot = timers == null ? -1 : slotOf(timers, timer.milestone(), timer.kind());
        if (slot < 0) {
            return false;
        }
        ScheduledTimer current = timers.get(slot).timer();
        // The lease, not the timer's data, proves ownership: a takeover or a reschedule changes it.
        if (!timer.leaseOwner().equals(current.leaseOwner())
                || !Objects.equals(timer.leaseUntil(), current.leaseUntil())) {
            return false;
        }
        remove(timer.escrowId(), timers, slot);
        return true;
    }

    @Override
    public List<ScheduledTimer> of(EscrowId escrowId) {
        uow.check();
        ArrayList<Held> timers = byEscrow.get(escrowId);
        if (timers == null) {
            return List.of();
        }
        List<ScheduledTimer> result = new ArrayList<>(timers.size());
        for (Held held : timers) {
            result.add(held.timer());
        }
        result.sort(Comparator.comparing(ScheduledTimer::dueAt));
        return List.copyOf(result);
    }

    @Override
    public void shift(EscrowId escrowId, Duration by) {
        uow.check();
        if (by.isNegative()) {
            throw new IllegalArgumentException("timers only move earlier, not by " + by);
        }
        ArrayList<Held> timers = byEscrow.get(escrowId);
        if (timers == null || by.isZero()) {
            return;
        }
        for (int slot = 0; slot < timers.size(); slot++) {
            Held old = timers.get(slot);
            ScheduledTimer timer = old.timer();
            Instant dueAt = timer.dueAt().minus(by);
            Held moved = new Held(
                    new ScheduledTimer(
                            escrowId, timer.milestone(), timer.kind(), dueAt, timer.leaseOwner(), timer.leaseUntil()),
                    new DueKey(dueAt, old.key().tiebreak()));
            timers.set(slot, moved);
            byDue.remove(old.key());
            byDue.put(moved.key(), moved);
            int at = slot;
            uow.onRollback(() -> {
                timers.set(at, old);
                byDue.remove(moved.key());
                byDue.put(old.key(), old);
            });
        }
    }

    private ArrayList<Held> timersOf(EscrowId escrowId) {
        ArrayList<Held> timers = byEscrow.get(escrowId);
        if (timers == null) {
            ArrayList<Held> created = new ArrayList<>(4);
            byEscrow.put(escrowId, created);
            uow.onRollback(() -> byEscrow.remove(escrowId));
            return created;
        }
        return timers;
    }

    private void remove(EscrowId escrowId, ArrayList<Held> timers, int slot) {
        Held old = timers.remove(slot);
        byDue.remove(old.key());
        // Drop empty lists: a finished escrow must not cost memory forever.
        boolean emptied = timers.isEmpty();
        if (emptied) {
            byEscrow.remove(escrowId);
        }
        uow.onRollback(() -> {
            if (emptied) {
                byEscrow.put(escrowId, timers);
            }
            timers.add(slot, old);
            byDue.put(old.key(), old);
        });
    }

    private static int slotOf(List<Held> timers, MilestoneId milestone, TimerKind kind) {
        for (int i = 0; i < timers.size(); i++) {
            ScheduledTimer timer = timers.get(i).timer();
            if (timer.kind() == kind && Objects.equals(timer.milestone(), milestone)) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(List<Held> timers, Held held) {
        for (int i = 0; i < timers.size(); i++) {
            if (timers.get(i) == held) {
                return i;
            }
        }
        throw new IllegalStateException(
                "timer index out of step: " + held.timer().timerId());
    }
}
