package dev.holdfast.spi;

import java.util.function.Function;

/**
 * Durable state of the engine, changed only in units of work.
 *
 * <p>Everything done through one {@link StoreTransaction} commits together or not at all. When the work throws, the
 * store rolls back and rethrows. Implementations are thread-safe; transactions may run concurrently (on several app
 * nodes, too) and conflicting writes end in {@link StoreConflictException}.
 *
 * @since 0.1
 */
public interface HoldfastStore {
    /**
     * Runs work in one unit of work.
     *
     * @param work what to do; must not call rails or block on anything but the store
     * @param <T> the work's result
     * @return the work's result, after commit
     * @throws StoreConflictException when the commit lost a race
     */
    <T> T inTransaction(Function<StoreTransaction, T> work);
}
