package dev.holdfast.api;

/**
 * An instruction still waiting for its party. Immutable and thread-safe.
 *
 * @param transferId the transfer it belongs to
 * @param instruction what the party must do
 * @since 0.1
 */
public record PendingInstruction(TransferId transferId, PartyInstruction instruction) {}
