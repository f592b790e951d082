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
    HOLD_GUARD
}
