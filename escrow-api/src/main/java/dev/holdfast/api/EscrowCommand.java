package dev.holdfast.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a host can ask of an escrow. Each command names the {@link Actor} issuing it; the engine checks the
 * actor against the escrow and the command against the escrow's state, and refuses with an {@link EscrowException}
 * that changes nothing when either does not fit.
 *
 * <p>A {@code null} milestone in the milestone commands means "every milestone the command applies to".
 *
 * @since 0.1
 */
public sealed interface EscrowCommand {

    /** @return who issues the command */
    Actor actor();

    /** @return the escrow the command acts on, or {@code null} for {@link CreateEscrow} */
    EscrowId escrowId();

    /**
     * Opens a new escrow and asks its rail for funding instructions.
     *
     * @param actor the buyer or the platform
     * @param buyer who pays
     * @param seller who is paid
     * @param rail the payment rail that holds the funds
     * @param amount the escrow amount, without any fee the buyer pays on top
     * @param milestones 1 to 100 milestones whose amounts add up to {@code amount}
     * @param fee the platform fee
     * @param fundBy the buyer must fund before this instant, or the escrow expires
     * @param inspectionPeriod after delivery the buyer has this long to accept or dispute; then the milestone is
     *     released automatically
     * @param disputeWindow the longest a dispute may keep a milestone's funds frozen; counted when checking the rail's
     *     maximum hold time
     * @param sellerPayout where released funds go; {@code null} means the seller's internal balance
     * @param buyerRefund where refunds go; {@code null} means back to the funding source
     * @param reference the host's own reference (an order number), may be empty
     * @param metadata up to 20 host key/value pairs, kept with the escrow
     */
    record CreateEscrow(
            Actor actor,
            PartyId buyer,
            PartyId seller,
            RailId rail,
            Money amount,
            List<MilestoneSpec> milestones,
            FeeSchedule fee,
            Instant fundBy,
            Duration inspectionPeriod,
            Duration disputeWindow,
            PayoutDestination sellerPayout,
            PayoutDestination buyerRefund,
            String reference,
            Map<String, String> metadata)
            implements EscrowCommand {
        public CreateEscrow {
            Objects.requireNonNull(actor, "actor");
            milestones = milestones == null ? List.of() : List.copyOf(milestones);
            fee = fee == null ? FeeSchedule.none() : fee;
            sellerPayout = sellerPayout == null ? PayoutDestination.internalBalance() : sellerPayout;
            buyerRefund = buyerRefund == null ? PayoutDestination.fundingSource() : buyerRefund;
            reference = reference == null ? "" : reference;
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }

        /** @return {@code null}: the engine assigns the id */
        @Override
        public EscrowId escrowId() {
            return null;
        }
    }

    /**
     * The seller says a milestone is delivered; the inspection period starts.
     *
     * @param actor the seller or the platform
     * @param escrowId the escrow
     * @param milestone the milestone, or {@code null} for every funded milestone
     */
    record MarkDelivered(Actor actor, EscrowId escrowId, MilestoneId milestone) implements EscrowCommand {}

    /**
     * The buyer accepts a delivered milestone; it is released to the seller.
     *
     * @param actor the buyer or the platform
     * @param escrowId the escrow
     * @param milestone the milestone, or {@code null} for every delivered milestone
     */
    record AcceptDelivery(Actor actor, EscrowId escrowId, MilestoneId milestone) implements EscrowCommand {}

    /**
     * Releases a funded milestone to the seller, whether or not it was marked delivered; also retries a release whose
     * payout failed.
     *
     * @param actor the buyer or the platform
     * @param escrowId the escrow
     * @param milestone the milestone, or {@code null} for every milestone that can be released
     */
    record ReleaseMilestone(Actor actor, EscrowId escrowId, MilestoneId milestone) implements EscrowCommand {}

    /**
     * Refunds a funded milestone, wholly or in part, to the buyer; also retries a refund whose payout failed.
     *
     * @param actor the seller (voluntary refund) or the platform
     * @param escrowId the escrow
     * @param milestone the milestone, or {@code null} for every milestone that can be refunded
     * @param amount part of the milestone to refund, or {@code null} for all of it; only with a named milestone
     * @param reason for the audit log and for people
     */
    record RefundMilestone(Actor actor, EscrowId escrowId, MilestoneId milestone, Money amount, String reason)
            implements EscrowCommand {
        public RefundMilestone {
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * Cancels an escrow that has not been funded yet.
     *
     * @param actor buyer, seller or platform
     * @param escrowId the escrow
     * @param reason for the audit log and for people
     */
    record CancelEscrow(Actor actor, EscrowId escrowId, String reason) implements EscrowCommand {
        public CancelEscrow {
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * Hands the rail what a party produced for an instruction, e.g. a transaction the party signed.
     *
     * @param actor the party the instruction was for
     * @param escrowId the escrow
     * @param transferId the transfer the instruction belongs to
     * @param payload what the party produced, in the instruction's format
     */
    record SubmitPartyResponse(Actor actor, EscrowId escrowId, TransferId transferId, String payload)
            implements EscrowCommand {}
}
