package dev.holdfast.api;

/**
 * The sub-state of one rail call (a funding, a payout, a withdrawal).
 *
 * <p>{@code INIT} is recorded before the rail is called, so a crash between the record and the call is found by the
 * reconciler and resolved by asking the rail, which is idempotent on the transfer id. {@code PENDING} and {@code
 * UNKNOWN} are never resent blindly: the reconciler queries them until they become {@code SUCCEEDED} or {@code
 * FAILED}.
 *
 * @since 0.1
 */
public enum RailOperationStatus {
    /** Recorded, rail not called yet (or the call's answer was lost in a crash). */
    INIT,
    /** The rail accepted the request and is working, or waits for a party. */
    PENDING,
    /** Done, money moved. */
    SUCCEEDED,
    /** Done, no money moved. */
    FAILED,
    /** The rail's answer is not known (timeout, lost connection); must be queried. */
    UNKNOWN;

    /** @return true for SUCCEEDED and FAILED */
    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
