package dev.holdfast.spi;

import java.util.List;
import java.util.Optional;

/**
 * The append-only audit log.
 *
 * @since 0.1
 */
public interface AuditStore {
    /** @return the newest entry, which the next one chains to */
    Optional<AuditEntry> last();

    /**
     * @param entry the next entry; its sequence is the last one + 1
     * @throws StoreConflictException when that sequence is taken
     */
    void append(AuditEntry entry);

    /**
     * @param afterSequence read entries after this sequence (0 for all)
     * @param limit at most this many
     * @return entries in sequence order
     */
    List<AuditEntry> read(long afterSequence, int limit);
}
