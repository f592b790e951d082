package dev.holdfast.core;

import dev.holdfast.spi.ArbiterPolicy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Built-in {@link ArbiterPolicy} implementations. Thread-safe.
 *
 * @since 0.2
 */
public final class ArbiterPolicies {
    private ArbiterPolicies() {}

    /**
     * Takes the eligible candidates in turn. The turn is kept per policy instance (per node), which spreads the load
     * well enough; the assignment itself is recorded in the dispute's events, so nodes never need to agree on it.
     *
     * @return a new round-robin policy
     */
    public static ArbiterPolicy roundRobin() {
        AtomicLong turn = new AtomicLong();
        return (escrow, dispute, candidates) ->
                Optional.of(candidates.get((int) Math.floorMod(turn.getAndIncrement(), (long) candidates.size())));
    }
}
