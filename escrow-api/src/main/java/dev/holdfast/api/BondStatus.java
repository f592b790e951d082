package dev.holdfast.api;

/**
 * Where a bond stands.
 *
 * @since 0.3
 */
public enum BondStatus {
    /** Funding opened on the rail; the party has not paid yet. */
    REQUESTED,
    /** The rail holds the bond. */
    POSTED,
    /** Given back to the party (the bond funding is cancelled on the rail). */
    RETURNED,
    /** Never posted; its funding was withdrawn when the escrow closed. */
    CANCELLED,
    /** Paid to the counterparty and/or the platform after a dispute was decided against the party. */
    FORFEITED
}
