package dev.holdfast.api;

/**
 * Where an escrow as a whole stands. Derived from its events; see {@code docs/state-machine.md} for the table.
 *
 * @since 0.1
 */
public enum EscrowStatus {
    /** Before the creation event; never seen by a host. */
    CREATED,
    /** Waiting for the buyer to fund. */
    AWAITING_FUNDING,
    /** Funds are held; milestones are being delivered, released or refunded. */
    FUNDED,
    /** Closed: every milestone was released. */
    RELEASED,
    /** Closed: every milestone was refunded. */
    REFUNDED,
    /** Closed: some milestones were released and some refunded. */
    SETTLED,
    /** Closed before funding by a party or the platform. */
    CANCELLED,
    /** Closed: the buyer did not fund before the funding deadline. */
    EXPIRED,
    /** Closed: the rail refused to open funding. */
    FUNDING_FAILED;

    /** @return true when nothing more can happen to the escrow */
    public boolean isTerminal() {
        return switch (this) {
            case RELEASED, REFUNDED, SETTLED, CANCELLED, EXPIRED, FUNDING_FAILED -> true;
            case CREATED, AWAITING_FUNDING, FUNDED -> false;
        };
    }
}
