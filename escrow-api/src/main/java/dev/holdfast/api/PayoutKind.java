package dev.holdfast.api;

/**
 * Why money leaves an escrow or a balance.
 *
 * @since 0.1
 */
public enum PayoutKind {
    /** To the seller, for a milestone released. */
    RELEASE,
    /** Back to the buyer. */
    REFUND,
    /** From a party's internal balance to the party's own rail address. */
    WITHDRAWAL
}
