package dev.holdfast.spi;

import dev.holdfast.api.Money;
import java.util.Objects;

/**
 * A cost or a float movement the platform bore for a transfer, in any asset (a Stellar escrow in USDC still costs the
 * platform XLM). A rail reports them with the transfer's final outcome ({@link RailResult#costs()}, {@link
 * RailNotification.Funded#costs()}, {@link RailNotification.PayoutSucceeded#costs()}); the engine books each kind at
 * most once per transfer, in the same unit of work as the outcome. Optional: a rail without such costs reports none
 * (requirement RC-9 in {@code docs/rail-contract.md}). Immutable and thread-safe.
 *
 * @param kind what it is
 * @param amount how much; positive
 * @since 0.4
 */
public record RailCost(Kind kind, Money amount) {
    /** What a cost is. */
    public enum Kind {
        /**
         * A network or transaction fee the platform paid, not already reported as {@link RailResult#railFee()} (a
         * fee reported in both places would be booked twice).
         */
        NETWORK_FEE,
        /** Platform money the rail locked up for the transfer's escrow (a Stellar account's base reserve). */
        RESERVE_LENT,
        /** Platform money given back when the escrow's rail-side resources were released (a Stellar merge). */
        RESERVE_RETURNED
    }

    /**
     * @throws NullPointerException when a component is missing
     * @throws IllegalArgumentException when the amount is not positive
     */
    public RailCost {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("a rail cost must be positive: " + amount);
        }
    }

    /**
     * @param amount fee paid
     * @return a {@link Kind#NETWORK_FEE}
     */
    public static RailCost networkFee(Money amount) {
        return new RailCost(Kind.NETWORK_FEE, amount);
    }

    /**
     * @param amount reserve lent
     * @return a {@link Kind#RESERVE_LENT}
     */
    public static RailCost reserveLent(Money amount) {
        return new RailCost(Kind.RESERVE_LENT, amount);
    }

    /**
     * @param amount reserve returned
     * @return a {@link Kind#RESERVE_RETURNED}
     */
    public static RailCost reserveReturned(Money amount) {
        return new RailCost(Kind.RESERVE_RETURNED, amount);
    }
}
