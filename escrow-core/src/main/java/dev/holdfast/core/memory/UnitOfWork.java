package dev.holdfast.core.memory;

import dev.holdfast.spi.StoreConflictException;
import java.util.ArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one lock of an {@link InMemoryStore} and the state of the unit of work that holds it. Thread-safe: every
 * field except the lock is touched only by the thread holding the lock.
 *
 * <p>Writes change the live maps at once and leave an inverse behind. Because the lock is held from the first read
 * to commit or rollback, no other thread can see a change before it commits, which gives the same guarantees as
 * buffering the writes, without merging a buffer into every query (claims, balances, ordered reads).
 */
final class UnitOfWork {
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayList<Runnable> inverses = new ArrayList<>();
    private boolean active;
    private StoreConflictException conflict;

    ReentrantLock lock() {
        return lock;
    }

    void begin() {
        active = true;
        conflict = null;
    }

    /** Stops the sub-stores from accepting calls: from here on the unit of work only commits or rolls back. */
    void end() {
        active = false;
    }

    /** Guards every sub-store call, so a transaction object kept past its unit of work fails loudly. */
    void check() {
        // Lock first: only the owning thread may read the other fields.
        if (!lock.isHeldByCurrentThread() || !active) {
            throw new IllegalStateException("store used outside its unit of work (or from another thread)");
        }
    }

    /** @param inverse undoes a change just made; run in reverse order on rollback */
    void onRollback(Runnable inverse) {
        inverses.add(inverse);
    }

    /**
     * Records a lost race. The unit of work is doomed even if the work catches the exception, as it would be on a
     * database that aborts the transaction on a failed unique or version check.
     */
    StoreConflictException conflict(String message) {
        StoreConflictException e = new StoreConflictException(message);
        if (conflict == null) {
            conflict = e;
        }
        return e;
    }

    /** @return the first conflict the work swallowed, or null */
    StoreConflictException swallowedConflict() {
        return conflict;
    }

    void commit() {
        inverses.clear();
        conflict = null;
    }

    /**
     * @param cause why the unit of work failed; a failing inverse is added to it as suppressed
     */
    void rollback(Throwable cause) {
        active = false;
        for (int i = inverses.size() - 1; i >= 0; i--) {
            try {
                inverses.get(i).run();
            } catch (RuntimeException e) {
                // Keep undoing: the remaining inverses restore unrelated state, and the cause must not be lost.
                cause.addSuppressed(e);
            }
        }
        inverses.clear();
        conflict = null;
    }
}
