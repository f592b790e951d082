package dev.holdfast.core.memory;

import dev.holdfast.spi.AuditStore;
import dev.holdfast.spi.EventStore;
import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.spi.IdempotencyStore;
import dev.holdfast.spi.LedgerStore;
import dev.holdfast.spi.OutboxStore;
import dev.holdfast.spi.RailOperationStore;
import dev.holdfast.spi.StoreConflictException;
import dev.holdfast.spi.StoreTransaction;
import dev.holdfast.spi.TimerStore;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link HoldfastStore} that keeps everything on the heap: for tests, demos and a host's test mode. It is not
 * durable (a restart loses everything) and serves one JVM only, so it is no choice for production.
 *
 * <p>Thread-safe. Units of work are serializable: one lock is held for the whole of {@link #inTransaction}, so they
 * run one after another and the version checks of the contract can only fail between transactions, never inside
 * one. Inside a unit of work reads see its own writes; other threads see them only after commit; when the work
 * throws, every write is undone before the lock is released. A {@link StoreConflictException} raised by any
 * sub-store dooms the unit of work even when the work catches it, as a database would.
 *
 * <p>Nested units of work on one thread are refused ({@link IllegalStateException}), and so is any use of a
 * {@link StoreTransaction} after its unit of work ended or from another thread.
 *
 * <p>Tests can make commits fail with {@link #failNextCommit} and {@link #failCommitsAfter}, which act like a
 * crash at commit: the work ran, nothing of it is kept, and the given exception is thrown. Every unit of work whose
 * work returns counts as a commit, read-only ones included.
 *
 * <p>Costs: appends, postings, idempotency records, timers and rail operations are O(1) or O(log n) per call;
 * claims read only due items (plus those whose lease is still running). No collection is copied per transaction;
 * reads copy only what they return.
 *
 * @since 0.1
 */
public final class InMemoryStore implements HoldfastStore {
    private final UnitOfWork uow = new UnitOfWork();
    private final StoreTransaction transaction = new Transaction(
            new MemoryEvents(uow),
            new MemoryLedger(uow),
            new MemoryIdempotency(uow),
            new MemoryTimers(uow),
            new MemoryRailOperations(uow),
            new MemoryAudit(uow),
            new MemoryOutbox(uow));

    // Fault hooks, guarded by the lock.
    private RuntimeException nextCommitFailure;
    private RuntimeException failureAfterCommits;
    private int commitsBeforeFailure;

    /** Creates an empty store. */
    public InMemoryStore() {}

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when called from inside a unit of work of this store
     */
    @Override
    public <T> T inTransaction(Function<StoreTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        if (uow.lock().isHeldByCurrentThread()) {
            throw new IllegalStateException("nested unit of work: the work must use the transaction it was given");
        }
        uow.lock().lock();
        try {
            uow.begin();
            T result = work.apply(transaction);
            uow.end();
            StoreConflictException swallowed = uow.swallowedConflict();
            if (swallowed != null) {
                StoreConflictException doomed = new StoreConflictException(
                        "unit of work rolled back after a conflict: " + swallowed.getMessage());
                doomed.initCause(swallowed);
                throw doomed;
            }
            RuntimeException fault = takeCommitFault();
            if (fault != null) {
                throw fault;
            }
            uow.commit();
            return result;
        } catch (Throwable e) {
            uow.rollback(e);
            throw e;
        } finally {
            uow.lock().unlock();
        }
    }

    /**
     * Makes the next commit throw {@code failure} instead of committing, as if the process crashed at commit. Waits
     * for a unit of work running on another thread to end.
     *
     * @param failure what the commit throws (the same instance)
     */
    public void failNextCommit(RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        uow.lock().lock();
        try {
            nextCommitFailure = failure;
        } finally {
            uow.lock().unlock();
        }
    }

    /**
     * Lets the next {@code commits} commits through, then makes every commit throw {@code failure} until {@link
     * #clearFaults()}: a store that went away for good.
     *
     * @param commits how many commits succeed first, 0 or more
     * @param failure what the failing commits throw (the same instance each time)
     */
    public void failCommitsAfter(int commits, RuntimeException failure) {
        Objects.requireNonNull(failure, "failure");
        if (commits < 0) {
            throw new IllegalArgumentException("commits must be 0 or more, was " + commits);
        }
        uow.lock().lock();
        try {
            commitsBeforeFailure = commits;
            failureAfterCommits = failure;
        } finally {
            uow.lock().unlock();
        }
    }

    /** Removes the faults set by {@link #failNextCommit} and {@link #failCommitsAfter}. */
    public void clearFaults() {
        uow.lock().lock();
        try {
            nextCommitFailure = null;
            failureAfterCommits = null;
            commitsBeforeFailure = 0;
        } finally {
            uow.lock().unlock();
        }
    }

    private RuntimeException takeCommitFault() {
        if (nextCommitFailure != null) {
            RuntimeException failure = nextCommitFailure;
            nextCommitFailure = null;
            return failure;
        }
        if (failureAfterCommits != null) {
            if (commitsBeforeFailure == 0) {
                return failureAfterCommits;
            }
            commitsBeforeFailure--;
        }
        return null;
    }

    /** One instance serves every unit of work: the sub-stores check that the caller holds the lock. */
    private record Transaction(
            EventStore events,
            LedgerStore ledger,
            IdempotencyStore idempotency,
            TimerStore timers,
            RailOperationStore railOperations,
            AuditStore audit,
            OutboxStore outbox)
            implements StoreTransaction {}
}
