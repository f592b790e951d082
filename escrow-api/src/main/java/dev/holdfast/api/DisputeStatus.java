package dev.holdfast.api;

/**
 * Where a dispute stands. Derived from the escrow's events; see {@code docs/disputes.md} for the tiers.
 *
 * @since 0.2
 */
public enum DisputeStatus {
    /** Parties state their case, post evidence and messages, and may offer a settlement. */
    OPEN,
    /** An arbiter is assigned and has not decided yet; parties may still settle. */
    ARBITRATION,
    /** The first arbiter decided; the decision becomes final when the appeal window passes. */
    DECIDED,
    /** Appealed to a second arbiter, whose decision is final. */
    APPEALED,
    /** Resolved; the outcome is being, or was, paid out. */
    RESOLVED;

    /** @return true once the outcome is fixed */
    public boolean isResolved() {
        return this == RESOLVED;
    }
}
