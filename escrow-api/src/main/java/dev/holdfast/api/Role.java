package dev.holdfast.api;

/**
 * The part someone plays in an escrow. The engine checks every command's {@link Actor} against the escrow: a buyer
 * actor must be the escrow's buyer, and so on.
 *
 * @since 0.1
 */
public enum Role {
    /** Pays into the escrow and accepts delivery. */
    BUYER,
    /** Delivers and is paid on release. */
    SELLER,
    /** Decides disputes; never a party to the escrow they decide. */
    ARBITER,
    /** The marketplace operator acting through its back office. */
    PLATFORM,
    /** The engine itself: timers, the reconciler and rail notifications. */
    SYSTEM
}
