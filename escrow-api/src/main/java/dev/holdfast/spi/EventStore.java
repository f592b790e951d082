package dev.holdfast.spi;

import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.PartyId;
import java.util.List;

/**
 * Append-only streams of escrow events, one stream per escrow, with optimistic concurrency.
 *
 * @since 0.1
 */
public interface EventStore {
    /**
     * @param escrowId an escrow
     * @return its events in order, empty when it does not exist
     */
    List<StoredEvent> load(EscrowId escrowId);

    /**
     * Appends events to an escrow's stream.
     *
     * @param escrowId the escrow
     * @param expectedVersion the stream's current version as the caller read it (0 for a new escrow)
     * @param events events to append, in order
     * @throws StoreConflictException when the stream's version is not {@code expectedVersion}
     */
    void append(EscrowId escrowId, long expectedVersion, List<EscrowEvent> events);

    /**
     * @param party a party
     * @return ids of the escrows in which the party is buyer or seller, oldest first
     */
    List<EscrowId> escrowsOf(PartyId party);

    /**
     * Pages through all escrows in the order their streams were created. Positions are stable because escrows are
     * never deleted, so an offset is a valid cursor.
     *
     * @param offset how many escrows to skip (0 for the oldest)
     * @param limit at most this many
     * @return escrow ids, oldest first
     */
    List<EscrowId> escrows(long offset, int limit);
}
