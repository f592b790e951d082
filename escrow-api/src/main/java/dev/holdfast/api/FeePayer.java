package dev.holdfast.api;

/**
 * Who bears the platform fee.
 *
 * @since 0.1
 */
public enum FeePayer {
    /** The fee is added on top of the escrow amount; the buyer funds amount + fee. */
    BUYER,
    /** The fee is deducted from what the seller receives. */
    SELLER,
    /** Each pays half; when the fee is odd the seller pays the extra smallest unit. */
    SPLIT
}
