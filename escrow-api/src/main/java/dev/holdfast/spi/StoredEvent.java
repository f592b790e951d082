package dev.holdfast.spi;

import dev.holdfast.api.EscrowEvent;

/**
 * An escrow event with its position in the escrow's stream. Immutable and thread-safe.
 *
 * @param version 1 for the first event of an escrow, then +1 per event
 * @param event the event
 * @since 0.1
 */
public record StoredEvent(long version, EscrowEvent event) {}
