package dev.holdfast.spi;

/**
 * The outcome of one rail call.
 *
 * @since 0.1
 */
public enum RailStatus {
    /** Money moved (or, for funding: the funds are held). */
    SUCCEEDED,
    /** Accepted; the outcome comes later by notification or query. */
    PENDING,
    /** No money moved and none will for this transfer id. */
    FAILED,
    /** The rail cannot tell (timeout, lost answer): the engine must query, never resend. */
    UNKNOWN
}
