package dev.holdfast.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened to one escrow. The escrow's status is the fold of these events, in order.
 *
 * @since 0.1
 */
public sealed interface EscrowEvent extends HoldfastEvent {
    /** @return the escrow */
    EscrowId escrowId();

    @Override
    default String subject() {
        return escrowId().value();
    }

    /**
     * The escrow was opened with these terms, fees frozen.
     *
     * @param escrowId the new escrow
     * @param at when
     * @param actor who created it
     * @param buyer who pays
     * @param seller who is paid
     * @param rail the rail holding the funds
     * @param amount escrow amount without buyer fee
     * @param milestones frozen milestone terms with fees
     * @param fee the fee schedule used
     * @param fundBy funding deadline
     * @param inspectionPeriod time to inspect after delivery
     * @param disputeWindow longest a dispute may freeze funds
     * @param sellerPayout where releases go
     * @param buyerRefund where refunds go
     * @param reference host reference
     * @param metadata host metadata
     */
    record EscrowCreated(
            EscrowId escrowId,
            Instant at,
            Actor actor,
            PartyId buyer,
            PartyId seller,
            RailId rail,
            Money amount,
            List<MilestoneTerms> milestones,
            FeeSchedule fee,
            Instant fundBy,
            Duration inspectionPeriod,
            Duration disputeWindow,
            PayoutDestination sellerPayout,
            PayoutDestination buyerRefund,
            String reference,
            Map<String, String> metadata)
            implements EscrowEvent {
        public EscrowCreated {
            milestones = List.copyOf(milestones);
            metadata = Map.copyOf(metadata);
        }
    }

    /**
     * Funding was recorded as a rail operation, before the rail is asked.
     *
     * @param escrowId the escrow
     * @param at when
     * @param transferId the funding transfer
     * @param amount what the buyer must fund (amount plus buyer fees)
     */
    record FundingRequested(EscrowId escrowId, Instant at, TransferId transferId, Money amount)
            implements EscrowEvent {}

    /**
     * The rail told what a party must do for a transfer.
     *
     * @param escrowId the escrow
     * @param at when
     * @param transferId the transfer
     * @param instruction what to do
     */
    record InstructionIssued(EscrowId escrowId, Instant at, TransferId transferId, PartyInstruction instruction)
            implements EscrowEvent {}

    /**
     * The rail holds the buyer's funds.
     *
     * @param escrowId the escrow
     * @param at when
     * @param transferId the funding transfer
     * @param railReference the rail's reference (payment hash, transaction hash, payment URL)
     * @param amount amount received
     */
    record EscrowFunded(EscrowId escrowId, Instant at, TransferId transferId, String railReference, Money amount)
            implements EscrowEvent {}

    /**
     * The rail refused to open funding.
     *
     * @param escrowId the escrow
     * @param at when
     * @param transferId the funding transfer
     * @param reason the rail's reason
     */
    record FundingFailed(EscrowId escrowId, Instant at, TransferId transferId, String reason) implements EscrowEvent {}

    /**
     * The funding deadline passed without funding.
     *
     * @param escrowId the escrow
     * @param at when
     */
    record EscrowExpired(EscrowId escrowId, Instant at) implements EscrowEvent {}

    /**
     * Cancelled before funding.
     *
     * @param escrowId the escrow
     * @param at when
     * @param actor who cancelled
     * @param reason why
     */
    record EscrowCancelled(EscrowId escrowId, Instant at, Actor actor, String reason) implements EscrowEvent {}

    /**
     * The seller marked a milestone delivered.
     *
     * @param escrowId the escrow
     * @param at when
     * @param milestone which
     * @param actor who marked it
     * @param autoReleaseAt when it is released unless accepted or disputed first
     */
    record MilestoneDelivered(EscrowId escrowId, Instant at, MilestoneId milestone, Actor actor, Instant autoReleaseAt)
            implements EscrowEvent {}

    /**
     * Money leaves the escrow for a milestone: recorded before the rail is asked.
     *
     * @param escrowId the escrow
     * @param at when
     * @param milestone which
     * @param transferId the payout transfer
     * @param kind release or refund
     * @param amount what the destination receives
     * @param platformFee what the platform keeps out of the held funds with this payout
     * @param destination where it goes
     * @param actor who decided (a party, the platform, or the system for timers)
     * @param reason why, for people
     */
    record PayoutRequested(
            EscrowId escrowId,
            Instant at,
            MilestoneId milestone,
            TransferId transferId,
            PayoutKind kind,
            Money amount,
            Money platformFee,
            PayoutDestination destination,
            Actor actor,
            String reason)
            implements EscrowEvent {
        /** @return what leaves the held funds: amount plus platform fee */
        public Money drawn() {
            return amount.plus(platformFee);
        }
    }

    /**
     * A payout reached its destination.
     *
     * @param escrowId the escrow
     * @param at when
     * @param transferId the payout transfer
     * @param railReference the rail's reference
     * @param railFee what the rail charged (routing fee, network fee), borne by the platform
     */
    record PayoutSucceeded(EscrowId escrowId, Instant at, TransferId transferId, String railReference, Money railFee)
            implements EscrowEvent {}

    /**
     * A payout failed; no money moved for it.
     *
     * @param escrowId the escrow
     * @param at when
     * @param transferId the payout transfer
     * @param reason the rail's reason
     */
    record PayoutFailed(EscrowId escrowId, Instant at, TransferId transferId, String reason) implements EscrowEvent {}

    /**
     * Every milestone reached a terminal status.
     *
     * @param escrowId the escrow
     * @param at when
     * @param status the final status
     */
    record EscrowClosed(EscrowId escrowId, Instant at, EscrowStatus status) implements EscrowEvent {}

    /**
     * What happened in a dispute. Part of the escrow's event stream, so the dispute is a fold of these events like
     * everything else, and every attachment hash is in the hash-chained audit log.
     *
     * @since 0.2
     */
    sealed interface DisputeEvent extends EscrowEvent {
        /** @return the dispute */
        DisputeId dispute();

        /**
         * A dispute was opened; its milestones are frozen.
         *
         * @param escrowId the escrow
         * @param at when
         * @param dispute the new dispute
         * @param actor who opened it
         * @param milestones the disputed milestones
         * @param reason the opener's statement
         * @param buyerRespondBy the buyer's evidence and response deadline
         * @param sellerRespondBy the seller's evidence and response deadline
         * @param deadline when the dispute must be resolved; then the default outcome applies
         */
        record DisputeOpened(
                EscrowId escrowId,
                Instant at,
                DisputeId dispute,
                Actor actor,
                List<MilestoneId> milestones,
                String reason,
                Instant buyerRespondBy,
                Instant sellerRespondBy,
                Instant deadline)
                implements DisputeEvent {
            public DisputeOpened {
                milestones = List.copyOf(milestones);
            }
        }

        /**
         * A party's statement and attachments, with the hashes the engine checked.
         *
         * @param escrowId the escrow
         * @param at when
         * @param dispute the dispute
         * @param actor who submitted it
         * @param statement the statement
         * @param attachments the attachments' metadata
         */
        record EvidenceSubmitted(
                EscrowId escrowId,
                Instant at,
                DisputeId dispute,
                Actor actor,
                String statement,
                List<EvidenceAttachment> attachments)
                implements DisputeEvent {
            public EvidenceSubmitted {
                attachments = List.copyOf(attachments);
            }
        }

        /**
         * A message in the dispute's thread.
         *
         * @param escrowId the escrow
         * @param at when
         * @param dispute the dispute
         * @param actor who wrote it
         * @param text the message
         */
        record DisputeMessagePosted(EscrowId escrowId, Instant at, DisputeId dispute, Actor actor, String text)
                implements DisputeEvent {}

        /**
         * A party proposed a settlement; it replaces the party's earlier offer.
         *
         * @param escrowId the escrow
         * @param at when
         * @param dispute the dispute
         * @param offer the offer's number within the dispute, from 1
         * @param actor who offered
         * @param outcome the proposal
         */
        record SettlementOffered(
                EscrowId escrowId, Instant at, DisputeId dispute, int offer, Actor actor, DisputeOutcome outcome)
                implements DisputeEvent {}

        /**
         * An arbiter was assigned from the pool.
         *
         * @param escrowId the escrow
         * @param at when
         * @param dispute the dispute
         * @param arbiter who decides
         * @param round 1 for arbitration, 2 for the appeal
         * @param reason why now (a party escalated, the response deadline passed, an appeal)
         */
        record ArbiterAssigned(
                EscrowId escrowId, Instant at, DisputeId dispute, PartyId arbiter, int round, String reason)
                implements DisputeEvent {}

        /**
         * The first arbiter decided; the decision is final unless appealed before {@code appealBy}.
         *
         * @param escrowId the escrow
         * @param at when
         * @param dispute the dispute
         * @param actor the arbiter
         * @param outcome the decision
         * @param reason the arbiter's written reason
         * @param appealBy the end of the appeal window
         */
        record DisputeDecided(
                EscrowId escrowId,
                Instant at,
                DisputeId dispute,
                Actor actor,
                DisputeOutcome outcome,
                String reason,
                Instant appealBy)
                implements DisputeEvent {}

        /**
         * A party appealed the first decision.
         *
         * @param escrowId the escrow
         * @param at when
         * @param dispute the dispute
         * @param actor who appealed
         * @param reason why
         */
        record DisputeAppealed(EscrowId escrowId, Instant at, DisputeId dispute, Actor actor, String reason)
                implements DisputeEvent {}

        /**
         * The outcome is fixed; payouts follow in the same unit of work.
         *
         * @param escrowId the escrow
         * @param at when
         * @param dispute the dispute
         * @param tier which tier fixed it
         * @param outcome the outcome
         * @param actor who fixed it (the arbiter, the accepting party, or the system for rules and deadlines)
         * @param reason why, for people
         * @param shares per disputed milestone, the seller's part of the contested amount
         */
        record DisputeResolved(
                EscrowId escrowId,
                Instant at,
                DisputeId dispute,
                DisputeTier tier,
                DisputeOutcome outcome,
                Actor actor,
                String reason,
                List<SellerShare> shares)
                implements DisputeEvent {
            public DisputeResolved {
                shares = List.copyOf(shares);
            }
        }

        /**
         * The seller's part of one milestone's contested amount under a dispute's outcome.
         *
         * @param milestone the milestone
         * @param contested what was contested: held less the buyer's fee
         * @param toSeller the seller's part, 0 to contested
         */
        record SellerShare(MilestoneId milestone, Money contested, Money toSeller) {}
    }

    /**
     * What happened to a fidelity bond, and the rail trouble the forfeit rule consults. Part of the escrow's event
     * stream; see {@code docs/disputes.md}.
     *
     * @since 0.3
     */
    sealed interface BondEvent extends EscrowEvent {

        /**
         * A bond was required; its funding is recorded as a rail operation before the rail is asked.
         *
         * @param escrowId the escrow
         * @param at when
         * @param terms the terms
         * @param partyId who posts it
         * @param transferId the bond's funding transfer
         * @param amount the bond
         */
        record BondRequested(
                EscrowId escrowId, Instant at, BondTerms terms, PartyId partyId, TransferId transferId, Money amount)
                implements BondEvent {}

        /**
         * The rail holds the bond.
         *
         * @param escrowId the escrow
         * @param at when
         * @param party buyer or seller
         * @param transferId the bond's funding transfer
         * @param railReference the rail's reference
         * @param amount amount received
         */
        record BondPosted(
                EscrowId escrowId, Instant at, Role party, TransferId transferId, String railReference, Money amount)
                implements BondEvent {}

        /**
         * The bond goes back to the party: its funding is cancelled on the rail (transfer {@code cancelTransfer}).
         *
         * @param escrowId the escrow
         * @param at when
         * @param party buyer or seller
         * @param cancelTransfer the cancel of the bond funding
         * @param posted whether the bond had been posted (otherwise only the open funding is withdrawn)
         * @param reason why, for people; names the rail trouble when a forfeit was skipped because of it
         */
        record BondReturned(
                EscrowId escrowId, Instant at, Role party, TransferId cancelTransfer, boolean posted, String reason)
                implements BondEvent {}

        /**
         * The bond is paid out of its funding to the counterparty and/or the platform.
         *
         * @param escrowId the escrow
         * @param at when
         * @param party whose bond
         * @param payoutTransfer the payout from the bond funding
         * @param toCounterparty the counterparty's part
         * @param toPlatform the platform's part
         * @param reason the dispute decision that caused it
         */
        record BondForfeited(
                EscrowId escrowId,
                Instant at,
                Role party,
                TransferId payoutTransfer,
                Money toCounterparty,
                Money toPlatform,
                String reason)
                implements BondEvent {}

        /**
         * A rail operation of a bonded escrow answered FAILED or UNKNOWN: the forfeit rule never penalises a party
         * for a dispute decided after such trouble.
         *
         * @param escrowId the escrow
         * @param at when
         * @param transferId the operation
         * @param status FAILED or UNKNOWN
         * @param error the rail's error, may be empty
         */
        record RailTroubleRecorded(
                EscrowId escrowId, Instant at, TransferId transferId, RailOperationStatus status, String error)
                implements BondEvent {}
    }
}
