package dev.holdfast.core.internal.engine;

import dev.holdfast.api.Actor;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CancelEscrow;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowCommand.ReleaseMilestone;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowEvent.EscrowCancelled;
import dev.holdfast.api.EscrowEvent.EscrowCreated;
import dev.holdfast.api.EscrowEvent.FundingRequested;
import dev.holdfast.api.EscrowEvent.MilestoneDelivered;
import dev.holdfast.api.EscrowEvent.PayoutRequested;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneTerms;
import dev.holdfast.api.Money;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.internal.lifecycle.CreateValidation;
import dev.holdfast.core.internal.lifecycle.EscrowState;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine.EscrowAction;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine.MilestoneAction;
import dev.holdfast.spi.PaymentRail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides what a host command, or a timer acting for the system, means for an escrow: checks it against the
 * transition table and the actor, and turns it into events. Decisions never touch a rail. Stateless and
 * thread-safe.
 */
final class Commands {
    private Commands() {}

    static EscrowState create(UnitOfWork uow, CreateEscrow c, Map<RailId, PaymentRail> rails) {
        Instant now = uow.now();
        List<MilestoneTerms> terms = CreateValidation.validate(c, now, rails);
        EscrowId id = EscrowId.of("esc_" + randomHex());
        EscrowCreated created = new EscrowCreated(
                id,
                now,
                c.actor(),
                c.buyer(),
                c.seller(),
                c.rail(),
                c.amount(),
                terms,
                c.fee(),
                c.fundBy(),
                c.inspectionPeriod(),
                c.disputeWindow(),
                c.sellerPayout(),
                c.buyerRefund(),
                c.reference(),
                c.metadata());
        Money funding = Money.zero(c.amount().asset());
        for (MilestoneTerms t : terms) {
            funding = funding.plus(t.funded());
        }
        EscrowState state = EscrowState.empty();
        uow.append(state, List.of(created, new FundingRequested(id, now, TransferId.of(id + ":fund"), funding)));
        return state;
    }

    static void decide(UnitOfWork uow, EscrowState state, EscrowCommand command) {
        requireParty(state, command.actor());
        Instant now = uow.now();
        Actor actor = command.actor();
        List<EscrowEvent> events = new ArrayList<>();
        if (command instanceof MarkDelivered c) {
            for (EscrowState.Milestone m : targets(state, c.milestone(), MilestoneAction.DELIVER, actor.role())) {
                events.add(new MilestoneDelivered(
                        state.id(), now, m.id(), actor, now.plus(state.created().inspectionPeriod())));
            }
        } else if (command instanceof AcceptDelivery c) {
            payouts(state, c.milestone(), MilestoneAction.ACCEPT, actor, "accepted by buyer", events, now);
        } else if (command instanceof ReleaseMilestone c) {
            payouts(state, c.milestone(), MilestoneAction.RELEASE, actor, "released", events, now);
        } else if (command instanceof RefundMilestone c) {
            if (c.amount() == null) {
                payouts(state, c.milestone(), MilestoneAction.REFUND, actor, c.reason(), events, now);
            } else {
                events.add(partialRefund(state, c, now));
            }
        } else if (command instanceof CancelEscrow c) {
            EscrowStateMachine.escrow(subject(state), state.status(), EscrowAction.CANCEL, actor.role());
            events.add(new EscrowCancelled(state.id(), now, actor, c.reason()));
        } else {
            throw new IllegalArgumentException(
                    "not decided here: " + command.getClass().getSimpleName());
        }
        uow.append(state, events);
    }

    /** A system decision from a timer; silently nothing when the milestone moved on meanwhile. */
    /**
     * @return true when the action fits but must wait: a payout of the milestone (a partial refund) is still in
     *     flight, and drawing again before it settles could draw the same units twice
     */
    static boolean system(
            UnitOfWork uow, EscrowState state, MilestoneId milestone, MilestoneAction action, String why) {
        EscrowState.Milestone m = state.milestone(milestone);
        if (m == null || !EscrowStateMachine.canApply(m.status(), action, Role.SYSTEM)) {
            return false;
        }
        if (m.inFlight() != null) {
            return true;
        }
        uow.append(state, payout(state, m, kindOf(action), Actor.system(), why, uow.now(), 0));
        return false;
    }

    static void requireParty(EscrowState state, Actor actor) {
        boolean ok =
                switch (actor.role()) {
                    case BUYER -> actor.party().equals(state.created().buyer());
                    case SELLER -> actor.party().equals(state.created().seller());
                    case PLATFORM -> true;
                    case ARBITER, SYSTEM -> false;
                };
        if (!ok) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, actor, "act on", "escrow " + state.id());
        }
    }

    private static void payouts(
            EscrowState state,
            MilestoneId milestone,
            MilestoneAction action,
            Actor actor,
            String why,
            List<EscrowEvent> events,
            Instant now) {
        int i = 0;
        for (EscrowState.Milestone m : targets(state, milestone, action, actor.role())) {
            events.add(payout(state, m, kindOf(action), actor, why, now, i++));
        }
    }

    private static PayoutKind kindOf(MilestoneAction action) {
        return switch (action) {
            case ACCEPT, RELEASE, AUTO_RELEASE, HOLD_GUARD_RELEASE -> PayoutKind.RELEASE;
            case REFUND, REFUND_PART, DELIVERY_MISSED, HOLD_GUARD_REFUND, REFUND_RETRY -> PayoutKind.REFUND;
            default -> throw new IllegalArgumentException(action + " is not a payout");
        };
    }

    /** The whole milestone: a release keeps the platform fee, a refund returns everything held. */
    private static PayoutRequested payout(
            EscrowState state, EscrowState.Milestone m, PayoutKind kind, Actor actor, String why, Instant now, int i) {
        EscrowCreated c = state.created();
        TransferId transfer = transferId(state, m.id(), kind, i);
        if (kind == PayoutKind.RELEASE) {
            Money fee = m.platformFee();
            return new PayoutRequested(
                    state.id(), now, m.id(), transfer, kind, m.held().minus(fee), fee, c.sellerPayout(), actor, why);
        }
        return new PayoutRequested(
                state.id(),
                now,
                m.id(),
                transfer,
                kind,
                m.held(),
                Money.zero(m.held().asset()),
                c.buyerRefund(),
                actor,
                why);
    }

    private static PayoutRequested partialRefund(EscrowState state, RefundMilestone c, Instant now) {
        if (c.milestone() == null) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "a partial refund names its milestone");
        }
        EscrowState.Milestone m = milestone(state, c.milestone());
        Money part = c.amount();
        if (!part.asset().equals(m.held().asset())) {
            throw new EscrowException(
                    ErrorCode.ASSET_MISMATCH, part.asset(), m.held().asset());
        }
        if (!part.isPositive()) {
            throw new EscrowException(ErrorCode.INVALID_AMOUNT, part);
        }
        EscrowStateMachine.milestone(
                subject(state, m),
                m.status(),
                MilestoneAction.REFUND_PART,
                c.actor().role());
        requireNoPayoutInFlight(state, m);
        Money sellerShare = m.held().minus(m.platformFee());
        if (part.compareTo(sellerShare) >= 0) {
            throw new EscrowException(
                    ErrorCode.INVALID_AMOUNT,
                    part + " (a partial refund must be less than the seller's remaining " + sellerShare
                            + "; refund the whole milestone instead)");
        }
        return new PayoutRequested(
                state.id(),
                now,
                m.id(),
                transferId(state, m.id(), PayoutKind.REFUND, 0),
                PayoutKind.REFUND,
                part,
                Money.zero(part.asset()),
                state.created().buyerRefund(),
                c.actor(),
                c.reason());
    }

    /** The milestones a command applies to: the named one (which must fit), or every one that fits. */
    private static List<EscrowState.Milestone> targets(
            EscrowState state, MilestoneId milestone, MilestoneAction action, Role role) {
        if (milestone != null) {
            EscrowState.Milestone m = milestone(state, milestone);
            EscrowStateMachine.milestone(subject(state, m), m.status(), action, role);
            requireNoPayoutInFlight(state, m);
            return List.of(m);
        }
        List<EscrowState.Milestone> out = new ArrayList<>();
        for (EscrowState.Milestone m : state.milestones()) {
            if (m.inFlight() == null && EscrowStateMachine.canApply(m.status(), action, role)) {
                out.add(m);
            }
        }
        if (out.isEmpty()) {
            // let the table explain why, for the first milestone
            EscrowState.Milestone first = state.milestones().iterator().next();
            EscrowStateMachine.milestone(subject(state, first), first.status(), action, role);
            throw new EscrowException(ErrorCode.INVALID_STATE, action.verb(), subject(state), "without such milestone");
        }
        return out;
    }

    private static void requireNoPayoutInFlight(EscrowState state, EscrowState.Milestone m) {
        if (m.inFlight() != null) {
            throw new EscrowException(
                    ErrorCode.INVALID_STATE,
                    "act",
                    subject(state, m),
                    "paying out " + m.inFlight().transferId());
        }
    }

    static EscrowState.Milestone milestone(EscrowState state, MilestoneId id) {
        EscrowState.Milestone m = state.milestone(id);
        if (m == null) {
            throw new EscrowException(ErrorCode.MILESTONE_NOT_FOUND, state.id(), id);
        }
        return m;
    }

    private static TransferId transferId(EscrowState state, MilestoneId m, PayoutKind kind, int i) {
        // version + 1 + i is the version the event will get: unique within the escrow, so unique overall
        return TransferId.of(state.id() + ":" + m + ":" + kind.name().toLowerCase(java.util.Locale.ROOT) + ":"
                + (state.version() + 1 + i));
    }

    static String subject(EscrowState state) {
        return "escrow " + state.id();
    }

    static String subject(EscrowState state, EscrowState.Milestone m) {
        return "milestone " + m.id() + " of escrow " + state.id();
    }

    static String randomHex() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(r.nextLong()) + HexFormat.of().toHexDigits(r.nextLong());
    }
}
