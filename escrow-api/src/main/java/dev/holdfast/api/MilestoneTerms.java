package dev.holdfast.api;

import java.time.Instant;

/**
 * A milestone as the engine froze it at creation, with its share of the platform fee. Immutable and thread-safe.
 *
 * @param id unique within the escrow
 * @param title what is delivered
 * @param amount the milestone amount (what the seller is owed before fees)
 * @param deliverBy delivery deadline
 * @param buyerFee fee the buyer pays on top for this milestone
 * @param sellerFee fee deducted from the seller's payout for this milestone
 * @since 0.1
 */
public record MilestoneTerms(
        MilestoneId id, String title, Money amount, Instant deliverBy, Money buyerFee, Money sellerFee) {

    /** @return what the buyer funds for this milestone: amount plus the buyer's fee */
    public Money funded() {
        return amount.plus(buyerFee);
    }
}
