package dev.holdfast.spi;

/**
 * Kinds of ledger account. See {@code docs/ledger.md} for the postings each engine step makes.
 *
 * @since 0.1
 */
public enum AccountType {
    /** Counterpart of money entering from a rail; its balance is minus what came in (owner: rail id). */
    RAIL_CLEARING,
    /** Funds an escrow holds (owner: escrow id). */
    ESCROW_HELD,
    /** A party's internal balance with the platform (owner: party id). */
    PARTY_AVAILABLE,
    /** Withdrawals reserved but not yet confirmed by the rail (owner: party id). */
    PARTY_WITHDRAWING,
    /** Money that left to a party's own address (owner: party id). */
    PARTY_PAID_OUT,
    /** The platform's earned fees, less the rail fees it bore (owner: {@code platform}). */
    PLATFORM_REVENUE,
    /** Fees paid to rails: routing, network, quote differences (owner: rail id). */
    RAIL_FEES,
    /**
     * A party's fidelity bond held on the rail (owner: {@code <escrow id>:<buyer|seller>}); zero once the bond was
     * returned or forfeited.
     *
     * @since 0.3
     */
    BOND_HELD,
    /**
     * The platform's own money lent to rails as reserves (owner: {@code platform}); minus what is out on loan.
     *
     * @since 0.4
     */
    PLATFORM_FLOAT,
    /**
     * Platform money a rail holds as reserve for one escrow (owner: {@code <rail id>:<escrow id>}); zero once the
     * rail gave it back.
     *
     * @since 0.4
     */
    RAIL_FLOAT
}
