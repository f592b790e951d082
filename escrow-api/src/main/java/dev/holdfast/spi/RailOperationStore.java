package dev.holdfast.spi;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.TransferId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Rail operations, keyed by transfer id.
 *
 * @since 0.1
 */
public interface RailOperationStore {
    /**
     * Inserts or replaces an operation.
     *
     * @param operation the operation
     */
    void save(RailOperation operation);

    /**
     * @param transferId a transfer id
     * @return its operation
     */
    Optional<RailOperation> find(TransferId transferId);

    /**
     * @param escrowId an escrow
     * @return its operations, oldest first
     */
    List<RailOperation> of(EscrowId escrowId);

    /**
     * Claims operations that are INIT, PENDING or UNKNOWN, due for a check, and not leased by another node.
     *
     * @param now the time
     * @param limit at most this many
     * @param owner the claiming node
     * @param leaseUntil the claim lapses then
     * @return the claimed operations (already saved with the lease)
     */
    List<RailOperation> claimDue(Instant now, int limit, String owner, Instant leaseUntil);
}
