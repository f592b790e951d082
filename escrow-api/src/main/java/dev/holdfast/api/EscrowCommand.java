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

    /**
     * Requires a fidelity bond from the buyer or the seller (see {@code docs/disputes.md}). The bond is a funding of
     * its own on the escrow's rail; the party pays it like the escrow funding, following the instruction in the
     * view. It is returned when the escrow closes, unless a dispute was decided against the party, and never
     * forfeited when the rail failed on the escrow before that decision. A separate command rather than a field of
     * {@link CreateEscrow} so that existing terms keep their shape; issue it right after creation.
     *
     * @param actor the platform (bonds are the marketplace's rule, not a party's choice)
     * @param escrowId an escrow awaiting funding or funded
     * @param terms the bond, one per party
     * @since 0.3
     */
    record RequireBond(Actor actor, EscrowId escrowId, BondTerms terms) implements EscrowCommand {}

    /**
     * The commands of the dispute process (see {@code docs/disputes.md}). Each names the dispute it acts on, except
     * {@link OpenDispute} which creates one. Parties act as {@link Role#BUYER} or {@link Role#SELLER}; the assigned
     * arbiter as {@link Role#ARBITER}; the platform may open disputes and post messages.
     *
     * @since 0.2
     */
    sealed interface DisputeCommand extends EscrowCommand {

        /**
         * Opens a dispute on one milestone or on every milestone that can still be disputed. The disputed milestones
         * are frozen: no auto-release and no delivery deadline runs for them until the dispute is resolved.
         *
         * @param actor the buyer, the seller or the platform
         * @param escrowId the escrow
         * @param milestone the milestone, or {@code null} for the whole escrow
         * @param reason the opener's statement, 1 to 4 000 characters
         */
        record OpenDispute(Actor actor, EscrowId escrowId, MilestoneId milestone, String reason)
                implements DisputeCommand {}

        /**
         * A party's statement and attachments. Allowed until the party's response deadline.
         *
         * @param actor the buyer or the seller
         * @param escrowId the escrow
         * @param dispute the dispute
         * @param statement what the party says, up to 4 000 characters (may be empty when attachments are given)
         * @param attachments up to 20 attachments already put into the evidence store
         */
        record SubmitEvidence(
                Actor actor,
                EscrowId escrowId,
                DisputeId dispute,
                String statement,
                List<EvidenceAttachment> attachments)
                implements DisputeCommand {
            public SubmitEvidence {
                statement = statement == null ? "" : statement;
                attachments = attachments == null ? List.of() : List.copyOf(attachments);
            }
        }

        /**
         * A message in the dispute's thread.
         *
         * @param actor the buyer, the seller, the platform or the assigned arbiter
         * @param escrowId the escrow
         * @param dispute the dispute
         * @param text 1 to 4 000 characters
         */
        record PostDisputeMessage(Actor actor, EscrowId escrowId, DisputeId dispute, String text)
                implements DisputeCommand {}

        /**
         * Proposes how to settle; replaces the party's earlier offer. The other party settles by accepting it.
         *
         * @param actor the buyer or the seller
         * @param escrowId the escrow
         * @param dispute the dispute
         * @param outcome the proposal
         */
        record OfferSettlement(Actor actor, EscrowId escrowId, DisputeId dispute, DisputeOutcome outcome)
                implements DisputeCommand {}

        /**
         * Accepts the other party's open offer: the dispute is settled without an arbiter.
         *
         * @param actor the buyer or the seller who did not make the offer
         * @param escrowId the escrow
         * @param dispute the dispute
         * @param offer the offer's number, as in the dispute view
         */
        record AcceptSettlement(Actor actor, EscrowId escrowId, DisputeId dispute, int offer)
                implements DisputeCommand {}

        /**
         * Asks for an arbiter now instead of waiting for the response deadline.
         *
         * @param actor the buyer, the seller or the platform
         * @param escrowId the escrow
         * @param dispute the dispute
         */
        record EscalateDispute(Actor actor, EscrowId escrowId, DisputeId dispute) implements DisputeCommand {}

        /**
         * The assigned arbiter's decision, with a written reason.
         *
         * @param actor the assigned arbiter ({@link Role#ARBITER})
         * @param escrowId the escrow
         * @param dispute the dispute
         * @param outcome release, refund or split
         * @param reason why, 1 to 4 000 characters
         */
        record DecideDispute(Actor actor, EscrowId escrowId, DisputeId dispute, DisputeOutcome outcome, String reason)
                implements DisputeCommand {}

        /**
         * Appeals the first arbiter's decision, once, within the appeal window, to a second arbiter.
         *
         * @param actor the buyer or the seller
         * @param escrowId the escrow
         * @param dispute the dispute
         * @param reason why, 1 to 4 000 characters
         */
        record AppealDecision(Actor actor, EscrowId escrowId, DisputeId dispute, String reason)
                implements DisputeCommand {}
    }
}
