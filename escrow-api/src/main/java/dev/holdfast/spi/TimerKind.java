package dev.holdfast.spi;

/**
 * What a persisted timer does when it comes due.
 *
 * @since 0.1
 */
public enum TimerKind {
    /** Expire an escrow that was not funded in time. */
    FUNDING_DEADLINE,
    /** Refund a milestone that was not delivered in time. */
    DELIVERY_DEADLINE,
    /** Release a delivered milestone when the inspection period ends. */
    AUTO_RELEASE,
    /** Act before the rail's hold lapses by itself. */
    HOLD_GUARD,
    /** A dispute's response deadline: evaluate the rules, else call an arbiter (since 0.2). */
    DISPUTE_RESPONSE,
    /** A dispute's appeal window ends: the first decision becomes final (since 0.2). */
    DISPUTE_APPEAL_WINDOW,
    /** A dispute's last deadline: resolve by the default outcome (since 0.2). */
    DISPUTE_DEADLINE,
    /** Pay the next part of a split again after a failed payout (since 0.2). */
    SETTLEMENT_RETRY,
    /** Send a failed refund again, with backoff, so a buyer's money does not wait for a person. */
    REFUND_RETRY
}
