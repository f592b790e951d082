package dev.holdfast.spi;

import dev.holdfast.api.IdempotencyKey;
import java.util.Optional;

/**
 * Idempotency records, one per key.
 *
 * @since 0.1
 */
public interface IdempotencyStore {
    /**
     * @param key a key
     * @return its record
     */
    Optional<IdempotencyRecord> find(IdempotencyKey key);

    /**
     * Inserts a new record.
     *
     * @param record the record
     * @throws StoreConflictException when the key exists
     */
    void insert(IdempotencyRecord record);

    /**
     * Replaces the record of an existing key.
     *
     * @param record the record
     */
    void update(IdempotencyRecord record);

    /**
     * Removes a record, so the key can be used again (a refused request does not consume its key).
     *
     * @param key the key
     */
    void delete(IdempotencyKey key);
}
