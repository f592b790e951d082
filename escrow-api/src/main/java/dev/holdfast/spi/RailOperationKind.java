package dev.holdfast.spi;

/**
 * What a rail operation does.
 *
 * @since 0.1
 */
public enum RailOperationKind {
    /** Open funding for an escrow. */
    FUNDING,
    /** Withdraw an open funding (cancelled or expired escrow). */
    CANCEL_FUNDING,
    /** Pay a milestone to the seller. */
    RELEASE,
    /** Pay a milestone back to the buyer. */
    REFUND,
    /** Pay a party's internal balance out. */
    WITHDRAWAL
}
