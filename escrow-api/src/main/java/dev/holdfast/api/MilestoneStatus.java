package dev.holdfast.api;

/**
 * Where one milestone stands. Derived from the escrow's events; see {@code docs/state-machine.md}.
 *
 * @since 0.1
 */
public enum MilestoneStatus {
    /** The escrow is not funded yet. */
    AWAITING_FUNDING,
    /** Funds are held; the seller is working. */
    FUNDED,
    /** The seller marked delivery; the buyer is inspecting. */
    DELIVERED,
    /** Frozen by a dispute: no timer runs for it. */
    DISPUTED,
    /**
     * A dispute ended in a split: the buyer's part is refunded first, then the rest is released.
     *
     * @since 0.2
     */
    SETTLING,
    /** A release payout is on its way to the seller. */
    RELEASING,
    /** The seller was paid. */
    RELEASED,
    /** A release payout failed; release again (with a new destination if needed) or refund. */
    RELEASE_FAILED,
    /** A refund payout is on its way to the buyer. */
    REFUNDING,
    /** The buyer was refunded. */
    REFUNDED,
    /** A refund payout failed; refund again. */
    REFUND_FAILED,
    /** The escrow closed before funding. */
    CANCELLED;

    /** @return true when the milestone's money has left the escrow or was never there */
    public boolean isTerminal() {
        return switch (this) {
            case RELEASED, REFUNDED, CANCELLED -> true;
            case AWAITING_FUNDING,
                    FUNDED,
                    DELIVERED,
                    DISPUTED,
                    SETTLING,
                    RELEASING,
                    RELEASE_FAILED,
                    REFUNDING,
                    REFUND_FAILED -> false;
        };
    }
}
