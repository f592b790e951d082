package dev.holdfast.api;

import java.util.Objects;

/**
 * A fidelity bond one party of an escrow must post: a fixed amount or a share of the escrow amount, and where it goes
 * if a dispute is decided against that party. Immutable and thread-safe.
 *
 * <p>Exactly one of {@code fixed} and {@code basisPoints} is given; the engine checks the terms when the bond is
 * required ({@link ErrorCode#INVALID_BOND}), not here, so that a bad request is refused with a code rather than an
 * exception from a constructor.
 *
 * @param party {@link Role#BUYER} or {@link Role#SELLER}
 * @param fixed the bond amount, in the escrow's asset, or {@code null} when given by basis points
 * @param basisPoints the bond as {@code floor(escrow amount × basisPoints / 10 000)}, 1 to 10 000, or 0 when fixed
 * @param forfeit where a forfeited bond goes
 * @since 0.3
 */
public record BondTerms(Role party, Money fixed, int basisPoints, BondForfeit forfeit) {
    public BondTerms {
        Objects.requireNonNull(party, "party");
        forfeit = forfeit == null ? BondForfeit.toCounterparty() : forfeit;
    }

    /**
     * @param party buyer or seller
     * @param amount the bond
     * @param forfeit where a forfeited bond goes
     * @return a fixed bond
     */
    public static BondTerms fixed(Role party, Money amount, BondForfeit forfeit) {
        return new BondTerms(party, amount, 0, forfeit);
    }

    /**
     * @param party buyer or seller
     * @param basisPoints share of the escrow amount, rounded down
     * @param forfeit where a forfeited bond goes
     * @return a bond proportional to the escrow amount
     */
    public static BondTerms basisPoints(Role party, int basisPoints, BondForfeit forfeit) {
        return new BondTerms(party, null, basisPoints, forfeit);
    }

    /**
     * Where a forfeited bond goes: to the counterparty (the other party of the escrow), to the platform, or split.
     *
     * @param toPlatformBasisPoints the platform's share, rounded down; 0 = all to the counterparty, 10 000 = all to
     *     the platform
     */
    public record BondForfeit(int toPlatformBasisPoints) {
        /** @return everything to the counterparty */
        public static BondForfeit toCounterparty() {
            return new BondForfeit(0);
        }

        /** @return everything to the platform */
        public static BondForfeit toPlatform() {
            return new BondForfeit(Money.BASIS_POINTS_PER_WHOLE);
        }

        /**
         * @param toPlatformBasisPoints the platform's share; the counterparty gets the rest
         * @return a split
         */
        public static BondForfeit split(int toPlatformBasisPoints) {
            return new BondForfeit(toPlatformBasisPoints);
        }
    }
}
