/**
 * The store contract test kit: {@link dev.holdfast.tck.store.StoreContractTest}, an abstract JUnit 5 suite that
 * every {@link dev.holdfast.spi.HoldfastStore} must pass. An implementation extends it and returns a fresh, empty
 * store from {@code newStore()}.
 *
 * <p>Each test's display name starts with its requirement id ({@code SC-n}). Ids are grouped by hundreds: 1xx unit
 * of work, 2xx events, 3xx ledger, 4xx idempotency, 5xx timers, 6xx rail operations, 7xx audit log, 8xx outbox, 9xx
 * concurrency. An id names one rule for good; a retired rule's id is not reused.
 *
 * @since 0.1
 */
package dev.holdfast.tck.store;
