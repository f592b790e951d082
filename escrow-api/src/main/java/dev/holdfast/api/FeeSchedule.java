package dev.holdfast.api;

import java.util.Objects;

/**
 * The platform's fee for one escrow: a rate in basis points plus a fixed part, and who pays it.
 *
 * <p><b>Rounding rule</b> (the only one in Holdfast): the rate part of each milestone's fee is {@code floor(amount ×
 * basisPoints / 10 000)}; the fixed part is charged once, on the first milestone. The fee is frozen when the escrow
 * is created and is earned only on what is released: a refunded milestone returns its fee to whoever paid it.
 * Immutable and thread-safe.
 *
 * @param basisPoints rate, 0 to 10 000
 * @param fixedMinor fixed part in the escrow asset's smallest unit, zero or more
 * @param payer who bears the fee
 * @since 0.1
 */
public record FeeSchedule(int basisPoints, long fixedMinor, FeePayer payer) {
    private static final FeeSchedule NONE = new FeeSchedule(0, 0, FeePayer.SELLER);

    /**
     * @throws EscrowException {@link ErrorCode#INVALID_FEE} when the rate or fixed part is out of range
     */
    public FeeSchedule {
        Objects.requireNonNull(payer, "payer");
        if (basisPoints < 0 || basisPoints > Money.BASIS_POINTS_PER_WHOLE) {
            throw new EscrowException(ErrorCode.INVALID_FEE, "basis points must be 0..10000, was " + basisPoints);
        }
        if (fixedMinor < 0) {
            throw new EscrowException(ErrorCode.INVALID_FEE, "fixed part must not be negative, was " + fixedMinor);
        }
    }

    /** @return no fee at all */
    public static FeeSchedule none() {
        return NONE;
    }
}
