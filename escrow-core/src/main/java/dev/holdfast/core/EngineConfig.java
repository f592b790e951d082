package dev.holdfast.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the engine's background work. Immutable and thread-safe; {@link #defaults()} suits most hosts.
 *
 * @param nodeId names this engine instance in leases; unique per app node
 * @param lease how long a claimed timer, rail operation or outbox message stays with this node
 * @param reconcileFirstDelay the first re-check of a pending or unknown rail operation
 * @param reconcileMaxDelay the longest gap between re-checks (the backoff doubles up to it)
 * @param idempotencyLock how long a request in progress keeps its key before another request may take it over
 * @param batchSize how many timers, operations or messages one pass claims
 * @param conflictRetries how often a command is retried after losing a race on the same escrow
 * @since 0.1
 */
public record EngineConfig(
        String nodeId,
        Duration lease,
        Duration reconcileFirstDelay,
        Duration reconcileMaxDelay,
        Duration idempotencyLock,
        int batchSize,
        int conflictRetries) {
    public EngineConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        if (batchSize < 1 || conflictRetries < 0) {
            throw new IllegalArgumentException("batchSize >= 1 and conflictRetries >= 0");
        }
    }

    /** @return defaults: a random node id, 30 s leases, re-checks from 5 s up to 10 min */
    public static EngineConfig defaults() {
        return new EngineConfig(
                "node-" + java.util.UUID.randomUUID(),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofMinutes(10),
                Duration.ofSeconds(60),
                100,
                8);
    }

    /**
     * @param id the node id
     * @return a copy with that node id
     */
    public EngineConfig withNodeId(String id) {
        return new EngineConfig(
                id, lease, reconcileFirstDelay, reconcileMaxDelay, idempotencyLock, batchSize, conflictRetries);
    }
}
