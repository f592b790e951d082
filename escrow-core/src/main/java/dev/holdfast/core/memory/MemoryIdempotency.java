package dev.holdfast.core.memory;

import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.spi.IdempotencyRecord;
import dev.holdfast.spi.IdempotencyStore;
import java.util.HashMap;
import java.util.Objects;
import java.util.Optional;

/** Idempotency records of an {@link InMemoryStore}. Used only under the store's lock. */
final class MemoryIdempotency implements IdempotencyStore {
    private final UnitOfWork uow;
    private final HashMap<IdempotencyKey, IdempotencyRecord> records = new HashMap<>();

    MemoryIdempotency(UnitOfWork uow) {
        this.uow = uow;
    }

    @Override
    public Optional<IdempotencyRecord> find(IdempotencyKey key) {
        uow.check();
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public void insert(IdempotencyRecord record) {
        uow.check();
        IdempotencyKey key = Objects.requireNonNull(record.key(), "key");
        if (records.containsKey(key)) {
            throw uow.conflict("idempotency key " + key + " exists");
        }
        records.put(key, record);
        uow.onRollback(() -> records.remove(key));
    }

    @Override
    public void update(IdempotencyRecord record) {
        uow.check();
        IdempotencyKey key = Objects.requireNonNull(record.key(), "key");
        IdempotencyRecord previous = records.get(key);
        if (previous == null) {
            // Inserted by this request and deleted since, or never inserted: either way the caller's view is stale.
            throw uow.conflict("idempotency key " + key + " does not exist");
        }
        records.put(key, record);
        uow.onRollback(() -> records.put(key, previous));
    }

    @Override
    public void delete(IdempotencyKey key) {
        uow.check();
        IdempotencyRecord previous = records.remove(key);
        if (previous != null) {
            uow.onRollback(() -> records.put(key, previous));
        }
    }
}
