package dev.holdfast.core.internal.engine;

import dev.holdfast.api.Actor;
import dev.holdfast.api.DisputeId;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeStatus;
import dev.holdfast.api.DisputeTier;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand.DisputeCommand;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AcceptSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AppealDecision;
import dev.holdfast.api.EscrowCommand.DisputeCommand.DecideDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.EscalateDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OfferSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OpenDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.PostDisputeMessage;
import dev.holdfast.api.EscrowCommand.DisputeCommand.SubmitEvidence;
import dev.holdfast.api.EscrowEvent.DisputeEvent;
import dev.holdfast.api.EscrowEvent.DisputeEvent.ArbiterAssigned;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeAppealed;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeDecided;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeMessagePosted;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeOpened;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeResolved;
import dev.holdfast.api.EscrowEvent.DisputeEvent.EvidenceSubmitted;
import dev.holdfast.api.EscrowEvent.DisputeEvent.SellerShare;
import dev.holdfast.api.EscrowEvent.DisputeEvent.SettlementOffered;
import dev.holdfast.api.EscrowEvent.PayoutRequested;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EvidenceAttachment;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.internal.ledger.SettlementPlan;
import dev.holdfast.core.internal.lifecycle.DisputeState;
import dev.holdfast.core.internal.lifecycle.EscrowState;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine.MilestoneAction;
import dev.holdfast.core.memory.InMemoryEvidenceStore;
import dev.holdfast.spi.DisputeRule;
import dev.holdfast.spi.EvidenceStore;
import dev.holdfast.spi.ScheduledTimer;
import dev.holdfast.spi.StoreTransaction;
import dev.holdfast.spi.TimerKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides the dispute commands and the dispute timers, and drives a resolved dispute's payouts through the same
 * {@link UnitOfWork} as every other payout. The rules of {@code docs/disputes.md} live here; the statuses live in
 * the transition table and the fold. Thread-safe (the policy and ports it holds are).
 */
final class Disputes {
    static final int MAX_TEXT = 4000;
    static final int MAX_ATTACHMENTS = 20;

    private final DisputePolicy policy;
    private final EvidenceStore evidence;

    Disputes(DisputePolicy policy, EvidenceStore evidence) {
        this.policy = policy;
        this.evidence = evidence;
    }

    // ------------------------------------------------------------------ commands

    void decide(UnitOfWork uow, EscrowState state, DisputeCommand command) {
        if (command instanceof DecideDispute c) {
            decideAsArbiter(uow, state, c);
            return;
        }
        if (command instanceof PostDisputeMessage c && c.actor().role() == Role.ARBITER) {
            DisputeState d = dispute(state, c.dispute());
            if (!c.actor().party().equals(d.arbiter()) && !c.actor().party().equals(d.appealArbiter())) {
                throw new EscrowException(ErrorCode.ARBITER_NOT_ALLOWED, c.actor(), d.id(), "not an assigned arbiter");
            }
            requireUnresolved(d, "post a message");
            text(c.text(), "text");
            uow.append(state, new DisputeMessagePosted(state.id(), uow.now(), d.id(), c.actor(), c.text()));
            return;
        }
        Commands.requireParty(state, command.actor());
        if (command instanceof OpenDispute c) {
            open(uow, state, c);
        } else if (command instanceof SubmitEvidence c) {
            submitEvidence(uow, state, c);
        } else if (command instanceof PostDisputeMessage c) {
            DisputeState d = dispute(state, c.dispute());
            requireUnresolved(d, "post a message");
            text(c.text(), "text");
            uow.append(state, new DisputeMessagePosted(state.id(), uow.now(), d.id(), c.actor(), c.text()));
        } else if (command instanceof OfferSettlement c) {
            requireParty(c.actor(), "offer a settlement in");
            DisputeState d = dispute(state, c.dispute());
            requireNegotiable(d, "offer a settlement");
            shares(state, d, c.outcome());
            uow.append(
                    state, new SettlementOffered(state.id(), uow.now(), d.id(), d.nextOffer(), c.actor(), c.outcome()));
        } else if (command instanceof AcceptSettlement c) {
            requireParty(c.actor(), "accept a settlement in");
            DisputeState d = dispute(state, c.dispute());
            requireNegotiable(d, "accept a settlement");
            SettlementOffered offer = d.openOffer(c.offer());
            if (offer == null) {
                throw new EscrowException(ErrorCode.OFFER_NOT_FOUND, d.id(), c.offer());
            }
            if (offer.actor().role() == c.actor().role()) {
                throw new EscrowException(
                        ErrorCode.PARTY_NOT_ALLOWED, c.actor(), "accept its own offer in", "dispute " + d.id());
            }
            resolve(
                    uow,
                    state,
                    d,
                    DisputeTier.SETTLEMENT,
                    offer.outcome(),
                    c.actor(),
                    "offer " + offer.offer() + " by the " + role(offer.actor()) + " accepted",
                    true);
        } else if (command instanceof EscalateDispute c) {
            DisputeState d = dispute(state, c.dispute());
            if (d.status() != DisputeStatus.OPEN) {
                throw new EscrowException(ErrorCode.DISPUTE_NOT_OPEN, "escalate", d.id(), d.status());
            }
            PartyId arbiter = pickArbiter(state, d, null)
                    .orElseThrow(() -> new EscrowException(ErrorCode.NO_ARBITER_AVAILABLE, d.id()));
            uow.append(
                    state,
                    new ArbiterAssigned(
                            state.id(), uow.now(), d.id(), arbiter, 1, "escalated by the " + role(c.actor())));
        } else if (command instanceof AppealDecision c) {
            appeal(uow, state, c);
        } else {
            throw new IllegalArgumentException("not a dispute command: " + command);
        }
    }

    private void open(UnitOfWork uow, EscrowState state, OpenDispute c) {
        text(c.reason(), "reason");
        Instant now = uow.now();
        Role role = c.actor().role();
        List<MilestoneId> targets = new ArrayList<>();
        if (c.milestone() != null) {
            EscrowState.Milestone m = Commands.milestone(state, c.milestone());
            requireNotDisputed(state, m);
            EscrowStateMachine.milestone(Commands.subject(state, m), m.status(), MilestoneAction.DISPUTE, role);
            if (m.inFlight() != null) {
                throw new EscrowException(ErrorCode.INVALID_STATE, "dispute", Commands.subject(state, m), "paying out");
            }
            String closed = windowClosed(state, m, now);
            if (closed != null) {
                throw new EscrowException(ErrorCode.DISPUTE_WINDOW_CLOSED, Commands.subject(state, m), closed);
            }
            targets.add(m.id());
        } else {
            String closed = null;
            EscrowState.Milestone disputed = null;
            for (EscrowState.Milestone m : state.milestones()) {
                if (m.status() == MilestoneStatus.DISPUTED || m.status() == MilestoneStatus.SETTLING) {
                    disputed = m;
                } else if (m.inFlight() == null
                        && EscrowStateMachine.canApply(m.status(), MilestoneAction.DISPUTE, role)) {
                    String why = windowClosed(state, m, now);
                    if (why == null) {
                        targets.add(m.id());
                    } else {
                        closed = why;
                    }
                }
            }
            if (targets.isEmpty()) {
                if (closed != null) {
                    throw new EscrowException(ErrorCode.DISPUTE_WINDOW_CLOSED, Commands.subject(state), closed);
                }
                if (disputed != null) {
                    requireNotDisputed(state, disputed);
                }
                EscrowState.Milestone first = state.milestones().iterator().next();
                EscrowStateMachine.milestone(
                        Commands.subject(state, first), first.status(), MilestoneAction.DISPUTE, role);
                throw new EscrowException(
                        ErrorCode.INVALID_STATE, "dispute", Commands.subject(state), "without such milestone");
            }
        }
        Instant deadline = now.plus(state.created().disputeWindow());
        Instant respondBy = min(now.plus(policy.responsePeriod()), deadline);
        DisputeId id = DisputeId.of(state.id() + ":d" + (state.disputes().size() + 1));
        uow.append(
                state,
                new DisputeOpened(state.id(), now, id, c.actor(), targets, c.reason(), respondBy, respondBy, deadline));
        applyRules(uow, state, state.dispute(id), DisputeRule.Trigger.OPENED);
    }

    /**
     * The dispute window of a milestone: open while its funds are held and no timer has yet settled it — until
     * auto-release for a delivered milestone, until the delivery deadline for one not delivered.
     */
    private static String windowClosed(EscrowState state, EscrowState.Milestone m, Instant now) {
        if (state.created().disputeWindow().isZero()) {
            return "the escrow's terms allow no disputes (disputeWindow is zero)";
        }
        if (m.status() == MilestoneStatus.DELIVERED && !now.isBefore(m.autoReleaseAt())) {
            return "the inspection period ended at " + m.autoReleaseAt();
        }
        if (m.status() == MilestoneStatus.FUNDED && !now.isBefore(m.terms().deliverBy())) {
            return "the delivery deadline passed at " + m.terms().deliverBy();
        }
        return null;
    }

    private static void requireNotDisputed(EscrowState state, EscrowState.Milestone m) {
        if (m.dispute() != null && !state.dispute(m.dispute()).status().isResolved()
                || m.status() == MilestoneStatus.DISPUTED
                || m.status() == MilestoneStatus.SETTLING) {
            throw new EscrowException(ErrorCode.DISPUTE_ALREADY_OPEN, Commands.subject(state, m), m.dispute());
        }
    }

    private void submitEvidence(UnitOfWork uow, EscrowState state, SubmitEvidence c) {
        requireParty(c.actor(), "submit evidence in");
        DisputeState d = dispute(state, c.dispute());
        requireUnresolved(d, "submit evidence");
        Instant respondBy = c.actor().role() == Role.BUYER
                ? d.opened().buyerRespondBy()
                : d.opened().sellerRespondBy();
        if (!uow.now().isBefore(respondBy)) {
            throw new EscrowException(ErrorCode.DISPUTE_DEADLINE_PASSED, "submit evidence", respondBy);
        }
        if (c.statement().length() > MAX_TEXT) {
            throw new EscrowException(ErrorCode.INVALID_EVIDENCE, "statement is longer than " + MAX_TEXT);
        }
        if (c.statement().isBlank() && c.attachments().isEmpty()) {
            throw new EscrowException(ErrorCode.INVALID_EVIDENCE, "a statement or an attachment is required");
        }
        if (c.attachments().size() > MAX_ATTACHMENTS) {
            throw new EscrowException(ErrorCode.INVALID_EVIDENCE, "more than " + MAX_ATTACHMENTS + " attachments");
        }
        for (EvidenceAttachment a : c.attachments()) {
            byte[] bytes = evidence.get(a.reference())
                    .orElseThrow(() -> new EscrowException(ErrorCode.EVIDENCE_NOT_FOUND, a.reference()));
            // the host's claim is checked against the bytes, so the audit log records what is really stored
            String sha = InMemoryEvidenceStore.sha256(bytes);
            if (bytes.length != a.size() || !sha.equals(a.sha256())) {
                throw new EscrowException(
                        ErrorCode.EVIDENCE_MISMATCH, a.reference(), "size " + bytes.length + ", sha256 " + sha);
            }
        }
        uow.append(
                state, new EvidenceSubmitted(state.id(), uow.now(), d.id(), c.actor(), c.statement(), c.attachments()));
    }

    private void decideAsArbiter(UnitOfWork uow, EscrowState state, DecideDispute c) {
        if (c.actor().role() != Role.ARBITER) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, c.actor(), "decide", "escrow " + state.id());
        }
        DisputeState d = dispute(state, c.dispute());
        PartyId who = c.actor().party();
        if (who.equals(state.created().buyer()) || who.equals(state.created().seller())) {
            throw new EscrowException(ErrorCode.ARBITER_NOT_ALLOWED, c.actor(), d.id(), "a party to the escrow");
        }
        if (d.status() != DisputeStatus.ARBITRATION && d.status() != DisputeStatus.APPEALED) {
            throw new EscrowException(ErrorCode.DISPUTE_NOT_OPEN, "decide", d.id(), d.status());
        }
        PartyId assigned = d.status() == DisputeStatus.APPEALED ? d.appealArbiter() : d.arbiter();
        if (!who.equals(assigned)) {
            throw new EscrowException(ErrorCode.ARBITER_NOT_ALLOWED, c.actor(), d.id(), "not the assigned arbiter");
        }
        text(c.reason(), "reason");
        shares(state, d, c.outcome());
        Instant now = uow.now();
        if (d.status() == DisputeStatus.APPEALED) {
            resolve(uow, state, d, DisputeTier.APPEAL, c.outcome(), c.actor(), c.reason(), true);
            return;
        }
        Instant appealBy = min(now.plus(policy.appealWindow()), d.opened().deadline());
        if (policy.appeals() && appealBy.isAfter(now)) {
            uow.append(
                    state, new DisputeDecided(state.id(), now, d.id(), c.actor(), c.outcome(), c.reason(), appealBy));
        } else {
            resolve(uow, state, d, DisputeTier.ARBITRATION, c.outcome(), c.actor(), c.reason(), true);
        }
    }

    private void appeal(UnitOfWork uow, EscrowState state, AppealDecision c) {
        requireParty(c.actor(), "appeal in");
        DisputeState d = dispute(state, c.dispute());
        text(c.reason(), "reason");
        if (!policy.appeals()) {
            throw new EscrowException(ErrorCode.APPEAL_NOT_ALLOWED, d.id(), "appeals are off");
        }
        if (d.appealed()) {
            throw new EscrowException(ErrorCode.APPEAL_NOT_ALLOWED, d.id(), "it was appealed once already");
        }
        if (d.status() != DisputeStatus.DECIDED) {
            throw new EscrowException(
                    ErrorCode.APPEAL_NOT_ALLOWED, d.id(), "it is " + d.status() + ", not decided by an arbiter");
        }
        if (!uow.now().isBefore(d.decision().appealBy())) {
            throw new EscrowException(
                    ErrorCode.DISPUTE_DEADLINE_PASSED, "appeal", d.decision().appealBy());
        }
        PartyId second = pickArbiter(state, d, d.arbiter())
                .orElseThrow(() -> new EscrowException(ErrorCode.NO_ARBITER_AVAILABLE, d.id()));
        uow.append(state, new DisputeAppealed(state.id(), uow.now(), d.id(), c.actor(), c.reason()));
        uow.append(state, new ArbiterAssigned(state.id(), uow.now(), d.id(), second, 2, "appeal"));
    }

    // ------------------------------------------------------------------ timers and rules

    /** A dispute timer came due; silently nothing when the dispute moved on meanwhile. */
    void onTimer(UnitOfWork uow, EscrowState state, ScheduledTimer t) {
        EscrowState.Milestone m = state.milestone(t.milestone());
        if (m == null) {
            return;
        }
        if (t.kind() == TimerKind.SETTLEMENT_RETRY) {
            continueSettlement(uow, state, m.id());
            return;
        }
        DisputeState d = m.dispute() == null ? null : state.dispute(m.dispute());
        if (d == null || d.status().isResolved()) {
            return;
        }
        switch (t.kind()) {
            case DISPUTE_RESPONSE -> {
                if (d.status() == DisputeStatus.OPEN
                        && !applyRules(uow, state, d, DisputeRule.Trigger.RESPONSE_DEADLINE)) {
                    pickArbiter(state, d, null)
                            .ifPresent(a -> uow.append(
                                    state,
                                    new ArbiterAssigned(
                                            state.id(), uow.now(), d.id(), a, 1, "response deadline passed")));
                }
            }
            case DISPUTE_APPEAL_WINDOW -> {
                if (d.status() == DisputeStatus.DECIDED) {
                    DisputeDecided decided = d.decision();
                    resolve(
                            uow,
                            state,
                            d,
                            DisputeTier.ARBITRATION,
                            decided.outcome(),
                            decided.actor(),
                            decided.reason(),
                            true);
                }
            }
            case DISPUTE_DEADLINE -> {
                if (d.decision() != null) {
                    // an appeal not decided in time leaves the first decision standing: it is the best informed one
                    DisputeDecided decided = d.decision();
                    resolve(
                            uow,
                            state,
                            d,
                            DisputeTier.ARBITRATION,
                            decided.outcome(),
                            decided.actor(),
                            decided.reason() + " (appeal not decided by the deadline)",
                            true);
                } else {
                    resolve(
                            uow,
                            state,
                            d,
                            DisputeTier.DEFAULT,
                            policy.defaultOutcome(),
                            Actor.system(),
                            "dispute deadline passed without an outcome; default applies",
                            true);
                }
            }
            default -> throw new IllegalArgumentException("not a dispute timer: " + t.kind());
        }
    }

    /** @return true when a rule resolved the dispute */
    private boolean applyRules(UnitOfWork uow, EscrowState state, DisputeState d, DisputeRule.Trigger trigger) {
        DisputeRule.Facts facts = new DisputeRule.Facts(state.view(), d.view(), uow.now(), trigger);
        for (DisputeRule rule : policy.rules()) {
            Optional<DisputeRule.Decision> decision = rule.evaluate(facts);
            if (decision.isPresent()) {
                resolve(
                        uow,
                        state,
                        d,
                        DisputeTier.RULE,
                        decision.get().outcome(),
                        Actor.system(),
                        decision.get().reason(),
                        true);
                return true;
            }
        }
        return false;
    }

    /**
     * Before the rail's hold lapses every open dispute is resolved as a refund (the documented hold-expiry policy);
     * with {@code pay} false the caller books the refunds itself because the rail already returned the funds.
     */
    void resolveForHold(UnitOfWork uow, EscrowState state, String reason, boolean pay) {
        if (state.status() != EscrowStatus.FUNDED) {
            return;
        }
        for (DisputeState d : List.copyOf(state.disputes())) {
            if (!d.status().isResolved()) {
                resolve(uow, state, d, DisputeTier.HOLD_EXPIRY, DisputeOutcome.refund(), Actor.system(), reason, pay);
            }
        }
    }

    private Optional<PartyId> pickArbiter(EscrowState state, DisputeState d, PartyId exclude) {
        List<PartyId> candidates = new ArrayList<>();
        for (PartyId p : policy.arbiters()) {
            if (!p.equals(state.created().buyer())
                    && !p.equals(state.created().seller())
                    && !p.equals(exclude)
                    && !candidates.contains(p)) {
                candidates.add(p);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Optional<PartyId> picked = policy.arbiterPolicy().assign(state.view(), d.view(), List.copyOf(candidates));
        if (picked.isPresent() && !candidates.contains(picked.get())) {
            throw new EscrowException(
                    ErrorCode.ARBITER_NOT_ALLOWED, picked.get(), d.id(), "not an eligible arbiter of the pool");
        }
        return picked;
    }

    // ------------------------------------------------------------------ settlement

    private void resolve(
            UnitOfWork uow,
            EscrowState state,
            DisputeState d,
            DisputeTier tier,
            DisputeOutcome outcome,
            Actor actor,
            String reason,
            boolean pay) {
        List<SellerShare> shares = shares(state, d, outcome);
        uow.append(state, new DisputeResolved(state.id(), uow.now(), d.id(), tier, outcome, actor, reason, shares));
        if (pay) {
            for (MilestoneId id : d.milestones()) {
                continueSettlement(uow, state, id);
            }
        }
    }

    /**
     * Pays the next leg of a resolved dispute for one milestone, unless a payout is in flight: the refund leg first,
     * then (driven by the refund's success) the release of the rest. Called on resolution, after each payout
     * outcome and by the retry timer.
     */
    void continueSettlement(UnitOfWork uow, EscrowState state, MilestoneId id) {
        EscrowState.Milestone m = state.milestone(id);
        SettlementPlan plan = m == null ? null : m.settlement();
        if (plan == null
                || m.inFlight() != null
                || (m.status() != MilestoneStatus.DISPUTED && m.status() != MilestoneStatus.SETTLING)) {
            return;
        }
        String why = "dispute " + m.dispute() + " resolved";
        if (plan.hasRefund() && m.held().compareTo(plan.releaseDrawn()) > 0) {
            // a refund leg that failed before is sent again with a new transfer id; the old one moved no money
            Money refund = m.held().minus(plan.releaseDrawn());
            uow.append(state, payout(state, m, PayoutKind.REFUND, refund, Money.zero(refund.asset()), why, uow.now()));
        } else if (plan.hasRelease()) {
            uow.append(
                    state,
                    payout(state, m, PayoutKind.RELEASE, plan.releaseAmount(), plan.releaseFee(), why, uow.now()));
        }
    }

    /** After a payout's outcome: go on with a split, or try its failed leg again later. */
    void afterPayout(UnitOfWork uow, EscrowState state, MilestoneId id, boolean succeeded) {
        EscrowState.Milestone m = state.milestone(id);
        if (m == null || m.status() != MilestoneStatus.SETTLING) {
            return;
        }
        if (succeeded) {
            continueSettlement(uow, state, id);
        } else {
            uow.tx()
                    .timers()
                    .schedule(new ScheduledTimer(
                            state.id(),
                            id,
                            TimerKind.SETTLEMENT_RETRY,
                            uow.now().plus(policy.settlementRetryDelay()),
                            null,
                            null));
        }
    }

    private static PayoutRequested payout(
            EscrowState state,
            EscrowState.Milestone m,
            PayoutKind kind,
            Money amount,
            Money fee,
            String why,
            Instant now) {
        TransferId transfer = TransferId.of(
                state.id() + ":" + m.id() + ":" + kind.name().toLowerCase(Locale.ROOT) + ":" + (state.version() + 1));
        return new PayoutRequested(
                state.id(),
                now,
                m.id(),
                transfer,
                kind,
                amount,
                fee,
                kind == PayoutKind.RELEASE
                        ? state.created().sellerPayout()
                        : state.created().buyerRefund(),
                Actor.system(),
                why);
    }

    /**
     * The seller's part of each disputed milestone under an outcome.
     *
     * @throws EscrowException INVALID_SPLIT or ASSET_MISMATCH
     */
    static List<SellerShare> shares(EscrowState state, DisputeState d, DisputeOutcome outcome) {
        if (outcome == null) {
            throw new EscrowException(ErrorCode.INVALID_SPLIT, "an outcome is required");
        }
        List<SellerShare> out = new ArrayList<>();
        Money total = Money.zero(state.created().amount().asset());
        for (MilestoneId id : d.milestones()) {
            EscrowState.Milestone m = state.milestone(id);
            total = total.plus(contested(m));
        }
        Money left = null;
        if (outcome instanceof DisputeOutcome.SplitAmount s) {
            if (!s.toSeller().asset().equals(total.asset())) {
                throw new EscrowException(ErrorCode.ASSET_MISMATCH, s.toSeller().asset(), total.asset());
            }
            if (!s.toSeller().isPositive() || s.toSeller().compareTo(total) >= 0) {
                throw new EscrowException(
                        ErrorCode.INVALID_SPLIT,
                        s.toSeller() + " to the seller must be more than zero and less than the contested " + total);
            }
            left = s.toSeller();
        } else if (outcome instanceof DisputeOutcome.SplitBasisPoints s) {
            if (s.toSellerBasisPoints() <= 0 || s.toSellerBasisPoints() >= Money.BASIS_POINTS_PER_WHOLE) {
                throw new EscrowException(
                        ErrorCode.INVALID_SPLIT, s.toSellerBasisPoints() + " bp: a split is 1 to 9 999 basis points");
            }
        }
        for (MilestoneId id : d.milestones()) {
            EscrowState.Milestone m = state.milestone(id);
            Money contested = contested(m);
            Money toSeller;
            if (outcome instanceof DisputeOutcome.Release) {
                toSeller = contested;
            } else if (outcome instanceof DisputeOutcome.Refund) {
                toSeller = Money.zero(contested.asset());
            } else if (outcome instanceof DisputeOutcome.SplitBasisPoints s) {
                toSeller = contested.basisPoints(s.toSellerBasisPoints());
            } else {
                toSeller = left.min(contested);
                left = left.minus(toSeller);
            }
            out.add(new SellerShare(id, contested, toSeller));
        }
        return out;
    }

    private static Money contested(EscrowState.Milestone m) {
        return m.held().minus(m.terms().buyerFee());
    }

    // ------------------------------------------------------------------ checks

    private static DisputeState dispute(EscrowState state, DisputeId id) {
        DisputeState d = id == null ? null : state.dispute(id);
        if (d == null) {
            throw new EscrowException(ErrorCode.DISPUTE_NOT_FOUND, state.id(), id);
        }
        return d;
    }

    private static void requireParty(Actor actor, String what) {
        if (actor.role() != Role.BUYER && actor.role() != Role.SELLER) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, actor, what, "a dispute (buyer or seller only)");
        }
    }

    private static void requireUnresolved(DisputeState d, String what) {
        if (d.status().isResolved()) {
            throw new EscrowException(ErrorCode.DISPUTE_NOT_OPEN, what, d.id(), d.status());
        }
    }

    private static void requireNegotiable(DisputeState d, String what) {
        if (d.status() != DisputeStatus.OPEN && d.status() != DisputeStatus.ARBITRATION) {
            throw new EscrowException(ErrorCode.DISPUTE_NOT_OPEN, what, d.id(), d.status());
        }
    }

    private static void text(String text, String name) {
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, name + " must be 1 to " + MAX_TEXT + " characters");
        }
    }

    private static String role(Actor actor) {
        return actor.role().name().toLowerCase(Locale.ROOT);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Timers a dispute event starts or stops; called by {@link UnitOfWork} with the event's other effects. */
    static void effects(StoreTransaction tx, EscrowState state, DisputeEvent event) {
        DisputeState d = state.dispute(event.dispute());
        MilestoneId key = d.milestones().get(0);
        if (event instanceof DisputeOpened e) {
            for (MilestoneId m : e.milestones()) {
                // frozen: the dispute, not the clock, decides what happens to these funds now
                tx.timers().cancel(state.id(), m, TimerKind.AUTO_RELEASE);
                tx.timers().cancel(state.id(), m, TimerKind.DELIVERY_DEADLINE);
            }
            Instant respondBy = min(e.buyerRespondBy(), e.sellerRespondBy());
            tx.timers().schedule(timer(state, key, TimerKind.DISPUTE_RESPONSE, respondBy));
            tx.timers().schedule(timer(state, key, TimerKind.DISPUTE_DEADLINE, e.deadline()));
        } else if (event instanceof DisputeDecided e) {
            tx.timers().schedule(timer(state, key, TimerKind.DISPUTE_APPEAL_WINDOW, e.appealBy()));
        } else if (event instanceof DisputeResolved) {
            tx.timers().cancel(state.id(), key, TimerKind.DISPUTE_RESPONSE);
            tx.timers().cancel(state.id(), key, TimerKind.DISPUTE_APPEAL_WINDOW);
            tx.timers().cancel(state.id(), key, TimerKind.DISPUTE_DEADLINE);
        }
    }

    private static ScheduledTimer timer(EscrowState state, MilestoneId m, TimerKind kind, Instant due) {
        return new ScheduledTimer(state.id(), m, kind, due, null, null);
    }
}
