package dev.holdfast.api;

import java.time.Instant;

/**
 * Something that happened, recorded for ever. Events are appended, never edited; the state of an escrow is the
 * fold of its events. Every event is also entered into the hash-chained audit log and the outbox.
 *
 * @since 0.1
 */
public sealed interface HoldfastEvent permits EscrowEvent, BalanceEvent {
    /** @return when it happened, by the engine's clock */
    Instant at();

    /** @return the id of what it happened to: an escrow id, or a party id for balance events */
    String subject();
}
