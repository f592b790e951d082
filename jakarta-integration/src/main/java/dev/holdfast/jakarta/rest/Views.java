package dev.holdfast.jakarta.rest;

import dev.holdfast.api.Actor;
import dev.holdfast.api.AuditVerification;
import dev.holdfast.api.BondStatus;
import dev.holdfast.api.BondView;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeStatus;
import dev.holdfast.api.DisputeTier;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeDecided;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeMessagePosted;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeResolved;
import dev.holdfast.api.EscrowEvent.DisputeEvent.EvidenceSubmitted;
import dev.holdfast.api.EscrowEvent.DisputeEvent.SettlementOffered;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.EvidenceAttachment;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.MilestoneView;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyBalance;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PendingInstruction;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.api.WithdrawalView;
import dev.holdfast.spi.EvidenceStore.StoredEvidence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The response bodies of the API, built from the engine's views. Every amount is a {@link MoneyJson}: a whole number
 * of the asset's smallest unit with the asset's code and scale. Absent values ({@code null}) are left out of the
 * JSON. Immutable.
 */
public final class Views {
    private Views() {}

    static String text(Object typedId) {
        return typedId == null ? null : typedId.toString();
    }

    /**
     * An exact amount.
     *
     * @param minor whole number of the asset's smallest unit
     * @param asset the asset code
     * @param scale decimal places of the smallest unit
     */
    @Schema(name = "Money")
    public record MoneyJson(@Schema(example = "12500") long minor, @Schema(example = "USD") String asset, int scale) {
        static MoneyJson of(Money m) {
            return m == null
                    ? null
                    : new MoneyJson(m.minor(), m.asset().code(), m.asset().scale());
        }
    }

    /**
     * Who acted.
     *
     * @param role buyer, seller, arbiter, platform or system
     * @param party the party id ({@code platform}, {@code system} for those)
     */
    @Schema(name = "Actor")
    public record ActorJson(Role role, String party) {
        static ActorJson of(Actor a) {
            return a == null ? null : new ActorJson(a.role(), a.party().value());
        }
    }

    /**
     * An escrow as a marketplace UI shows it.
     *
     * @param id the escrow
     * @param version grows by one with every event; a UI can tell a stale copy
     * @param status where it stands
     * @param buyer who pays
     * @param seller who is paid
     * @param rail the rail holding the funds
     * @param amount the escrow amount without the buyer's fee
     * @param fundingAmount what the buyer funds
     * @param held what the escrow still holds
     * @param fee the fee schedule
     * @param milestones in order
     * @param fundBy funding deadline
     * @param inspectionPeriod ISO-8601 duration
     * @param disputeWindow ISO-8601 duration
     * @param fundingTransfer the funding transfer, once requested
     * @param pendingInstructions what parties still must do on the rail
     * @param reference the host's reference
     * @param metadata the host's metadata
     * @param createdAt creation time
     * @param updatedAt time of the last event
     * @param disputes oldest first
     * @param bonds in the order they were required
     * @param yourRoles the caller's roles in this escrow
     */
    @Schema(name = "Escrow")
    public record EscrowJson(
            String id,
            long version,
            EscrowStatus status,
            String buyer,
            String seller,
            String rail,
            MoneyJson amount,
            MoneyJson fundingAmount,
            MoneyJson held,
            FeeJson fee,
            List<MilestoneJson> milestones,
            Instant fundBy,
            @Schema(type = SchemaType.STRING, example = "P3D") Duration inspectionPeriod,
            @Schema(type = SchemaType.STRING, example = "P7D") Duration disputeWindow,
            String fundingTransfer,
            List<InstructionJson> pendingInstructions,
            String reference,
            Map<String, String> metadata,
            Instant createdAt,
            Instant updatedAt,
            List<DisputeJson> disputes,
            List<BondJson> bonds,
            Set<Role> yourRoles) {

        static EscrowJson of(EscrowView v, Set<Role> yourRoles) {
            return new EscrowJson(
                    v.id().value(),
                    v.version(),
                    v.status(),
                    v.buyer().value(),
                    v.seller().value(),
                    v.rail().value(),
                    MoneyJson.of(v.amount()),
                    MoneyJson.of(v.fundingAmount()),
                    MoneyJson.of(v.held()),
                    FeeJson.of(v.fee()),
                    v.milestones().stream().map(MilestoneJson::of).toList(),
                    v.fundBy(),
                    v.inspectionPeriod(),
                    v.disputeWindow(),
                    text(v.fundingTransfer()),
                    v.pendingInstructions().stream()
                            .map(p -> InstructionJson.of(p, owner(v, p)))
                            .toList(),
                    v.reference(),
                    new TreeMap<>(v.metadata()),
                    v.createdAt(),
                    v.updatedAt(),
                    v.disputes().stream().map(DisputeJson::of).toList(),
                    v.bonds().stream().map(BondJson::of).toList(),
                    yourRoles);
        }
    }

    /**
     * The platform fee.
     *
     * @param basisPoints rate
     * @param fixedMinor fixed part in the escrow asset's smallest unit
     * @param payer who bears it
     */
    @Schema(name = "Fee")
    public record FeeJson(int basisPoints, long fixedMinor, FeePayer payer) {
        static FeeJson of(FeeSchedule f) {
            return new FeeJson(f.basisPoints(), f.fixedMinor(), f.payer());
        }
    }

    /**
     * A milestone.
     *
     * @param id unique within the escrow
     * @param title what is delivered
     * @param amount the milestone amount
     * @param deliverBy delivery deadline
     * @param buyerFee the buyer's fee on top
     * @param sellerFee the fee deducted from the seller's payout
     * @param status where it stands
     * @param held what the escrow still holds for it
     * @param released what the seller was paid
     * @param refunded what the buyer got back
     * @param deliveredAt when delivery was marked
     * @param autoReleaseAt when it is released automatically
     * @param payoutTransfer its latest payout
     */
    @Schema(name = "Milestone")
    public record MilestoneJson(
            String id,
            String title,
            MoneyJson amount,
            Instant deliverBy,
            MoneyJson buyerFee,
            MoneyJson sellerFee,
            MilestoneStatus status,
            MoneyJson held,
            MoneyJson released,
            MoneyJson refunded,
            Instant deliveredAt,
            Instant autoReleaseAt,
            String payoutTransfer) {
        static MilestoneJson of(MilestoneView m) {
            return new MilestoneJson(
                    m.id().value(),
                    m.terms().title(),
                    MoneyJson.of(m.terms().amount()),
                    m.terms().deliverBy(),
                    MoneyJson.of(m.terms().buyerFee()),
                    MoneyJson.of(m.terms().sellerFee()),
                    m.status(),
                    MoneyJson.of(m.held()),
                    MoneyJson.of(m.released()),
                    MoneyJson.of(m.refunded()),
                    m.deliveredAt(),
                    m.autoReleaseAt(),
                    text(m.payoutTransfer()));
        }
    }

    /** What kind of instruction a party must follow. */
    public enum InstructionType {
        PAY_INVOICE,
        APPROVE_AT,
        SIGN_TRANSACTION,
        SEND_PAYMENT
    }

    /**
     * What a party must do on the rail; the fields present depend on {@code type}.
     *
     * @param transferId the transfer it belongs to
     * @param type which kind
     * @param party who must act
     * @param expiresAt when it lapses
     * @param amount exact amount (invoice, payment)
     * @param paymentRequest the BOLT11 invoice (PAY_INVOICE)
     * @param url where to approve (APPROVE_AT)
     * @param format the transaction's encoding (SIGN_TRANSACTION)
     * @param transaction the unsigned transaction (SIGN_TRANSACTION)
     * @param network the network (SIGN_TRANSACTION)
     * @param destination where to send (SEND_PAYMENT)
     * @param reference the memo to include (SEND_PAYMENT)
     */
    @Schema(name = "Instruction")
    public record InstructionJson(
            String transferId,
            InstructionType type,
            Role party,
            Instant expiresAt,
            MoneyJson amount,
            String paymentRequest,
            String url,
            String format,
            String transaction,
            String network,
            String destination,
            String reference) {
        static InstructionJson of(PendingInstruction p, Role owner) {
            InstructionJson j = of(p.transferId(), p.instruction());
            return new InstructionJson(
                    j.transferId(),
                    j.type(),
                    owner,
                    j.expiresAt(),
                    j.amount(),
                    j.paymentRequest(),
                    j.url(),
                    j.format(),
                    j.transaction(),
                    j.network(),
                    j.destination(),
                    j.reference());
        }

        static InstructionJson of(TransferId t, PartyInstruction i) {
            String transfer = text(t);
            // if-chains, not a pattern switch: the module compiles for Java 17
            if (i instanceof PartyInstruction.PayInvoice x) {
                return new InstructionJson(
                        transfer,
                        InstructionType.PAY_INVOICE,
                        x.party(),
                        x.expiresAt(),
                        MoneyJson.of(x.amount()),
                        x.paymentRequest(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
            }
            if (i instanceof PartyInstruction.ApproveAt x) {
                return new InstructionJson(
                        transfer,
                        InstructionType.APPROVE_AT,
                        x.party(),
                        x.expiresAt(),
                        null,
                        null,
                        x.url(),
                        null,
                        null,
                        null,
                        null,
                        null);
            }
            if (i instanceof PartyInstruction.SignTransaction x) {
                return new InstructionJson(
                        transfer,
                        InstructionType.SIGN_TRANSACTION,
                        x.party(),
                        x.expiresAt(),
                        null,
                        null,
                        null,
                        x.format(),
                        x.transaction(),
                        x.network(),
                        null,
                        null);
            }
            PartyInstruction.SendPayment x = (PartyInstruction.SendPayment) i;
            return new InstructionJson(
                    transfer,
                    InstructionType.SEND_PAYMENT,
                    x.party(),
                    x.expiresAt(),
                    MoneyJson.of(x.amount()),
                    null,
                    null,
                    null,
                    null,
                    null,
                    x.destination(),
                    x.reference());
        }
    }

    /**
     * Who must follow an instruction. A bond's funding belongs to the bonded party whatever the rail put in the
     * instruction (a rail's funding request does not say who pays; the sandbox rail names the buyer for every
     * funding), so the escrow's bonds decide; any other instruction names its party itself.
     *
     * @param escrow the escrow
     * @param p one of its pending instructions
     * @return the party's role
     */
    static Role owner(EscrowView escrow, PendingInstruction p) {
        return escrow.bonds().stream()
                .filter(b -> p.transferId().equals(b.fundingTransfer()))
                .map(BondView::party)
                .findFirst()
                .orElse(p.instruction().party());
    }

    /**
     * The instructions waiting for the caller (all of them for an operator).
     *
     * @param escrowId the escrow
     * @param status the escrow's status
     * @param fundingTransfer the funding transfer
     * @param fundingAmount what the buyer funds
     * @param fundBy funding deadline
     * @param instructions what to do
     */
    @Schema(name = "Funding")
    public record FundingJson(
            String escrowId,
            EscrowStatus status,
            String fundingTransfer,
            MoneyJson fundingAmount,
            Instant fundBy,
            List<InstructionJson> instructions) {}

    /**
     * How a dispute ends.
     *
     * @param kind RELEASE, REFUND, SPLIT_AMOUNT or SPLIT_BASIS_POINTS
     * @param toSeller for SPLIT_AMOUNT, the seller's part
     * @param toSellerBasisPoints for SPLIT_BASIS_POINTS, the seller's share
     */
    @Schema(name = "Outcome")
    public record OutcomeJson(Requests.OutcomeKind kind, MoneyJson toSeller, Integer toSellerBasisPoints) {
        static OutcomeJson of(DisputeOutcome o) {
            if (o == null) {
                return null;
            }
            if (o instanceof DisputeOutcome.SplitAmount s) {
                return new OutcomeJson(Requests.OutcomeKind.SPLIT_AMOUNT, MoneyJson.of(s.toSeller()), null);
            }
            if (o instanceof DisputeOutcome.SplitBasisPoints s) {
                return new OutcomeJson(Requests.OutcomeKind.SPLIT_BASIS_POINTS, null, s.toSellerBasisPoints());
            }
            return new OutcomeJson(
                    o instanceof DisputeOutcome.Release ? Requests.OutcomeKind.RELEASE : Requests.OutcomeKind.REFUND,
                    null,
                    null);
        }
    }

    /**
     * A dispute.
     *
     * @param id the dispute
     * @param status where it stands
     * @param milestones the disputed milestones
     * @param openedBy who opened it
     * @param reason the opener's statement
     * @param openedAt when
     * @param buyerRespondBy the buyer's response deadline
     * @param sellerRespondBy the seller's response deadline
     * @param deadline when the default outcome applies
     * @param buyerAnswered whether the buyer took part
     * @param sellerAnswered whether the seller took part
     * @param evidence oldest first
     * @param messages oldest first
     * @param openOffers each party's open offer
     * @param arbiter the first arbiter
     * @param appealArbiter the appeal's arbiter
     * @param decision the first arbiter's decision
     * @param appealed whether it was appealed
     * @param resolution the final outcome
     */
    @Schema(name = "Dispute")
    public record DisputeJson(
            String id,
            DisputeStatus status,
            List<String> milestones,
            ActorJson openedBy,
            String reason,
            Instant openedAt,
            Instant buyerRespondBy,
            Instant sellerRespondBy,
            Instant deadline,
            boolean buyerAnswered,
            boolean sellerAnswered,
            List<EvidenceJson> evidence,
            List<MessageJson> messages,
            List<OfferJson> openOffers,
            String arbiter,
            String appealArbiter,
            DecisionJson decision,
            boolean appealed,
            ResolutionJson resolution) {
        static DisputeJson of(DisputeView d) {
            return new DisputeJson(
                    d.id().value(),
                    d.status(),
                    d.milestones().stream().map(Views::text).toList(),
                    ActorJson.of(d.openedBy()),
                    d.reason(),
                    d.openedAt(),
                    d.buyerRespondBy(),
                    d.sellerRespondBy(),
                    d.deadline(),
                    d.buyerAnswered(),
                    d.sellerAnswered(),
                    d.evidence().stream().map(EvidenceJson::of).toList(),
                    d.messages().stream().map(MessageJson::of).toList(),
                    d.openOffers().stream().map(OfferJson::of).toList(),
                    text(d.arbiter()),
                    text(d.appealArbiter()),
                    DecisionJson.of(d.decision()),
                    d.appealed(),
                    ResolutionJson.of(d.resolution()));
        }
    }

    /**
     * Submitted evidence.
     *
     * @param at when
     * @param actor who
     * @param statement what they said
     * @param attachments download each at {@code .../disputes/{dispute}/attachments/{sha256}}
     */
    @Schema(name = "Evidence")
    public record EvidenceJson(Instant at, ActorJson actor, String statement, List<AttachmentJson> attachments) {
        static EvidenceJson of(EvidenceSubmitted e) {
            return new EvidenceJson(
                    e.at(),
                    ActorJson.of(e.actor()),
                    e.statement(),
                    e.attachments().stream().map(AttachmentJson::of).toList());
        }
    }

    /**
     * A submitted attachment. The evidence store's reference is not shown: the hash names the bytes.
     *
     * @param mediaType its media type
     * @param size its length in bytes
     * @param sha256 lowercase hex SHA-256, as recorded in the audit log
     */
    @Schema(name = "Attachment")
    public record AttachmentJson(String mediaType, long size, String sha256) {
        static AttachmentJson of(EvidenceAttachment a) {
            return new AttachmentJson(a.mediaType(), a.size(), a.sha256());
        }
    }

    /**
     * What an upload stored; submit it with the evidence.
     *
     * @param reference where the evidence store keeps the bytes
     * @param mediaType their media type
     * @param size their length
     * @param sha256 the hash the store computed
     * @param filename the name the client gave, if any; not kept by the engine
     */
    @Schema(name = "UploadedAttachment")
    public record UploadJson(String reference, String mediaType, long size, String sha256, String filename) {
        static UploadJson of(StoredEvidence s, String filename) {
            return new UploadJson(s.reference(), s.mediaType(), s.size(), s.sha256(), filename);
        }
    }

    /**
     * A message in a dispute's thread.
     *
     * @param at when
     * @param actor who
     * @param text what
     */
    @Schema(name = "DisputeMessage")
    public record MessageJson(Instant at, ActorJson actor, String text) {
        static MessageJson of(DisputeMessagePosted m) {
            return new MessageJson(m.at(), ActorJson.of(m.actor()), m.text());
        }
    }

    /**
     * An open settlement offer.
     *
     * @param offer its number; accept it by this number
     * @param at when
     * @param actor who offered
     * @param outcome the proposal
     */
    @Schema(name = "SettlementOffer")
    public record OfferJson(int offer, Instant at, ActorJson actor, OutcomeJson outcome) {
        static OfferJson of(SettlementOffered o) {
            return new OfferJson(o.offer(), o.at(), ActorJson.of(o.actor()), OutcomeJson.of(o.outcome()));
        }
    }

    /**
     * An arbiter's decision.
     *
     * @param at when
     * @param actor the arbiter
     * @param outcome the decision
     * @param reason why
     * @param appealBy the end of the appeal window
     */
    @Schema(name = "Decision")
    public record DecisionJson(Instant at, ActorJson actor, OutcomeJson outcome, String reason, Instant appealBy) {
        static DecisionJson of(DisputeDecided d) {
            return d == null
                    ? null
                    : new DecisionJson(
                            d.at(), ActorJson.of(d.actor()), OutcomeJson.of(d.outcome()), d.reason(), d.appealBy());
        }
    }

    /**
     * The final outcome of a dispute.
     *
     * @param at when
     * @param tier which tier fixed it
     * @param outcome the outcome
     * @param actor who fixed it
     * @param reason why
     * @param shares per milestone, the seller's part of the contested amount
     */
    @Schema(name = "Resolution")
    public record ResolutionJson(
            Instant at, DisputeTier tier, OutcomeJson outcome, ActorJson actor, String reason, List<ShareJson> shares) {
        static ResolutionJson of(DisputeResolved r) {
            return r == null
                    ? null
                    : new ResolutionJson(
                            r.at(),
                            r.tier(),
                            OutcomeJson.of(r.outcome()),
                            ActorJson.of(r.actor()),
                            r.reason(),
                            r.shares().stream()
                                    .map(s -> new ShareJson(
                                            s.milestone().value(),
                                            MoneyJson.of(s.contested()),
                                            MoneyJson.of(s.toSeller())))
                                    .toList());
        }
    }

    /**
     * One milestone's split.
     *
     * @param milestone the milestone
     * @param contested what was contested
     * @param toSeller the seller's part
     */
    @Schema(name = "SellerShare")
    public record ShareJson(String milestone, MoneyJson contested, MoneyJson toSeller) {}

    /**
     * A fidelity bond.
     *
     * @param party buyer or seller
     * @param partyId who posts it
     * @param amount the bond
     * @param status where it stands
     * @param fundingTransfer its funding; the instruction to pay it is among the escrow's pending instructions
     * @param basisPoints the share of the escrow amount it was required as, 0 when fixed
     * @param forfeitToPlatformBasisPoints the platform's share of a forfeit
     * @param reason why it was returned or forfeited
     */
    @Schema(name = "Bond")
    public record BondJson(
            Role party,
            String partyId,
            MoneyJson amount,
            BondStatus status,
            String fundingTransfer,
            int basisPoints,
            int forfeitToPlatformBasisPoints,
            String reason) {
        static BondJson of(BondView b) {
            return new BondJson(
                    b.party(),
                    b.partyId().value(),
                    MoneyJson.of(b.amount()),
                    b.status(),
                    text(b.fundingTransfer()),
                    b.terms().basisPoints(),
                    b.terms().forfeit().toPlatformBasisPoints(),
                    b.reason());
        }
    }

    /**
     * One page of escrows.
     *
     * @param items oldest first
     * @param nextCursor pass as {@code cursor} for the next page; absent on the last page
     */
    @Schema(name = "EscrowPage")
    public record PageJson(List<EscrowJson> items, String nextCursor) {}

    /**
     * A party's money in one asset.
     *
     * @param party the party
     * @param asset the asset code
     * @param scale the asset's scale
     * @param reservedAsBuyer held in escrows where the party buys
     * @param pendingAsSeller held in escrows where the party sells, not yet released
     * @param available withdrawable
     * @param paidOut paid to the party's own rail addresses so far
     */
    @Schema(name = "PartyBalance")
    public record BalanceJson(
            String party,
            String asset,
            int scale,
            MoneyJson reservedAsBuyer,
            MoneyJson pendingAsSeller,
            MoneyJson available,
            MoneyJson paidOut) {
        static BalanceJson of(PartyBalance b) {
            return new BalanceJson(
                    b.party().value(),
                    b.asset().code(),
                    b.asset().scale(),
                    MoneyJson.of(b.reservedAsBuyer()),
                    MoneyJson.of(b.pendingAsSeller()),
                    MoneyJson.of(b.available()),
                    MoneyJson.of(b.paidOut()));
        }
    }

    /**
     * A withdrawal.
     *
     * @param transferId the payout transfer; read it again by this id
     * @param party whose balance
     * @param amount how much
     * @param destination the rail address
     * @param rail the rail paying out
     * @param status where the payout stands
     * @param railReference the rail's reference once known
     * @param requestedAt when
     */
    @Schema(name = "Withdrawal")
    public record WithdrawalJson(
            String transferId,
            String party,
            MoneyJson amount,
            String destination,
            String rail,
            RailOperationStatus status,
            String railReference,
            Instant requestedAt) {
        static WithdrawalJson of(WithdrawalView w) {
            return new WithdrawalJson(
                    w.transferId().value(),
                    w.party().value(),
                    MoneyJson.of(w.amount()),
                    w.destination(),
                    w.rail().value(),
                    w.status(),
                    w.railReference(),
                    w.requestedAt());
        }
    }

    /**
     * The audit log's check.
     *
     * @param intact whether every entry's hash verifies and none is missing
     * @param entriesChecked how many entries were read
     * @param firstBrokenSequence the first entry that does not verify, or -1
     * @param problem what is wrong, empty when intact
     */
    @Schema(name = "AuditVerification")
    public record AuditVerificationJson(boolean intact, long entriesChecked, long firstBrokenSequence, String problem) {
        static AuditVerificationJson of(AuditVerification v) {
            return new AuditVerificationJson(v.intact(), v.entriesChecked(), v.firstBrokenSequence(), v.problem());
        }
    }
}
