package dev.holdfast.api;

import java.util.Objects;

/**
 * How a dispute ends for the money it froze: everything to the seller, everything back to the buyer, or a split.
 *
 * <p>A split names the seller's share of the <em>contested amount</em>, which is, per disputed milestone, what the
 * escrow still holds for it less the buyer's fee on top (the milestone amount, minus any earlier partial refund).
 * The rest goes back to the buyer. The platform fee is charged only on the released part, pro rata with floor
 * rounding; see {@code docs/disputes.md}. Immutable and thread-safe.
 *
 * @since 0.2
 */
public sealed interface DisputeOutcome {

    /** Everything the dispute froze goes to the seller, as a normal release (full platform fee). */
    record Release() implements DisputeOutcome {}

    /** Everything the dispute froze goes back to the buyer, buyer fee included. */
    record Refund() implements DisputeOutcome {}

    /**
     * The seller gets this much of the contested amount; over several milestones it fills them in order.
     *
     * @param toSeller more than zero and less than the contested amount
     */
    record SplitAmount(Money toSeller) implements DisputeOutcome {
        public SplitAmount {
            Objects.requireNonNull(toSeller, "toSeller");
        }
    }

    /**
     * The seller gets this share of each disputed milestone's contested amount, rounded down; the buyer the rest.
     *
     * @param toSellerBasisPoints 1 to 9 999 (10 000 would be a release, 0 a refund)
     */
    record SplitBasisPoints(int toSellerBasisPoints) implements DisputeOutcome {}

    /** @return a release */
    static DisputeOutcome release() {
        return new Release();
    }

    /** @return a refund */
    static DisputeOutcome refund() {
        return new Refund();
    }

    /**
     * @param toSeller the seller's part of the contested amount
     * @return a split by amount
     */
    static DisputeOutcome splitAmount(Money toSeller) {
        return new SplitAmount(toSeller);
    }

    /**
     * @param toSellerBasisPoints the seller's share in basis points
     * @return a split by basis points
     */
    static DisputeOutcome splitBasisPoints(int toSellerBasisPoints) {
        return new SplitBasisPoints(toSellerBasisPoints);
    }
}
