package dev.holdfast.spi;

import dev.holdfast.api.DisputeView;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.PartyId;
import java.util.List;
import java.util.Optional;

/**
 * Picks the arbiter of a dispute from the pool. The engine passes only eligible candidates: never the escrow's buyer or
 * seller, and for an appeal never the first arbiter; it checks the answer against the same rule. Implementations
 * are thread-safe.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface ArbiterPolicy {

    /**
     * @param escrow the escrow
     * @param dispute the dispute
     * @param candidates eligible arbiters, in pool order, never empty
     * @return the arbiter, or empty to leave the dispute unassigned (its deadline then applies the default outcome)
     */
    Optional<PartyId> assign(EscrowView escrow, DisputeView dispute, List<PartyId> candidates);
}
