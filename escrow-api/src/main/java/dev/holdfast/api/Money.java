package dev.holdfast.api;

import java.util.Objects;

/**
 * An exact amount: a whole number of the asset's smallest unit.
 *
 * <p>Arithmetic never rounds silently and never overflows silently: {@link Math#addExact} and friends throw
 * {@link ArithmeticException}, which the engine reports as {@link ErrorCode#AMOUNT_OVERFLOW}. Mixing two assets
 * throws {@link ErrorCode#ASSET_MISMATCH}. Negative amounts are representable (ledger balances can be negative) but
 * every command rejects them. Immutable and thread-safe.
 *
 * @param minor the amount in the asset's smallest unit
 * @param asset the asset
 * @since 0.1
 */
public record Money(long minor, Asset asset) implements Comparable<Money> {
    /** Basis points in one whole: 10 000 bp = 100 %. */
    public static final int BASIS_POINTS_PER_WHOLE = 10_000;

    public Money {
        Objects.requireNonNull(asset, "asset");
    }

    /**
     * @param minor amount in the smallest unit
     * @param asset the asset
     * @return the amount
     */
    public static Money of(long minor, Asset asset) {
        return new Money(minor, asset);
    }

    /**
     * @param asset the asset
     * @return zero of that asset
     */
    public static Money zero(Asset asset) {
        return new Money(0, asset);
    }

    /**
     * @param other an amount of the same asset
     * @return the exact sum
     * @throws EscrowException {@link ErrorCode#ASSET_MISMATCH} or {@link ErrorCode#AMOUNT_OVERFLOW}
     */
    public Money plus(Money other) {
        requireSameAsset(other);
        return new Money(exact(() -> Math.addExact(minor, other.minor)), asset);
    }

    /**
     * @param other an amount of the same asset
     * @return the exact difference
     * @throws EscrowException {@link ErrorCode#ASSET_MISMATCH} or {@link ErrorCode#AMOUNT_OVERFLOW}
     */
    public Money minus(Money other) {
        requireSameAsset(other);
        return new Money(exact(() -> Math.subtractExact(minor, other.minor)), asset);
    }

    /**
     * @return the negated amount
     * @throws EscrowException {@link ErrorCode#AMOUNT_OVERFLOW} for {@link Long#MIN_VALUE}
     */
    public Money negate() {
        return new Money(exact(() -> Math.negateExact(minor)), asset);
    }

    /**
     * The share of this amount given by basis points, rounded <em>down</em> (towards zero). Rounding down is the
     * project's one rule for fees and splits: whoever pays a fee never pays a fraction more than the rate, and the
     * remainder of a split stays with the party named by the caller's rule.
     *
     * @param basisPoints 0 to 10 000
     * @return floor(minor × basisPoints / 10 000)
     * @throws EscrowException {@link ErrorCode#INVALID_FEE} when basisPoints is outside 0..10 000
     */
    public Money basisPoints(int basisPoints) {
        if (basisPoints < 0 || basisPoints > BASIS_POINTS_PER_WHOLE) {
            throw new EscrowException(ErrorCode.INVALID_FEE, "basis points " + basisPoints);
        }
        // minor × bp can exceed a long for large amounts; split it so the product never overflows.
        long whole = minor / BASIS_POINTS_PER_WHOLE;
        long rest = minor % BASIS_POINTS_PER_WHOLE;
        long share = whole * basisPoints + (rest * basisPoints) / BASIS_POINTS_PER_WHOLE;
        return new Money(share, asset);
    }

    /** @return true when greater than zero */
    public boolean isPositive() {
        return minor > 0;
    }

    /** @return true when zero */
    public boolean isZero() {
        return minor == 0;
    }

    /** @return true when less than zero */
    public boolean isNegative() {
        return minor < 0;
    }

    /**
     * @param other an amount of the same asset
     * @return the smaller of the two
     */
    public Money min(Money other) {
        return compareTo(other) <= 0 ? this : other;
    }

    /**
     * @throws EscrowException {@link ErrorCode#ASSET_MISMATCH} when the assets differ
     */
    @Override
    public int compareTo(Money other) {
        requireSameAsset(other);
        return Long.compare(minor, other.minor);
    }

    private void requireSameAsset(Money other) {
        if (!asset.equals(other.asset)) {
            throw new EscrowException(ErrorCode.ASSET_MISMATCH, asset, other.asset);
        }
    }

    private static long exact(java.util.function.LongSupplier op) {
        try {
            return op.getAsLong();
        } catch (ArithmeticException e) {
            throw new EscrowException(ErrorCode.AMOUNT_OVERFLOW, e, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return minor + " " + asset;
    }
}
