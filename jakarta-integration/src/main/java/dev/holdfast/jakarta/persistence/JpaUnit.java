package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.AuditStore;
import dev.holdfast.spi.EventStore;
import dev.holdfast.spi.IdempotencyStore;
import dev.holdfast.spi.LedgerStore;
import dev.holdfast.spi.OutboxStore;
import dev.holdfast.spi.RailOperationStore;
import dev.holdfast.spi.StoreConflictException;
import dev.holdfast.spi.StoreTransaction;
import dev.holdfast.spi.TimerStore;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One unit of work of a {@link JpaHoldfastStore}: an entity manager with an open resource-local transaction, the
 * sub-stores bound to it, and the first conflict it met. Not thread-safe.
 */
final class JpaUnit implements StoreTransaction {
    final EntityManager em;
    private HeadRow head;
    private StoreConflictException conflict;
    private final JpaEvents events = new JpaEvents(this);
    private final JpaLedger ledger = new JpaLedger(this);
    private final JpaIdempotency idempotency = new JpaIdempotency(this);
    private final JpaTimers timers = new JpaTimers(this);
    private final JpaRailOperations railOperations = new JpaRailOperations(this);
    private final JpaAudit audit = new JpaAudit(this);
    private final JpaOutbox outbox = new JpaOutbox(this);

    // Rows this unit of work locked, created or removed, by (class, id); null when absent. Finding a row with a lock
    // goes to the database, which does not see rows persisted here and not yet flushed.
    private final Map<List<Object>, Object> rows = new HashMap<>();
    private final Set<List<Object>> removed = new HashSet<>();

    JpaUnit(EntityManager em) {
        this.em = em;
    }

    /** @return the row, locked until commit, or {@code null}; rows created or removed here are seen as such */
    <T> T locked(Class<T> type, Object id) {
        List<Object> key = List.of(type, id);
        if (rows.containsKey(key)) {
            return type.cast(rows.get(key));
        }
        T row = em.find(type, id, LockModeType.PESSIMISTIC_WRITE);
        rows.put(key, row);
        return row;
    }

    /** Notes a row this unit of work holds (locked by a query or a claim). */
    void holds(Object id, Object row) {
        rows.put(List.of(row.getClass(), id), row);
    }

    void persist(Object id, Object row) {
        List<Object> key = List.of(row.getClass(), id);
        if (removed.remove(key)) {
            // EclipseLink writes inserts before deletes: send the delete of the old row first
            em.flush();
        }
        em.persist(row);
        rows.put(key, row);
    }

    void remove(Object id, Object row) {
        List<Object> key = List.of(row.getClass(), id);
        em.remove(row);
        rows.put(key, null);
        removed.add(key);
    }

    /**
     * The counters row, locked until commit. Taken by every unit of work that appends to a global log (escrow
     * creation, journal, audit, outbox), so those logs are numbered in commit order without gaps: a reader of the
     * outbox feed that has seen sequence n has already been able to see every sequence below n. The engine chains
     * every event into one audit log anyway, so writers were serialised on its last entry; the lock makes them wait
     * for each other instead of failing and retrying.
     */
    HeadRow head() {
        if (head == null) {
            head = locked(HeadRow.class, HeadRow.ID);
            if (head == null) {
                throw new IllegalStateException("holdfast_head has no row: run HoldfastMigrations first");
            }
        }
        return head;
    }

    /**
     * Runs one store operation: refuses to run after a conflict (on PostgreSQL the transaction is aborted anyway)
     * and turns database races into the recorded {@link StoreConflictException}.
     */
    <T> T run(Supplier<T> operation) {
        if (conflict != null) {
            throw conflict;
        }
        try {
            return operation.get();
        } catch (StoreConflictException e) {
            conflict = e;
            throw e;
        } catch (RuntimeException e) {
            StoreConflictException mapped = Conflicts.translate(e);
            if (mapped != null) {
                conflict = mapped;
                throw mapped;
            }
            throw e;
        }
    }

    void run(Runnable operation) {
        run(() -> {
            operation.run();
            return null;
        });
    }

    /** Records a conflict the store itself detected; the unit of work fails even if the work catches it. */
    StoreConflictException conflict(String message) {
        StoreConflictException e = new StoreConflictException(message);
        conflict = e;
        return e;
    }

    StoreConflictException conflict() {
        return conflict;
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public LedgerStore ledger() {
        return ledger;
    }

    @Override
    public IdempotencyStore idempotency() {
        return idempotency;
    }

    @Override
    public TimerStore timers() {
        return timers;
    }

    @Override
    public RailOperationStore railOperations() {
        return railOperations;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public OutboxStore outbox() {
        return outbox;
    }
}
