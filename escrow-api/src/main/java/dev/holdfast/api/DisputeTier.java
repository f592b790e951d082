package dev.holdfast.api;

/**
 * Which tier of the dispute process fixed the outcome.
 *
 * @since 0.2
 */
public enum DisputeTier {
    /** A {@code DisputeRule} decided an obvious case. */
    RULE,
    /** The parties agreed on a settlement offer. */
    SETTLEMENT,
    /** The first arbiter decided and nobody appealed in time (or appeals are off). */
    ARBITRATION,
    /** The second arbiter decided on appeal. */
    APPEAL,
    /** A deadline passed without an outcome; the configured default applied. */
    DEFAULT,
    /** The rail's hold was about to lapse (or lapsed); the buyer is refunded before the rail does it alone. */
    HOLD_EXPIRY
}
