package dev.holdfast.jakarta.persistence;

import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.spi.IdempotencyRecord;
import dev.holdfast.spi.IdempotencyStore;
import java.util.Optional;

/** Idempotency records. Two nodes inserting one key: the second fails on the primary key, a conflict. */
final class JpaIdempotency implements IdempotencyStore {
    private final JpaUnit unit;

    JpaIdempotency(JpaUnit unit) {
        this.unit = unit;
    }

    @Override
    public Optional<IdempotencyRecord> find(IdempotencyKey key) {
        return unit.run(() -> {
            IdempotencyRow row = unit.em.find(IdempotencyRow.class, key.value());
            return Optional.ofNullable(row == null ? null : toRecord(row));
        });
    }

    @Override
    public void insert(IdempotencyRecord record) {
        unit.run(() -> {
            IdempotencyRow row = new IdempotencyRow();
            row.idempotencyKey = record.key().value();
            copy(record, row);
            unit.persist(row.idempotencyKey, row);
            // Flushed now, so the loser of a race learns it here, before it does the request's work.
            unit.em.flush();
        });
    }

    @Override
    public void update(IdempotencyRecord record) {
        unit.run(() -> {
            IdempotencyRow row = unit.locked(IdempotencyRow.class, record.key().value());
            if (row == null) {
                throw unit.conflict("no idempotency record " + record.key().value() + " to update");
            }
            copy(record, row);
        });
    }

    @Override
    public void delete(IdempotencyKey key) {
        unit.run(() -> {
            IdempotencyRow row = unit.locked(IdempotencyRow.class, key.value());
            if (row != null) {
                unit.remove(key.value(), row);
            }
        });
    }

    private static void copy(IdempotencyRecord r, IdempotencyRow row) {
        row.requestHash = r.requestHash();
        row.completed = r.completed();
        row.resultSubject = r.resultSubject();
        row.resultVersion = r.resultVersion();
        row.createdAt = Micros.of(r.createdAt());
        row.lockedUntil = Micros.ofNullable(r.lockedUntil());
    }

    private static IdempotencyRecord toRecord(IdempotencyRow row) {
        return new IdempotencyRecord(
                IdempotencyKey.of(row.idempotencyKey),
                row.requestHash,
                row.completed,
                row.resultSubject,
                row.resultVersion,
                Micros.instant(row.createdAt),
                Micros.instantOrNull(row.lockedUntil));
    }
}
