package dev.holdfast.core.internal.engine;

import dev.holdfast.api.BondTerms;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeTier;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand.RequireBond;
import dev.holdfast.api.EscrowEvent.BondEvent;
import dev.holdfast.api.EscrowEvent.BondEvent.BondForfeited;
import dev.holdfast.api.EscrowEvent.BondEvent.BondPosted;
import dev.holdfast.api.EscrowEvent.BondEvent.BondRequested;
import dev.holdfast.api.EscrowEvent.BondEvent.BondReturned;
import dev.holdfast.api.EscrowEvent.BondEvent.RailTroubleRecorded;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeResolved;
import dev.holdfast.api.EscrowEvent.EscrowCreated;
import dev.holdfast.api.EscrowEvent.InstructionIssued;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.internal.ledger.Journal;
import dev.holdfast.core.internal.lifecycle.DisputeState;
import dev.holdfast.core.internal.lifecycle.EscrowState;
import dev.holdfast.core.internal.lifecycle.EscrowState.Bond;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.AssetLimits;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.RailOperationKind;
import dev.holdfast.spi.RailResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Fidelity bonds: requiring one, its own funding on the escrow's rail, and its end when the escrow closes — returned,
 * or forfeited to the counterparty and/or the platform when a dispute was decided against the party and the rail did
 * not fail on the escrow before that decision. See {@code docs/disputes.md} (bonds) and {@code docs/ledger.md}.
 * Stateless; every method works inside the caller's unit of work.
 */
final class Bonds {
    private static final PartyId PLATFORM = PartyId.of(Journal.PLATFORM);

    private Bonds() {}

    // ------------------------------------------------------------------ the command

    static void require(UnitOfWork uow, EscrowState state, RequireBond c, Map<RailId, PaymentRail> rails) {
        if (c.actor().role() != Role.PLATFORM) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, c.actor(), "require a bond on", state.id());
        }
        BondTerms terms = c.terms();
        if (terms == null) {
            throw new EscrowException(ErrorCode.INVALID_BOND, "terms are required");
        }
        if (terms.party() != Role.BUYER && terms.party() != Role.SELLER) {
            throw new EscrowException(
                    ErrorCode.INVALID_BOND, "only the buyer or the seller posts a bond, not the " + terms.party());
        }
        if (state.status() != EscrowStatus.AWAITING_FUNDING && state.status() != EscrowStatus.FUNDED) {
            throw new EscrowException(
                    ErrorCode.INVALID_STATE, "require a bond", "escrow " + state.id(), state.status());
        }
        if (state.bond(terms.party()) != null) {
            throw new EscrowException(ErrorCode.BOND_ALREADY_REQUIRED, state.id(), terms.party());
        }
        int toPlatform = terms.forfeit().toPlatformBasisPoints();
        if (toPlatform < 0 || toPlatform > Money.BASIS_POINTS_PER_WHOLE) {
            throw new EscrowException(ErrorCode.INVALID_BOND, "platform share " + toPlatform + " bp is not 0..10000");
        }
        EscrowCreated created = state.created();
        Money amount = amount(terms, created.amount());
        PaymentRail rail = rails.get(created.rail());
        if (rail.capabilities().partySignatures()) {
            // a forfeit would need the losing party to sign away their own bond
            throw new EscrowException(
                    ErrorCode.BOND_NOT_SUPPORTED, created.rail(), "its payouts need the parties' signatures");
        }
        AssetLimits limits = rail.capabilities()
                .limits(amount.asset())
                .orElseThrow(() -> new EscrowException(ErrorCode.ASSET_NOT_SUPPORTED, created.rail(), amount.asset()));
        if (!limits.accepts(amount)) {
            throw new EscrowException(
                    ErrorCode.AMOUNT_OUT_OF_RAIL_RANGE, created.rail(), limits.minMinor(), limits.maxMinor(), amount);
        }
        PartyId partyId = terms.party() == Role.BUYER ? created.buyer() : created.seller();
        TransferId funding = TransferId.of(
                state.id().value() + ":bond:" + terms.party().name().toLowerCase(java.util.Locale.ROOT));
        uow.append(state, new BondRequested(state.id(), uow.now(), terms, partyId, funding, amount));
    }

    private static Money amount(BondTerms terms, Money escrowAmount) {
        if (terms.fixed() != null && terms.basisPoints() != 0) {
            throw new EscrowException(ErrorCode.INVALID_BOND, "give a fixed amount or basis points, not both");
        }
        if (terms.fixed() != null) {
            if (!terms.fixed().asset().equals(escrowAmount.asset())) {
                throw new EscrowException(
                        ErrorCode.ASSET_MISMATCH, terms.fixed().asset(), escrowAmount.asset());
            }
            if (!terms.fixed().isPositive()) {
                throw new EscrowException(ErrorCode.INVALID_BOND, "amount must be greater than zero: " + terms.fixed());
            }
            return terms.fixed();
        }
        if (terms.basisPoints() < 1 || terms.basisPoints() > Money.BASIS_POINTS_PER_WHOLE) {
            throw new EscrowException(
                    ErrorCode.INVALID_BOND, "basis points must be 1..10000, not " + terms.basisPoints());
        }
        Money amount = escrowAmount.basisPoints(terms.basisPoints());
        if (!amount.isPositive()) {
            throw new EscrowException(
                    ErrorCode.INVALID_BOND, terms.basisPoints() + " bp of " + escrowAmount + " rounds down to zero");
        }
        return amount;
    }

    // ------------------------------------------------------------------ event → effects

    static void effects(UnitOfWork uow, EscrowState state, BondEvent event) {
        EscrowCreated c = state.created();
        Instant now = uow.now();
        Instant firstCheck = uow.firstCheck();
        if (event instanceof BondRequested e) {
            uow.newOperation(RailOperation.init(
                    e.transferId(),
                    c.rail(),
                    RailOperationKind.FUNDING,
                    c.escrowId(),
                    null,
                    e.partyId(),
                    e.amount(),
                    Money.zero(e.amount().asset()),
                    null,
                    null,
                    now,
                    firstCheck));
        } else if (event instanceof BondPosted e) {
            uow.tx()
                    .ledger()
                    .append(Journal.bondPosted(
                            now,
                            c.escrowId().value(),
                            e.party(),
                            c.rail(),
                            e.transferId().value(),
                            e.amount()));
        } else if (event instanceof BondReturned e) {
            Bond b = state.bond(e.party());
            Money zero = Money.zero(b.amount().asset());
            uow.newOperation(RailOperation.init(
                    e.cancelTransfer(),
                    c.rail(),
                    RailOperationKind.CANCEL_FUNDING,
                    c.escrowId(),
                    null,
                    b.partyId(),
                    zero,
                    zero,
                    b.fundingTransfer(),
                    PayoutDestination.fundingSource(),
                    now,
                    firstCheck));
        } else if (event instanceof BondForfeited e) {
            Bond b = state.bond(e.party());
            boolean platformOnly = e.toCounterparty().isZero();
            PartyId receiver = platformOnly ? PLATFORM : counterpartyId(c, e.party());
            uow.newOperation(RailOperation.init(
                    e.payoutTransfer(),
                    c.rail(),
                    RailOperationKind.RELEASE,
                    c.escrowId(),
                    null,
                    receiver,
                    platformOnly ? e.toPlatform() : e.toCounterparty(),
                    platformOnly ? Money.zero(e.toPlatform().asset()) : e.toPlatform(),
                    b.fundingTransfer(),
                    platformOnly ? PayoutDestination.internalBalance() : counterpartyDestination(c, e.party()),
                    now,
                    firstCheck));
        }
    }

    private static PartyId counterpartyId(EscrowCreated c, Role party) {
        return party == Role.BUYER ? c.seller() : c.buyer();
    }

    /** The counterparty's own rail address when the escrow names one, else its internal balance. */
    private static PayoutDestination counterpartyDestination(EscrowCreated c, Role party) {
        // never the funding source: that would send the bond back to whoever funded the bond
        PayoutDestination d = party == Role.BUYER ? c.sellerPayout() : c.buyerRefund();
        return d instanceof PayoutDestination.RailAddress ? d : PayoutDestination.internalBalance();
    }

    // ------------------------------------------------------------------ the end of a bond

    /** When the escrow is closed: each open bond is returned or forfeited, once. */
    static void settleIfClosed(UnitOfWork uow, EscrowState state) {
        if (!state.status().isTerminal()) {
            return;
        }
        for (Bond b : List.copyOf(state.bonds())) {
            if (!b.open()) {
                continue;
            }
            if (!b.posted()) {
                returnBond(uow, state, b, "the escrow closed " + state.status() + " before the bond was posted");
                continue;
            }
            DisputeResolved lost = lostDispute(state, b.party());
            if (lost == null) {
                returnBond(
                        uow,
                        state,
                        b,
                        "the escrow closed " + state.status() + " with no dispute decided against the "
                                + b.party().name().toLowerCase(java.util.Locale.ROOT));
                continue;
            }
            Instant trouble = troubleBefore(state, lost.at());
            if (trouble != null) {
                returnBond(
                        uow,
                        state,
                        b,
                        "forfeit skipped: a rail operation of the escrow failed or was unknown at " + trouble
                                + ", before dispute " + lost.dispute() + " was decided");
                continue;
            }
            Money toPlatform = b.amount().basisPoints(b.terms().forfeit().toPlatformBasisPoints());
            uow.append(
                    state,
                    new BondForfeited(
                            state.id(),
                            uow.now(),
                            b.party(),
                            TransferId.of(b.fundingTransfer().value() + ":forfeit"),
                            b.amount().minus(toPlatform),
                            toPlatform,
                            "dispute " + lost.dispute() + " decided against the "
                                    + b.party().name().toLowerCase(java.util.Locale.ROOT) + " (" + lost.tier() + ": "
                                    + lost.reason() + ")"));
        }
    }

    private static void returnBond(UnitOfWork uow, EscrowState state, Bond b, String reason) {
        TransferId cancel = TransferId.of(b.fundingTransfer().value() + ":cancel:" + (b.cancels() + 1));
        uow.append(state, new BondReturned(state.id(), uow.now(), b.party(), cancel, b.posted(), reason));
    }

    /**
     * @return the first dispute decided (by a rule, an arbiter, an appeal or the default outcome) wholly against the
     *     party, or {@code null}
     */
    private static DisputeResolved lostDispute(EscrowState state, Role party) {
        for (DisputeState d : state.disputes()) {
            DisputeResolved r = d.resolution();
            // a settlement the party accepted, or a hold that lapsed, is nobody's fault to be penalised
            if (r == null || r.tier() == DisputeTier.SETTLEMENT || r.tier() == DisputeTier.HOLD_EXPIRY) {
                continue;
            }
            boolean againstSeller = r.outcome() instanceof DisputeOutcome.Refund;
            boolean againstBuyer = r.outcome() instanceof DisputeOutcome.Release;
            if ((party == Role.SELLER && againstSeller) || (party == Role.BUYER && againstBuyer)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The window is the escrow's whole life up to the decision, not only the dispute's own period: a failure before
     * the dispute (a seller who could not deliver while the rail was down) may be what the dispute is about.
     */
    private static Instant troubleBefore(EscrowState state, Instant decidedAt) {
        for (Instant t : state.railTrouble()) {
            if (!t.isAfter(decidedAt)) {
                return t;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ rail outcomes

    /** @return the bond an operation belongs to (its funding, the cancel of it, or a forfeit from it), or null */
    static Bond of(EscrowState state, RailOperation op) {
        if (state.bonds().isEmpty()) {
            return null;
        }
        TransferId funding = op.kind() == RailOperationKind.FUNDING ? op.transferId() : op.fundingTransferId();
        return funding == null ? null : state.bondFundedBy(funding);
    }

    static void outcome(UnitOfWork uow, EscrowState state, Bond b, RailOperation op, RailResult r, Instant next) {
        Instant now = uow.now();
        String why = r.error() == null
                ? r.status().name().toLowerCase(java.util.Locale.ROOT)
                : r.error().toString();
        switch (r.status()) {
            case SUCCEEDED -> {
                uow.tx()
                        .railOperations()
                        .save(op.withOutcome(RailOperationStatus.SUCCEEDED, r.railReference(), null, null));
                switch (op.kind()) {
                    case FUNDING -> {
                        if (!b.posted()) {
                            uow.append(
                                    state,
                                    new BondPosted(
                                            state.id(),
                                            now,
                                            b.party(),
                                            op.transferId(),
                                            r.railReference(),
                                            op.amount()));
                        }
                    }
                    case CANCEL_FUNDING -> {
                        String owner = Journal.bondOwner(state.id().value(), b.party());
                        long held = uow.tx()
                                .ledger()
                                .balance(Journal.account(
                                        AccountType.BOND_HELD, owner, b.amount().asset()));
                        if (held > 0) {
                            uow.tx()
                                    .ledger()
                                    .append(Journal.bondReturned(
                                            now,
                                            state.id().value(),
                                            b.party(),
                                            b.partyId(),
                                            op.transferId().value(),
                                            Money.of(held, b.amount().asset())));
                        }
                    }
                    default -> {
                        boolean platformOnly = op.platformFee().isZero()
                                && op.party().equals(PLATFORM)
                                && op.destination() instanceof PayoutDestination.InternalBalance;
                        uow.tx().ledger().append(Journal.bondForfeited(now, op, b.party(), platformOnly, r.railFee()));
                    }
                }
            }
            case FAILED -> {
                if (op.kind() == RailOperationKind.CANCEL_FUNDING
                        && (r.error() == null
                                || !RailError.ALREADY_SETTLED.equals(r.error().code()))) {
                    // the party's bond may still be held: keep asking until the rail confirms nothing is
                    uow.tx().railOperations().save(op.withOutcome(RailOperationStatus.UNKNOWN, null, why, next));
                    noteTrouble(uow, state, op, RailOperationStatus.UNKNOWN, why);
                    return;
                }
                uow.tx()
                        .railOperations()
                        .save(op.withOutcome(RailOperationStatus.FAILED, r.railReference(), why, null));
                noteTrouble(uow, state, op, RailOperationStatus.FAILED, why);
                if (op.kind() == RailOperationKind.FUNDING && b.open()) {
                    returnBond(uow, state, b, "the bond funding failed: " + why);
                } else if (op.kind() == RailOperationKind.RELEASE) {
                    // money the rail would not move is no reason to keep the bond from its owner
                    returnBond(uow, state, b, "the forfeit payout failed (" + why + "); the bond is returned instead");
                }
            }
            case PENDING -> {
                uow.tx()
                        .railOperations()
                        .save(op.withOutcome(RailOperationStatus.PENDING, r.railReference(), null, next));
                if (op.kind() == RailOperationKind.FUNDING
                        && r.instruction() != null
                        && state.instruction(op.transferId()) == null
                        && b.open()
                        && !b.posted()) {
                    uow.append(state, new InstructionIssued(state.id(), now, op.transferId(), r.instruction()));
                }
            }
            case UNKNOWN -> {
                uow.tx()
                        .railOperations()
                        .save(op.withOutcome(RailOperationStatus.UNKNOWN, r.railReference(), why, next));
                noteTrouble(uow, state, op, RailOperationStatus.UNKNOWN, why);
            }
        }
    }

    /**
     * Records rail trouble on a bonded escrow, once per operation and status, so the forfeit rule can consult it.
     * Escrows without bonds record nothing: their event streams stay as they were.
     */
    static void noteTrouble(
            UnitOfWork uow, EscrowState state, RailOperation op, RailOperationStatus status, String why) {
        if (state.bonds().isEmpty() || op.status() == status) {
            return;
        }
        uow.append(state, new RailTroubleRecorded(state.id(), uow.now(), op.transferId(), status, why));
    }

    /** The rail gave a bond back by itself (its hold lapsed): return it, which books it once the cancel confirms. */
    static void lapsed(UnitOfWork uow, EscrowState state, Bond b, String reason) {
        if (b.open()) {
            returnBond(uow, state, b, "the rail's hold of the bond lapsed: " + reason);
        }
    }
}
