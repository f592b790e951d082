package dev.holdfast.core.internal.lifecycle;

import dev.holdfast.api.BondStatus;
import dev.holdfast.api.BondTerms;
import dev.holdfast.api.BondView;
import dev.holdfast.api.DisputeId;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowEvent.BondEvent;
import dev.holdfast.api.EscrowEvent.BondEvent.BondForfeited;
import dev.holdfast.api.EscrowEvent.BondEvent.BondPosted;
import dev.holdfast.api.EscrowEvent.BondEvent.BondRequested;
import dev.holdfast.api.EscrowEvent.BondEvent.BondReturned;
import dev.holdfast.api.EscrowEvent.BondEvent.RailTroubleRecorded;
import dev.holdfast.api.EscrowEvent.DisputeEvent;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeOpened;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeResolved;
import dev.holdfast.api.EscrowEvent.DisputeEvent.SellerShare;
import dev.holdfast.api.EscrowEvent.EscrowCancelled;
import dev.holdfast.api.EscrowEvent.EscrowClosed;
import dev.holdfast.api.EscrowEvent.EscrowCreated;
import dev.holdfast.api.EscrowEvent.EscrowExpired;
import dev.holdfast.api.EscrowEvent.EscrowFunded;
import dev.holdfast.api.EscrowEvent.FundingFailed;
import dev.holdfast.api.EscrowEvent.FundingRequested;
import dev.holdfast.api.EscrowEvent.InstructionIssued;
import dev.holdfast.api.EscrowEvent.MilestoneDelivered;
import dev.holdfast.api.EscrowEvent.PayoutFailed;
import dev.holdfast.api.EscrowEvent.PayoutRequested;
import dev.holdfast.api.EscrowEvent.PayoutSucceeded;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.MilestoneTerms;
import dev.holdfast.api.MilestoneView;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.PendingInstruction;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.internal.ledger.SettlementPlan;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine.EscrowAction;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine.MilestoneAction;
import dev.holdfast.spi.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An escrow as the fold of its events. Every status change goes through {@link EscrowStateMachine} with the role
 * {@code SYSTEM}: the events were already decided, so the fold only replays them (and a row missing from the table
 * would make the replay fail loudly). Not thread-safe: one per command.
 */
public final class EscrowState {
    private EscrowCreated created;
    private EscrowStatus status = EscrowStatus.CREATED;
    private long version;
    private Instant updatedAt;
    private TransferId fundingTransfer;
    private final Map<MilestoneId, Milestone> milestones = new LinkedHashMap<>();
    private final Map<TransferId, PartyInstruction> instructions = new LinkedHashMap<>();
    private final Map<TransferId, PayoutRequested> inFlight = new LinkedHashMap<>();
    private final Map<DisputeId, DisputeState> disputes = new LinkedHashMap<>();
    private final Map<Role, Bond> bonds = new LinkedHashMap<>();
    private final List<Instant> railTrouble = new ArrayList<>();

    /** One party's bond, folded from its {@link BondEvent}s. */
    public static final class Bond {
        private final BondTerms terms;
        private final PartyId partyId;
        private final Money amount;
        private final TransferId fundingTransfer;
        private BondStatus status = BondStatus.REQUESTED;
        private boolean posted;
        private String reason = "";
        private int cancels;

        Bond(BondRequested e) {
            this.terms = e.terms();
            this.partyId = e.partyId();
            this.amount = e.amount();
            this.fundingTransfer = e.transferId();
        }

        public BondTerms terms() {
            return terms;
        }

        public Role party() {
            return terms.party();
        }

        public PartyId partyId() {
            return partyId;
        }

        public Money amount() {
            return amount;
        }

        public TransferId fundingTransfer() {
            return fundingTransfer;
        }

        public BondStatus status() {
            return status;
        }

        /** @return true while the bond is requested or posted and nothing decided its end yet */
        public boolean open() {
            return status == BondStatus.REQUESTED || status == BondStatus.POSTED;
        }

        public boolean posted() {
            return posted;
        }

        /** @return how many cancels of the bond funding were decided so far (a late posting needs its own) */
        public int cancels() {
            return cancels;
        }

        BondView view() {
            return new BondView(terms.party(), partyId, amount, status, fundingTransfer, terms, reason);
        }
    }

    /** One milestone's mutable state during the fold. */
    public static final class Milestone {
        private int failedRefunds;

        /** @return how many whole refunds of this milestone failed so far */
        public int failedRefunds() {
            return failedRefunds;
        }

        private final MilestoneTerms terms;
        private MilestoneStatus status = MilestoneStatus.AWAITING_FUNDING;
        private Money held;
        private Money released;
        private Money refunded;
        private Instant deliveredAt;
        private Instant autoReleaseAt;
        private TransferId payoutTransfer;
        private PayoutRequested inFlight;
        private DisputeId dispute;
        private SettlementPlan settlement;

        Milestone(MilestoneTerms terms) {
            this.terms = terms;
            Money zero = Money.zero(terms.amount().asset());
            this.held = zero;
            this.released = zero;
            this.refunded = zero;
        }

        public MilestoneTerms terms() {
            return terms;
        }

        public MilestoneId id() {
            return terms.id();
        }

        public MilestoneStatus status() {
            return status;
        }

        public Money held() {
            return held;
        }

        /** @return the payout on its way for this milestone, or {@code null} */
        public PayoutRequested inFlight() {
            return inFlight;
        }

        /**
         * @return both parts of the platform fee, which a release keeps; after a dispute's split, the pro-rata fee of
         *     its release leg
         */
        public Money platformFee() {
            return settlement != null
                    ? settlement.releaseFee()
                    : terms.buyerFee().plus(terms.sellerFee());
        }

        /** @return the dispute that froze the milestone, or {@code null} */
        public DisputeId dispute() {
            return dispute;
        }

        /** @return how a resolved dispute pays the milestone out, or {@code null} */
        public SettlementPlan settlement() {
            return settlement;
        }

        /** @return when delivery was marked, or {@code null} */
        public Instant deliveredAt() {
            return deliveredAt;
        }

        /** @return when the milestone is released automatically, or {@code null} */
        public Instant autoReleaseAt() {
            return autoReleaseAt;
        }

        MilestoneView view() {
            return new MilestoneView(
                    terms, status, held, released, refunded, deliveredAt, autoReleaseAt, payoutTransfer);
        }
    }

    /** @return the state of an escrow before its first event */
    public static EscrowState empty() {
        return new EscrowState();
    }

    /**
     * @param events an escrow's stored events in order
     * @return the folded state, or {@code null} when there are no events
     */
    public static EscrowState fold(List<StoredEvent> events) {
        return foldUpTo(events, Long.MAX_VALUE);
    }

    /**
     * @param events an escrow's stored events in order
     * @param version fold only events up to this version
     * @return the folded state, or {@code null} when there are no events
     */
    public static EscrowState foldUpTo(List<StoredEvent> events, long version) {
        if (events.isEmpty()) {
            return null;
        }
        EscrowState state = new EscrowState();
        for (StoredEvent e : events) {
            if (e.version() > version) {
                break;
            }
            state.apply(e.event());
        }
        return state;
    }

    /**
     * Applies one event.
     *
     * @param event the next event
     */
    public void apply(EscrowEvent event) {
        version++;
        updatedAt = event.at();
        if (event instanceof EscrowCreated e) {
            created = e;
            status = transition(EscrowAction.CREATE, dev.holdfast.api.Role.PLATFORM);
            for (MilestoneTerms t : e.milestones()) {
                milestones.put(t.id(), new Milestone(t));
            }
        } else if (event instanceof FundingRequested e) {
            fundingTransfer = e.transferId();
        } else if (event instanceof InstructionIssued e) {
            instructions.put(e.transferId(), e.instruction());
        } else if (event instanceof EscrowFunded e) {
            status = transition(EscrowAction.FUND, dev.holdfast.api.Role.SYSTEM);
            instructions.remove(e.transferId());
            for (Milestone m : milestones.values()) {
                m.status = move(m, MilestoneAction.FUND);
                m.held = m.terms.funded();
            }
        } else if (event instanceof FundingFailed) {
            railTrouble.add(event.at());
            closeUnfunded(EscrowAction.FUNDING_FAIL);
        } else if (event instanceof EscrowExpired) {
            closeUnfunded(EscrowAction.EXPIRE);
        } else if (event instanceof EscrowCancelled) {
            closeUnfunded(EscrowAction.CANCEL);
        } else if (event instanceof MilestoneDelivered e) {
            Milestone m = milestones.get(e.milestone());
            m.status = move(m, MilestoneAction.DELIVER);
            m.deliveredAt = e.at();
            m.autoReleaseAt = e.autoReleaseAt();
        } else if (event instanceof PayoutRequested e) {
            Milestone m = milestones.get(e.milestone());
            m.status = move(m, payoutAction(m, e));
            m.inFlight = e;
            m.payoutTransfer = e.transferId();
            inFlight.put(e.transferId(), e);
        } else if (event instanceof PayoutSucceeded e) {
            PayoutRequested p = inFlight.remove(e.transferId());
            Milestone m = milestones.get(p.milestone());
            boolean whole = p.drawn().equals(m.held);
            m.held = m.held.minus(p.drawn());
            if (p.kind() == PayoutKind.RELEASE) {
                m.released = m.released.plus(p.amount());
            } else {
                m.refunded = m.refunded.plus(p.amount());
            }
            if (whole) {
                m.status = move(m, MilestoneAction.PAYOUT_SUCCEEDED);
            }
            m.inFlight = null;
            instructions.remove(e.transferId());
        } else if (event instanceof PayoutFailed e) {
            railTrouble.add(e.at());
            PayoutRequested p = inFlight.remove(e.transferId());
            Milestone m = milestones.get(p.milestone());
            if (p.drawn().equals(m.held)) {
                m.status = move(m, MilestoneAction.PAYOUT_FAILED);
                if (p.kind() == PayoutKind.REFUND) {
                    m.failedRefunds++;
                }
            }
            m.inFlight = null;
            instructions.remove(e.transferId());
        } else if (event instanceof EscrowClosed e) {
            status = transition(closeAction(e.status()), dev.holdfast.api.Role.SYSTEM);
        } else if (event instanceof DisputeEvent e) {
            applyDispute(e);
        } else if (event instanceof BondEvent e) {
            applyBond(e);
        } else {
            throw new IllegalStateException("unknown event " + event.getClass().getName());
        }
    }

    private void applyDispute(DisputeEvent event) {
        if (event instanceof DisputeOpened e) {
            disputes.put(e.dispute(), new DisputeState(e));
            for (MilestoneId id : e.milestones()) {
                Milestone m = milestones.get(id);
                m.status = move(m, MilestoneAction.DISPUTE);
                m.dispute = e.dispute();
            }
            return;
        }
        disputes.get(event.dispute()).apply(event);
        if (event instanceof DisputeResolved e) {
            for (SellerShare share : e.shares()) {
                Milestone m = milestones.get(share.milestone());
                m.settlement = SettlementPlan.of(m.held, m.terms.buyerFee(), m.terms.sellerFee(), share.toSeller());
            }
        }
    }

    private void applyBond(BondEvent event) {
        if (event instanceof BondRequested e) {
            bonds.put(e.terms().party(), new Bond(e));
        } else if (event instanceof BondPosted e) {
            Bond b = bonds.get(e.party());
            b.posted = true;
            b.status = BondStatus.POSTED;
            instructions.remove(e.transferId());
        } else if (event instanceof BondReturned e) {
            Bond b = bonds.get(e.party());
            b.status = e.posted() ? BondStatus.RETURNED : BondStatus.CANCELLED;
            b.reason = e.reason();
            b.cancels++;
            instructions.remove(b.fundingTransfer);
        } else if (event instanceof BondForfeited e) {
            Bond b = bonds.get(e.party());
            b.status = BondStatus.FORFEITED;
            b.reason = e.reason();
        } else if (event instanceof RailTroubleRecorded e) {
            railTrouble.add(e.at());
        }
    }

    /** @return how the escrow closes now, or {@code null} while a milestone is still open */
    public EscrowStatus closingStatus() {
        if (status != EscrowStatus.FUNDED) {
            return null;
        }
        boolean anyReleased = false;
        boolean anyRefunded = false;
        for (Milestone m : milestones.values()) {
            switch (m.status) {
                case RELEASED -> anyReleased = true;
                case REFUNDED -> anyRefunded = true;
                default -> {
                    return null;
                }
            }
        }
        if (anyReleased && anyRefunded) {
            return EscrowStatus.SETTLED;
        }
        return anyReleased ? EscrowStatus.RELEASED : EscrowStatus.REFUNDED;
    }

    private static MilestoneAction payoutAction(Milestone m, PayoutRequested e) {
        if (m.status == MilestoneStatus.DISPUTED || m.status == MilestoneStatus.SETTLING) {
            if (e.kind() == PayoutKind.RELEASE) {
                return MilestoneAction.DISPUTE_RELEASE;
            }
            return e.drawn().equals(m.held) ? MilestoneAction.DISPUTE_REFUND : MilestoneAction.DISPUTE_SPLIT;
        }
        if (e.kind() == PayoutKind.RELEASE) {
            return MilestoneAction.RELEASE;
        }
        return e.drawn().equals(m.held) ? MilestoneAction.REFUND : MilestoneAction.REFUND_PART;
    }

    private static EscrowAction closeAction(EscrowStatus s) {
        return switch (s) {
            case RELEASED -> EscrowAction.CLOSE_RELEASED;
            case REFUNDED -> EscrowAction.CLOSE_REFUNDED;
            case SETTLED -> EscrowAction.CLOSE_SETTLED;
            default -> throw new IllegalStateException("an escrow does not close as " + s);
        };
    }

    private void closeUnfunded(EscrowAction action) {
        status = transition(action, dev.holdfast.api.Role.SYSTEM);
        for (Milestone m : milestones.values()) {
            m.status = move(m, MilestoneAction.CANCEL);
        }
        instructions.clear();
    }

    private EscrowStatus transition(EscrowAction action, dev.holdfast.api.Role role) {
        // the fold replays decisions already taken, so it checks the row exists but not who took it
        return EscrowStateMachine.findEscrow(status, action)
                .orElseThrow(() -> new IllegalStateException(
                        "event log breaks the table: " + status + " × " + action + " in " + id()))
                .to();
    }

    private MilestoneStatus move(Milestone m, MilestoneAction action) {
        return EscrowStateMachine.findMilestone(m.status, action)
                .orElseThrow(() -> new IllegalStateException("event log breaks the table: milestone " + m.id() + " "
                        + m.status + " × " + action + " in " + id()))
                .to();
    }

    public EscrowId id() {
        return created == null ? null : created.escrowId();
    }

    public EscrowCreated created() {
        return created;
    }

    public EscrowStatus status() {
        return status;
    }

    public long version() {
        return version;
    }

    public TransferId fundingTransfer() {
        return fundingTransfer;
    }

    public Collection<Milestone> milestones() {
        return milestones.values();
    }

    /**
     * @param id a milestone id
     * @return the milestone, or {@code null}
     */
    public Milestone milestone(MilestoneId id) {
        return milestones.get(id);
    }

    /**
     * @param transferId a payout transfer
     * @return the payout, if it is in flight
     */
    public PayoutRequested inFlight(TransferId transferId) {
        return inFlight.get(transferId);
    }

    /**
     * @param transferId a transfer
     * @return the instruction waiting for a party, or {@code null}
     */
    public PartyInstruction instruction(TransferId transferId) {
        return instructions.get(transferId);
    }

    /**
     * @param id a dispute id
     * @return the dispute, or {@code null}
     */
    public DisputeState dispute(DisputeId id) {
        return disputes.get(id);
    }

    /** @return every dispute, oldest first */
    public Collection<DisputeState> disputes() {
        return disputes.values();
    }

    /** @return the bonds, in the order they were required */
    public Collection<Bond> bonds() {
        return bonds.values();
    }

    /**
     * @param party buyer or seller
     * @return that party's bond, or {@code null}
     */
    public Bond bond(Role party) {
        return bonds.get(party);
    }

    /**
     * @param fundingTransfer a transfer id
     * @return the bond whose funding it is, or {@code null}
     */
    public Bond bondFundedBy(TransferId fundingTransfer) {
        for (Bond b : bonds.values()) {
            if (b.fundingTransfer.equals(fundingTransfer)) {
                return b;
            }
        }
        return null;
    }

    /** @return when a rail operation of the escrow failed or answered UNKNOWN, oldest first */
    public List<Instant> railTrouble() {
        return List.copyOf(railTrouble);
    }

    /** @return what the escrow holds now */
    public Money held() {
        Money sum = Money.zero(created.amount().asset());
        for (Milestone m : milestones.values()) {
            sum = sum.plus(m.held);
        }
        return sum;
    }

    /** @return what the buyer funds: amount plus buyer fees */
    public Money fundingAmount() {
        Money sum = Money.zero(created.amount().asset());
        for (Milestone m : milestones.values()) {
            sum = sum.plus(m.terms.funded());
        }
        return sum;
    }

    /** @return a read-only snapshot */
    public EscrowView view() {
        List<MilestoneView> ms = new ArrayList<>(milestones.size());
        for (Milestone m : milestones.values()) {
            ms.add(m.view());
        }
        List<PendingInstruction> pending = new ArrayList<>(instructions.size());
        instructions.forEach((t, i) -> pending.add(new PendingInstruction(t, i)));
        return new EscrowView(
                created.escrowId(),
                version,
                status,
                created.buyer(),
                created.seller(),
                created.rail(),
                created.amount(),
                fundingAmount(),
                held(),
                created.fee(),
                ms,
                created.fundBy(),
                created.inspectionPeriod(),
                created.disputeWindow(),
                fundingTransfer,
                pending,
                created.reference(),
                created.metadata(),
                created.at(),
                updatedAt,
                disputeViews(),
                bondViews());
    }

    private List<BondView> bondViews() {
        List<BondView> out = new ArrayList<>(bonds.size());
        for (Bond b : bonds.values()) {
            out.add(b.view());
        }
        return out;
    }

    private List<DisputeView> disputeViews() {
        if (disputes.isEmpty()) {
            return List.of();
        }
        List<DisputeView> out = new ArrayList<>(disputes.size());
        for (DisputeState d : disputes.values()) {
            out.add(d.view());
        }
        return out;
    }
}
