package dev.holdfast.spi;

/**
 * The parts of the store, all bound to one unit of work. Not thread-safe: used by one thread for the duration of
 * {@link HoldfastStore#inTransaction}.
 *
 * @since 0.1
 */
public interface StoreTransaction {
    /** @return escrow events */
    EventStore events();

    /** @return the double-entry ledger */
    LedgerStore ledger();

    /** @return idempotency records */
    IdempotencyStore idempotency();

    /** @return persisted timers */
    TimerStore timers();

    /** @return rail operations */
    RailOperationStore railOperations();

    /** @return the hash-chained audit log */
    AuditStore audit();

    /** @return the outbox */
    OutboxStore outbox();
}
