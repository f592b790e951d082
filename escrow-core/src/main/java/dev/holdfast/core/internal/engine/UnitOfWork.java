package dev.holdfast.core.internal.engine;

import dev.holdfast.api.BalanceEvent;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowEvent.EscrowCancelled;
import dev.holdfast.api.EscrowEvent.EscrowClosed;
import dev.holdfast.api.EscrowEvent.EscrowCreated;
import dev.holdfast.api.EscrowEvent.EscrowExpired;
import dev.holdfast.api.EscrowEvent.EscrowFunded;
import dev.holdfast.api.EscrowEvent.FundingFailed;
import dev.holdfast.api.EscrowEvent.FundingRequested;
import dev.holdfast.api.EscrowEvent.MilestoneDelivered;
import dev.holdfast.api.EscrowEvent.PayoutRequested;
import dev.holdfast.api.EscrowEvent.PayoutSucceeded;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.HoldfastEvent;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.internal.audit.AuditChain;
import dev.holdfast.core.internal.codec.CanonicalJson;
import dev.holdfast.core.internal.ledger.Journal;
import dev.holdfast.core.internal.lifecycle.EscrowState;
import dev.holdfast.spi.OutboxMessage;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.RailOperationKind;
import dev.holdfast.spi.ScheduledTimer;
import dev.holdfast.spi.StoreTransaction;
import dev.holdfast.spi.TimerKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One unit of work of the engine: appends events and, in the same store transaction, everything each event implies
 * (timers, rail operations, ledger entries, audit entries, outbox messages). Keeping the "event → effects" mapping
 * in one place means a status change has the same consequences whether a host command, a timer or a rail
 * notification caused it. Rail operations created here are only recorded (status INIT); the engine calls the rail
 * after the commit. Not thread-safe: one per transaction.
 */
final class UnitOfWork {
    private final StoreTransaction tx;
    private final Instant now;
    private final Map<dev.holdfast.api.RailId, PaymentRail> rails;
    private final Duration initLease;
    private final List<RailOperation> toExecute = new ArrayList<>();

    UnitOfWork(StoreTransaction tx, Instant now, Map<dev.holdfast.api.RailId, PaymentRail> rails, Duration initLease) {
        this.tx = tx;
        this.now = now;
        this.rails = rails;
        this.initLease = initLease;
    }

    StoreTransaction tx() {
        return tx;
    }

    Instant now() {
        return now;
    }

    /** @return when the reconciler may first look at an operation recorded now */
    Instant firstCheck() {
        return now.plus(initLease);
    }

    /** @return rail operations recorded in this unit of work that the engine must call after commit */
    List<RailOperation> toExecute() {
        return toExecute;
    }

    /**
     * Appends events to an escrow (state is the current fold, or a fresh state for a new escrow), applies each to
     * the state, records its effects, and closes the escrow when its last milestone settled.
     */
    void append(EscrowState state, List<? extends EscrowEvent> events) {
        for (EscrowEvent e : events) {
            appendOne(state, e);
        }
        EscrowStatus closing = state.closingStatus();
        if (closing != null) {
            appendOne(state, new EscrowClosed(state.id(), now, closing));
        }
        // however the escrow ended (closed, cancelled, expired, funding failed), its bonds end with it
        Bonds.settleIfClosed(this, state);
    }

    void append(EscrowState state, EscrowEvent event) {
        append(state, List.of(event));
    }

    private void appendOne(EscrowState state, EscrowEvent e) {
        tx.events().append(e.escrowId(), state.version(), List.of(e));
        state.apply(e);
        effects(state, e);
        publish(e, e.escrowId().value() + "#" + state.version());
    }

    /** Records a balance event in the audit log and the outbox. */
    void record(BalanceEvent e, String eventId) {
        publish(e, eventId);
    }

    private void publish(HoldfastEvent e, String eventId) {
        String payload = CanonicalJson.encode(e);
        AuditChain.append(tx.audit(), e, payload);
        tx.outbox()
                .enqueue(new OutboxMessage(
                        0, eventId, e.subject(), e.getClass().getSimpleName(), payload, e.at(), 0, e.at()));
    }

    private void effects(EscrowState state, EscrowEvent event) {
        EscrowCreated c = state.created();
        if (event instanceof EscrowCreated e) {
            tx.timers().schedule(timer(e, null, TimerKind.FUNDING_DEADLINE, e.fundBy()));
        } else if (event instanceof FundingRequested e) {
            newOperation(RailOperation.init(
                    e.transferId(),
                    c.rail(),
                    RailOperationKind.FUNDING,
                    c.escrowId(),
                    null,
                    c.buyer(),
                    e.amount(),
                    Money.zero(e.amount().asset()),
                    null,
                    null,
                    now,
                    now.plus(initLease)));
        } else if (event instanceof EscrowFunded e) {
            tx.ledger()
                    .append(Journal.funded(
                            now, c.escrowId().value(), c.rail(), e.transferId().value(), e.amount()));
            tx.timers().cancel(c.escrowId(), null, TimerKind.FUNDING_DEADLINE);
            for (EscrowState.Milestone m : state.milestones()) {
                tx.timers()
                        .schedule(timer(
                                c,
                                m.id(),
                                TimerKind.DELIVERY_DEADLINE,
                                m.terms().deliverBy()));
            }
            rails.get(c.rail()).capabilities().maxHoldDuration().ifPresent(max -> tx.timers()
                    .schedule(timer(c, null, TimerKind.HOLD_GUARD, now.plus(max.minus(guardMargin(max))))));
        } else if (event instanceof EscrowExpired || event instanceof EscrowCancelled) {
            tx.timers().cancel(c.escrowId(), null, TimerKind.FUNDING_DEADLINE);
            if (state.fundingTransfer() != null) {
                cancelFunding(state);
            }
        } else if (event instanceof FundingFailed) {
            tx.timers().cancel(c.escrowId(), null, TimerKind.FUNDING_DEADLINE);
        } else if (event instanceof MilestoneDelivered e) {
            tx.timers().cancel(c.escrowId(), e.milestone(), TimerKind.DELIVERY_DEADLINE);
            tx.timers().schedule(timer(c, e.milestone(), TimerKind.AUTO_RELEASE, e.autoReleaseAt()));
        } else if (event instanceof PayoutRequested e) {
            MilestoneStatus after = state.milestone(e.milestone()).status();
            if (after != MilestoneStatus.FUNDED && after != MilestoneStatus.DELIVERED) {
                // a partial refund leaves the milestone open: its deadline and auto-release must still fire
                tx.timers().cancel(c.escrowId(), e.milestone(), TimerKind.DELIVERY_DEADLINE);
                tx.timers().cancel(c.escrowId(), e.milestone(), TimerKind.AUTO_RELEASE);
            }
            PartyId receiver = e.kind() == PayoutKind.RELEASE ? c.seller() : c.buyer();
            newOperation(RailOperation.init(
                    e.transferId(),
                    c.rail(),
                    e.kind() == PayoutKind.RELEASE ? RailOperationKind.RELEASE : RailOperationKind.REFUND,
                    c.escrowId(),
                    e.milestone(),
                    receiver,
                    e.amount(),
                    e.platformFee(),
                    state.fundingTransfer(),
                    e.destination(),
                    now,
                    now.plus(initLease)));
        } else if (event instanceof PayoutSucceeded e) {
            RailOperation op = tx.railOperations().find(e.transferId()).orElseThrow();
            tx.ledger().append(Journal.payout(now, op, e.railFee()));
        } else if (event instanceof EscrowClosed) {
            tx.timers().cancel(c.escrowId(), null, TimerKind.HOLD_GUARD);
        } else if (event instanceof EscrowEvent.DisputeEvent e) {
            Disputes.effects(tx, state, e);
        } else if (event instanceof EscrowEvent.BondEvent e) {
            Bonds.effects(this, state, e);
        }
    }

    /** Records a rail operation (status INIT) and queues it for the call after commit. */
    void newOperation(RailOperation op) {
        tx.railOperations().save(op);
        if (op.status() == RailOperationStatus.INIT) {
            toExecute.add(op);
        }
    }

    /**
     * Asks the rail to withdraw the funding, unless a cancel is already under way. A cancel that succeeded earlier
     * does not count: funds that arrived after it (a late payment the engine learns of now) need a cancel of their own.
     */
    private void cancelFunding(EscrowState state) {
        EscrowCreated c = state.created();
        int earlier = 0;
        for (RailOperation op : tx.railOperations().of(c.escrowId())) {
            // cancels of bond fundings are the bonds' own business
            if (op.kind() == RailOperationKind.CANCEL_FUNDING
                    && state.fundingTransfer().equals(op.fundingTransferId())) {
                if (!op.status().isFinal()) {
                    return;
                }
                earlier++;
            }
        }
        TransferId cancel = TransferId.of(state.fundingTransfer().value() + ":cancel:" + (earlier + 1));
        Money zero = Money.zero(c.amount().asset());
        newOperation(RailOperation.init(
                cancel,
                c.rail(),
                RailOperationKind.CANCEL_FUNDING,
                c.escrowId(),
                null,
                c.buyer(),
                zero,
                zero,
                state.fundingTransfer(),
                PayoutDestination.fundingSource(),
                now,
                now.plus(initLease)));
    }

    /** Funds arrived for an escrow that had already closed unfunded: book them and send them back. */
    void lateFunding(EscrowState state, TransferId funding, Money amount) {
        EscrowCreated c = state.created();
        tx.ledger().append(Journal.funded(now, c.escrowId().value(), c.rail(), funding.value(), amount));
        cancelFunding(state);
    }

    private static Duration guardMargin(Duration maxHold) {
        // act a tenth of the hold early, but never more than an hour early
        Duration tenth = maxHold.dividedBy(10);
        return tenth.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : tenth;
    }

    private static ScheduledTimer timer(EscrowCreated c, MilestoneId m, TimerKind kind, Instant due) {
        return new ScheduledTimer(c.escrowId(), m, kind, due, null, null);
    }
}
