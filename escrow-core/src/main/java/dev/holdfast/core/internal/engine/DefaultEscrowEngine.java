package dev.holdfast.core.internal.engine;

import dev.holdfast.api.AuditVerification;
import dev.holdfast.api.BalanceEvent.WithdrawalFailed;
import dev.holdfast.api.BalanceEvent.WithdrawalRequested;
import dev.holdfast.api.BalanceEvent.WithdrawalSucceeded;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.SubmitPartyResponse;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowEvent.EscrowFunded;
import dev.holdfast.api.EscrowEvent.FundingFailed;
import dev.holdfast.api.EscrowEvent.InstructionIssued;
import dev.holdfast.api.EscrowEvent.PayoutFailed;
import dev.holdfast.api.EscrowEvent.PayoutSucceeded;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowPage;
import dev.holdfast.api.EscrowQuery;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyBalance;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.Role;
import dev.holdfast.api.TestClock;
import dev.holdfast.api.TransferId;
import dev.holdfast.api.Withdraw;
import dev.holdfast.api.WithdrawalView;
import dev.holdfast.api.WorkReport;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.internal.audit.AuditChain;
import dev.holdfast.core.internal.codec.CanonicalJson;
import dev.holdfast.core.internal.ledger.Journal;
import dev.holdfast.core.internal.lifecycle.CreateValidation;
import dev.holdfast.core.internal.lifecycle.EscrowState;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine.MilestoneAction;
import dev.holdfast.core.memory.InMemoryEvidenceStore;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.AssetLimits;
import dev.holdfast.spi.EventSink;
import dev.holdfast.spi.EvidenceStore;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.spi.IdempotencyRecord;
import dev.holdfast.spi.OutboxMessage;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCost;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.RailOperationKind;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import dev.holdfast.spi.ScheduledTimer;
import dev.holdfast.spi.StoreConflictException;
import dev.holdfast.spi.StoreTransaction;
import dev.holdfast.spi.TimerKind;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine. Every command runs as: idempotency check → one unit of work that decides, records events and their
 * effects (rail operations in status INIT among them) → rail calls outside the unit of work → one unit of work per
 * outcome. A crash between any two steps leaves rail operations that the reconciler resolves by asking the rail,
 * which is idempotent on the transfer id; nothing is ever paid without a recorded operation and no operation is ever
 * re-sent unless the rail says it never saw it. Thread-safe.
 */
public final class DefaultEscrowEngine implements EscrowEngine {
    private static final Logger LOG = Logger.getLogger(DefaultEscrowEngine.class.getName());
    private static final int MAX_ADVANCE_PASSES = 1000;
    private static final int MAX_REFUND_RETRIES = 8;

    private final HoldfastStore store;
    private final Map<RailId, PaymentRail> rails;
    private final Clock clock;
    private final EventSink sink;
    private final EngineConfig config;
    private final Disputes disputes;
    private ScheduledExecutorService background;

    /**
     * @param store the store
     * @param rails rails by id
     * @param clock the clock
     * @param sink the outbox's destination, or {@code null}
     * @param config tuning
     */
    public DefaultEscrowEngine(
            HoldfastStore store, Map<RailId, PaymentRail> rails, Clock clock, EventSink sink, EngineConfig config) {
        this(store, rails, clock, sink, config, DisputePolicy.defaults(), new InMemoryEvidenceStore());
    }

    /**
     * @param store the store
     * @param rails rails by id
     * @param clock the clock
     * @param sink the outbox's destination, or {@code null}
     * @param config tuning
     * @param disputePolicy how disputes run
     * @param evidence where evidence bytes are kept
     */
    public DefaultEscrowEngine(
            HoldfastStore store,
            Map<RailId, PaymentRail> rails,
            Clock clock,
            EventSink sink,
            EngineConfig config,
            DisputePolicy disputePolicy,
            EvidenceStore evidence) {
        this.disputes = new Disputes(disputePolicy, evidence);
        this.store = store;
        this.rails = rails;
        this.clock = clock;
        this.sink = sink;
        this.config = config;
        for (PaymentRail rail : rails.values()) {
            rail.setListener(this::onNotification);
        }
    }

    // ------------------------------------------------------------------ commands

    @Override
    public EscrowView submit(IdempotencyKey key, EscrowCommand command) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(command.actor(), "actor");
        String hash = CanonicalJson.sha256(command);
        IdempotencyRecord stored = beginIdempotent(key, hash);
        if (stored != null) {
            return viewAt(EscrowId.of(stored.resultSubject()), stored.resultVersion());
        }
        Decided decided;
        try {
            if (command instanceof SubmitPartyResponse r) {
                return partyResponse(key, r);
            }
            decided = retryingConflicts(() -> store.inTransaction(tx -> {
                UnitOfWork uow = unitOfWork(tx);
                EscrowState state;
                if (command instanceof CreateEscrow c) {
                    state = Commands.create(uow, c, rails);
                } else {
                    state = load(tx, command.escrowId());
                    if (command instanceof EscrowCommand.DisputeCommand dc) {
                        disputes.decide(uow, state, dc);
                    } else if (command instanceof EscrowCommand.RequireBond rb) {
                        Bonds.require(uow, state, rb, rails);
                    } else {
                        Commands.decide(uow, state, command);
                    }
                }
                completeIdempotent(tx, key, state.id().value(), state.version());
                return new Decided(state, uow.toExecute());
            }));
        } catch (RuntimeException e) {
            releaseKey(key);
            throw e;
        }
        EscrowState latest = execute(decided.ops(), decided.state());
        if (latest.version() != decided.state().version()) {
            recordSettledVersion(key, latest.version());
        }
        return latest.view();
    }

    @Override
    public WithdrawalView withdraw(IdempotencyKey key, Withdraw w) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(w, "withdraw");
        IdempotencyRecord stored = beginIdempotent(key, CanonicalJson.sha256(w));
        if (stored != null) {
            return findWithdrawal(TransferId.of(stored.resultSubject())).orElseThrow();
        }
        List<RailOperation> ops;
        try {
            PaymentRail rail = checkWithdrawal(w);
            ops = retryingConflicts(() -> store.inTransaction(tx -> {
                UnitOfWork uow = unitOfWork(tx);
                Instant now = uow.now();
                long available = tx.ledger()
                        .balance(Journal.account(
                                AccountType.PARTY_AVAILABLE,
                                w.party().value(),
                                w.amount().asset()));
                if (available < w.amount().minor()) {
                    throw new EscrowException(
                            ErrorCode.INSUFFICIENT_BALANCE,
                            Money.of(available, w.amount().asset()),
                            w.amount());
                }
                TransferId transfer = TransferId.of("wd_" + Commands.randomHex());
                tx.ledger().append(Journal.withdrawalReserved(now, w.party(), transfer.value(), w.amount()));
                uow.newOperation(RailOperation.init(
                        transfer,
                        rail.id(),
                        RailOperationKind.WITHDRAWAL,
                        null,
                        null,
                        w.party(),
                        w.amount(),
                        Money.zero(w.amount().asset()),
                        null,
                        PayoutDestination.railAddress(w.destination()),
                        now,
                        now.plus(config.lease())));
                uow.record(
                        new WithdrawalRequested(now, w.party(), transfer, w.amount(), w.destination(), rail.id()),
                        transfer + "#requested");
                completeIdempotent(tx, key, transfer.value(), 0);
                return uow.toExecute();
            }));
        } catch (RuntimeException e) {
            releaseKey(key);
            throw e;
        }
        execute(ops, null);
        return findWithdrawal(ops.get(0).transferId()).orElseThrow();
    }

    private PaymentRail checkWithdrawal(Withdraw w) {
        Role role = w.actor().role();
        if (!(role == Role.PLATFORM || w.actor().party().equals(w.party()))) {
            throw new EscrowException(
                    ErrorCode.PARTY_NOT_ALLOWED, w.actor(), "withdraw from", "balance of " + w.party());
        }
        if (!w.amount().isPositive()) {
            throw new EscrowException(ErrorCode.INVALID_AMOUNT, w.amount());
        }
        PaymentRail rail = rails.get(w.rail());
        if (rail == null) {
            throw new EscrowException(ErrorCode.RAIL_NOT_FOUND, w.rail());
        }
        AssetLimits limits = rail.capabilities()
                .limits(w.amount().asset())
                .orElseThrow(() -> new EscrowException(
                        ErrorCode.ASSET_NOT_SUPPORTED, w.rail(), w.amount().asset()));
        if (!limits.accepts(w.amount())) {
            throw new EscrowException(
                    ErrorCode.AMOUNT_OUT_OF_RAIL_RANGE, w.rail(), limits.minMinor(), limits.maxMinor(), w.amount());
        }
        PayoutDestination.railAddress(w.destination() == null ? "" : w.destination());
        return rail;
    }

    private EscrowView partyResponse(IdempotencyKey key, SubmitPartyResponse r) {
        RailOperation op = store.inTransaction(tx -> {
            EscrowState state = load(tx, r.escrowId());
            Commands.requireParty(state, r.actor());
            PartyInstruction instruction = state.instruction(r.transferId());
            if (instruction == null) {
                throw new EscrowException(
                        ErrorCode.INVALID_STATE, "respond", "transfer " + r.transferId(), "not waiting for a party");
            }
            if (instruction.party() != r.actor().role() && r.actor().role() != Role.PLATFORM) {
                throw new EscrowException(
                        ErrorCode.PARTY_NOT_ALLOWED,
                        r.actor(),
                        "respond to",
                        "an instruction for the " + instruction.party());
            }
            if (r.payload() == null || r.payload().isBlank()) {
                throw new EscrowException(ErrorCode.INVALID_REQUEST, "payload is required");
            }
            completeIdempotent(tx, key, state.id().value(), state.version());
            return tx.railOperations().find(r.transferId()).orElseThrow();
        });
        RailResult result = call(() -> rails.get(op.rail())
                .submitPartyResponse(r.transferId(), r.actor().role(), r.payload()));
        recordOutcome(op.transferId(), result, null);
        EscrowView view = get(r.escrowId());
        recordSettledVersion(key, view.version());
        return view;
    }

    /** After the rail calls: remember the version the caller saw, so a retry with the same key sees the same. */
    private void recordSettledVersion(IdempotencyKey key, long version) {
        try {
            store.inTransaction(tx -> {
                tx.idempotency().find(key).ifPresent(rec -> tx.idempotency()
                        .update(new IdempotencyRecord(
                                key,
                                rec.requestHash(),
                                true,
                                rec.resultSubject(),
                                version,
                                rec.createdAt(),
                                rec.lockedUntil())));
                return null;
            });
        } catch (RuntimeException e) {
            // the first version stays recorded: a retry then shows the escrow as the command left it, which is true
            LOG.log(Level.FINE, "could not record the settled version for " + key, e);
        }
    }

    // ------------------------------------------------------------------ idempotency

    private IdempotencyRecord beginIdempotent(IdempotencyKey key, String hash) {
        for (int attempt = 0; ; attempt++) {
            try {
                return store.inTransaction(tx -> {
                    Instant now = clock.instant();
                    Optional<IdempotencyRecord> found = tx.idempotency().find(key);
                    if (found.isEmpty()) {
                        tx.idempotency()
                                .insert(new IdempotencyRecord(
                                        key, hash, false, null, 0, now, now.plus(config.idempotencyLock())));
                        return null;
                    }
                    IdempotencyRecord rec = found.get();
                    if (!rec.requestHash().equals(hash)) {
                        throw new EscrowException(ErrorCode.IDEMPOTENCY_CONFLICT, key);
                    }
                    if (rec.completed()) {
                        return rec;
                    }
                    if (rec.lockedUntil().isAfter(now)) {
                        throw new EscrowException(ErrorCode.IDEMPOTENCY_IN_PROGRESS, key);
                    }
                    // the request holding the key died: take it over
                    tx.idempotency()
                            .update(new IdempotencyRecord(
                                    key, hash, false, null, 0, rec.createdAt(), now.plus(config.idempotencyLock())));
                    return null;
                });
            } catch (StoreConflictException e) {
                if (attempt >= config.conflictRetries()) {
                    throw new EscrowException(ErrorCode.IDEMPOTENCY_IN_PROGRESS, key);
                }
            }
        }
    }

    private static void completeIdempotent(StoreTransaction tx, IdempotencyKey key, String subject, long version) {
        IdempotencyRecord rec = tx.idempotency().find(key).orElseThrow();
        tx.idempotency()
                .update(new IdempotencyRecord(
                        key, rec.requestHash(), true, subject, version, rec.createdAt(), rec.lockedUntil()));
    }

    private void releaseKey(IdempotencyKey key) {
        try {
            store.inTransaction(tx -> {
                tx.idempotency().find(key).filter(r -> !r.completed()).ifPresent(r -> tx.idempotency()
                        .delete(key));
                return null;
            });
        } catch (RuntimeException e) {
            // the lock times out by itself; the key is usable again after config.idempotencyLock()
            LOG.log(Level.FINE, "could not release idempotency key " + key, e);
        }
    }

    // ------------------------------------------------------------------ rail calls and outcomes

    /** @return the escrow's state after the last outcome recorded, or {@code state} when none was */
    private EscrowState execute(List<RailOperation> ops, EscrowState state) {
        EscrowState latest = state;
        for (RailOperation op : ops) {
            EscrowState after = executeOne(op, latest);
            if (after != null) {
                latest = after;
            }
        }
        return latest;
    }

    private EscrowState executeOne(RailOperation op, EscrowState known) {
        PaymentRail rail = rails.get(op.rail());
        if (rail == null) {
            LOG.warning("no rail " + op.rail() + " for transfer " + op.transferId() + "; left for a node that has it");
            return null;
        }
        EscrowState state = known;
        if (state == null && op.escrowId() != null) {
            state = store.inTransaction(tx -> load(tx, op.escrowId()));
        }
        EscrowState s = state;
        RailResult result =
                switch (op.kind()) {
                    case FUNDING -> call(() -> rail.openFunding(fundingRequest(op, s)));
                    case CANCEL_FUNDING -> call(() -> rail.cancelFunding(op.fundingTransferId()));
                    case RELEASE, REFUND, WITHDRAWAL -> call(() -> rail.payout(payoutRequest(op, s)));
                };
        return recordOutcome(op.transferId(), result, null);
    }

    private FundingRequest fundingRequest(RailOperation op, EscrowState state) {
        var c = state.created();
        Instant holdUntil = CreateValidation.holdUntil(c.milestones(), c.inspectionPeriod(), c.disputeWindow());
        if (Bonds.of(state, op) != null) {
            // a bond may be required after funding, when the escrow's fundBy has passed: the party may pay it for as
            // long as the escrow may need it; the payer is the bonded party, the other party the "seller"
            PartyId other = op.party().equals(c.buyer()) ? c.seller() : c.buyer();
            Instant fundBy = c.fundBy().isAfter(clock.instant()) ? c.fundBy() : holdUntil;
            return new FundingRequest(
                    op.transferId(), c.escrowId(), op.amount(), op.party(), other, fundBy, holdUntil, c.metadata());
        }
        return new FundingRequest(
                op.transferId(), c.escrowId(), op.amount(), c.buyer(), c.seller(), c.fundBy(), holdUntil, c.metadata());
    }

    private static PayoutRequest payoutRequest(RailOperation op, EscrowState state) {
        Money drawn = op.amount().plus(op.platformFee());
        // a bond is paid out of its own funding in one go
        boolean last = state != null && (state.held().equals(drawn) || Bonds.of(state, op) != null);
        var kind =
                switch (op.kind()) {
                    case RELEASE -> dev.holdfast.api.PayoutKind.RELEASE;
                    case REFUND -> dev.holdfast.api.PayoutKind.REFUND;
                    default -> dev.holdfast.api.PayoutKind.WITHDRAWAL;
                };
        return new PayoutRequest(
                op.transferId(),
                kind,
                op.escrowId(),
                op.fundingTransferId(),
                op.party(),
                op.amount(),
                op.platformFee(),
                op.destination(),
                last);
    }

    private static RailResult call(Supplier<RailResult> call) {
        try {
            RailResult r = call.get();
            return r != null ? r : RailResult.unknown(new RailError("NULL", "the rail answered nothing"));
        } catch (RuntimeException e) {
            // a rail that throws broke RC-2; whether money moved is unknown, so the reconciler must ask
            return RailResult.unknown(new RailError("EXCEPTION", String.valueOf(e)));
        }
    }

    /**
     * Applies a rail's answer or notification about a transfer, at most once per final outcome.
     *
     * @param reported the amount a funding notification reported, checked against the operation, or {@code null}
     * @return the escrow's state after the outcome, or {@code null} when nothing was recorded for an escrow
     */
    EscrowState recordOutcome(TransferId transferId, RailResult r, Money reported) {
        List<RailOperation> followUps;
        Holder<EscrowState> after = new Holder<>();
        try {
            followUps = retryingConflicts(() -> store.inTransaction(tx -> {
                RailOperation op = tx.railOperations().find(transferId).orElse(null);
                if (op == null || op.status().isFinal()) {
                    return List.<RailOperation>of();
                }
                if (reported != null && !reported.equals(op.amount())) {
                    LOG.warning("rail reported " + reported + " for " + transferId + " which expects " + op.amount()
                            + "; the reconciler will ask");
                    return List.<RailOperation>of();
                }
                UnitOfWork uow = unitOfWork(tx);
                if (op.kind() == RailOperationKind.WITHDRAWAL) {
                    withdrawalOutcome(uow, op, r);
                } else {
                    EscrowState state = load(tx, op.escrowId());
                    escrowOutcome(uow, state, op, r);
                    after.value = state;
                }
                recordCosts(uow, op, r);
                return uow.toExecute();
            }));
        } catch (RuntimeException e) {
            // the operation stays as it was; the reconciler will ask the rail again
            LOG.log(Level.WARNING, "could not record the outcome of " + transferId, e);
            return null;
        }
        EscrowState latest = execute(followUps, after.value);
        return latest != null ? latest : after.value;
    }

    /**
     * Books what the rail reports the platform bore for the transfer, once the outcome is final: a rail repeats its
     * costs on every answer and notification of a final outcome, so the entry ids (transfer + kind) and the check
     * below keep a repeated outcome from booking twice.
     */
    private static void recordCosts(UnitOfWork uow, RailOperation op, RailResult r) {
        if (r.costs().isEmpty()) {
            return;
        }
        StoreTransaction tx = uow.tx();
        boolean isFinal = tx.railOperations()
                .find(op.transferId())
                .map(o -> o.status().isFinal())
                .orElse(false);
        if (!isFinal) {
            return;
        }
        String subject =
                op.escrowId() != null ? op.escrowId().value() : op.party().value();
        Map<RailCost.Kind, List<Money>> byKind = new EnumMap<>(RailCost.Kind.class);
        for (RailCost c : r.costs()) {
            byKind.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c.amount());
        }
        Set<String> booked = new HashSet<>();
        for (var e : tx.ledger().entries(subject)) {
            booked.add(e.entryId());
        }
        byKind.forEach((kind, amounts) -> {
            String id = Journal.costEntryId(op.transferId().value(), kind);
            if (!booked.contains(id)) {
                tx.ledger()
                        .append(Journal.railCost(
                                uow.now(), subject, op.rail(), op.transferId().value(), kind, amounts));
            }
        });
    }

    private void escrowOutcome(UnitOfWork uow, EscrowState state, RailOperation op, RailResult r) {
        StoreTransaction tx = uow.tx();
        Instant now = uow.now();
        EscrowState.Bond bond = Bonds.of(state, op);
        if (bond != null) {
            Bonds.outcome(uow, state, bond, op, r, nextCheck(op, now));
            return;
        }
        switch (r.status()) {
            case SUCCEEDED -> {
                tx.railOperations().save(op.withOutcome(RailOperationStatus.SUCCEEDED, r.railReference(), null, null));
                switch (op.kind()) {
                    case FUNDING -> {
                        if (state.status() == EscrowStatus.AWAITING_FUNDING) {
                            uow.append(
                                    state,
                                    new EscrowFunded(state.id(), now, op.transferId(), r.railReference(), op.amount()));
                        } else if (isClosedUnfunded(state)) {
                            uow.lateFunding(state, op.transferId(), op.amount());
                        }
                    }
                    case RELEASE, REFUND -> {
                        if (state.inFlight(op.transferId()) != null) {
                            uow.append(
                                    state,
                                    new PayoutSucceeded(
                                            state.id(), now, op.transferId(), r.railReference(), r.railFee()));
                            disputes.afterPayout(uow, state, op.milestone(), true);
                        }
                    }
                    case CANCEL_FUNDING -> {
                        long held = tx.ledger()
                                .balance(Journal.account(
                                        AccountType.ESCROW_HELD,
                                        state.id().value(),
                                        op.amount().asset()));
                        if (held > 0 && isClosedUnfunded(state)) {
                            tx.ledger()
                                    .append(Journal.returnedLateFunding(
                                            now,
                                            state.id().value(),
                                            op.transferId().value(),
                                            state.created().buyer(),
                                            Money.of(held, op.amount().asset())));
                        }
                    }
                    case WITHDRAWAL -> throw new IllegalStateException("not an escrow operation");
                }
            }
            case FAILED -> {
                String why = r.error() == null ? "failed" : r.error().toString();
                if (op.kind() == RailOperationKind.CANCEL_FUNDING && !isAlreadySettled(r)) {
                    // the buyer's money may still be held: keep asking until the rail confirms nothing is
                    tx.railOperations()
                            .save(op.withOutcome(RailOperationStatus.UNKNOWN, null, why, nextCheck(op, now)));
                    Bonds.noteTrouble(uow, state, op, RailOperationStatus.UNKNOWN, why);
                    return;
                }
                tx.railOperations().save(op.withOutcome(RailOperationStatus.FAILED, r.railReference(), why, null));
                if (op.kind() == RailOperationKind.CANCEL_FUNDING) {
                    // no FundingFailed or PayoutFailed follows, so the forfeit rule would not see this one otherwise
                    Bonds.noteTrouble(uow, state, op, RailOperationStatus.FAILED, why);
                }
                if (op.kind() == RailOperationKind.FUNDING && state.status() == EscrowStatus.AWAITING_FUNDING) {
                    uow.append(state, new FundingFailed(state.id(), now, op.transferId(), why));
                } else if (state.inFlight(op.transferId()) != null) {
                    uow.append(state, new PayoutFailed(state.id(), now, op.transferId(), why));
                    disputes.afterPayout(uow, state, op.milestone(), false);
                    scheduleRefundRetry(uow, state, op.milestone());
                } else if (op.kind() == RailOperationKind.CANCEL_FUNDING) {
                    LOG.warning("rail refused to cancel funding " + op.fundingTransferId() + ": " + why);
                }
            }
            case PENDING -> {
                tx.railOperations()
                        .save(op.withOutcome(RailOperationStatus.PENDING, r.railReference(), null, nextCheck(op, now)));
                if (r.instruction() != null
                        && state.instruction(op.transferId()) == null
                        && !state.status().isTerminal()) {
                    uow.append(state, new InstructionIssued(state.id(), now, op.transferId(), r.instruction()));
                }
            }
            case UNKNOWN -> {
                String why = r.error() == null ? null : r.error().toString();
                tx.railOperations()
                        .save(op.withOutcome(RailOperationStatus.UNKNOWN, r.railReference(), why, nextCheck(op, now)));
                Bonds.noteTrouble(uow, state, op, RailOperationStatus.UNKNOWN, why == null ? "" : why);
            }
        }
    }

    private static boolean isAlreadySettled(RailResult r) {
        return r.error() != null && RailError.ALREADY_SETTLED.equals(r.error().code());
    }

    private static boolean isClosedUnfunded(EscrowState state) {
        return state.status() == EscrowStatus.CANCELLED
                || state.status() == EscrowStatus.EXPIRED
                || state.status() == EscrowStatus.FUNDING_FAILED;
    }

    private void withdrawalOutcome(UnitOfWork uow, RailOperation op, RailResult r) {
        StoreTransaction tx = uow.tx();
        Instant now = uow.now();
        String t = op.transferId().value();
        switch (r.status()) {
            case SUCCEEDED -> {
                tx.railOperations().save(op.withOutcome(RailOperationStatus.SUCCEEDED, r.railReference(), null, null));
                tx.ledger().append(Journal.withdrawalPaid(now, op.party(), t, op.amount(), op.rail(), r.railFee()));
                uow.record(
                        new WithdrawalSucceeded(now, op.party(), op.transferId(), r.railReference(), r.railFee()),
                        t + "#succeeded");
            }
            case FAILED -> {
                String why = r.error() == null ? "failed" : r.error().toString();
                tx.railOperations().save(op.withOutcome(RailOperationStatus.FAILED, r.railReference(), why, null));
                tx.ledger().append(Journal.withdrawalReversed(now, op.party(), t, op.amount()));
                uow.record(new WithdrawalFailed(now, op.party(), op.transferId(), why), t + "#failed");
            }
            case PENDING -> tx.railOperations()
                    .save(op.withOutcome(RailOperationStatus.PENDING, r.railReference(), null, nextCheck(op, now)));
            case UNKNOWN -> tx.railOperations()
                    .save(op.withOutcome(
                            RailOperationStatus.UNKNOWN, null, String.valueOf(r.error()), nextCheck(op, now)));
        }
    }

    private Instant nextCheck(RailOperation op, Instant now) {
        long first = config.reconcileFirstDelay().toMillis();
        long max = config.reconcileMaxDelay().toMillis();
        int shift = Math.min(op.attempts(), 30);
        long delay = first << shift;
        return now.plusMillis(delay <= 0 || delay > max ? max : delay);
    }

    // ------------------------------------------------------------------ rail notifications

    private void onNotification(RailNotification n) {
        try {
            if (n instanceof RailNotification.Funded f) {
                recordOutcome(
                        f.transferId(),
                        RailResult.succeeded(f.railReference(), null).withCosts(f.costs()),
                        f.amount());
            } else if (n instanceof RailNotification.FundingLapsed l) {
                fundingLapsed(l);
            } else if (n instanceof RailNotification.HoldExpiring h) {
                RailOperation op = operation(h.transferId());
                if (op != null && op.escrowId() != null) {
                    guardHold(op.escrowId());
                }
            } else if (n instanceof RailNotification.PayoutSucceeded p) {
                recordOutcome(
                        p.transferId(),
                        RailResult.succeeded(p.railReference(), p.railFee()).withCosts(p.costs()),
                        null);
            } else if (n instanceof RailNotification.PayoutFailed p) {
                recordOutcome(p.transferId(), RailResult.failed(p.error()), null);
            }
        } catch (RuntimeException e) {
            // a listener never throws into the rail; lost notifications are made up for by the reconciler
            LOG.log(Level.WARNING, "could not apply " + n, e);
        }
    }

    private RailOperation operation(TransferId id) {
        return store.inTransaction(tx -> tx.railOperations().find(id).orElse(null));
    }

    private void fundingLapsed(RailNotification.FundingLapsed l) {
        RailOperation op = operation(l.transferId());
        if (op == null || op.escrowId() == null) {
            return;
        }
        if (!op.status().isFinal()) {
            recordOutcome(l.transferId(), RailResult.failed(new RailError("LAPSED", l.reason())), null);
            return;
        }
        // the rail gave held funds back by itself: book what the buyer got back as refunds
        List<RailOperation> ops = retryingConflicts(() -> store.inTransaction(tx -> {
            UnitOfWork uow = unitOfWork(tx);
            EscrowState state = load(tx, op.escrowId());
            EscrowState.Bond bond = Bonds.of(state, op);
            if (bond != null) {
                // a bond's lapse gives back the bond, never the escrow's money
                Bonds.lapsed(uow, state, bond, l.reason());
                return uow.toExecute();
            }
            // the rail already gave the funds back: disputes end as refunds, booked below without a rail call
            disputes.resolveForHold(uow, state, "rail hold lapsed: " + l.reason(), false);
            for (EscrowState.Milestone m : List.copyOf(state.milestones())) {
                if (m.inFlight() == null && m.held().isPositive() && !m.status().isTerminal()) {
                    lapsedRefund(uow, state, m, l.reason());
                }
            }
            return uow.toExecute();
        }));
        execute(ops, null);
    }

    private void lapsedRefund(UnitOfWork uow, EscrowState state, EscrowState.Milestone m, String reason) {
        Instant now = uow.now();
        TransferId t = TransferId.of(state.id() + ":" + m.id() + ":lapsed:" + (state.version() + 1));
        uow.append(
                state,
                new EscrowEvent.PayoutRequested(
                        state.id(),
                        now,
                        m.id(),
                        t,
                        dev.holdfast.api.PayoutKind.REFUND,
                        m.held(),
                        Money.zero(m.held().asset()),
                        PayoutDestination.fundingSource(),
                        dev.holdfast.api.Actor.system(),
                        "rail hold lapsed: " + reason));
        RailOperation op = uow.tx().railOperations().find(t).orElseThrow();
        uow.tx().railOperations().save(op.withOutcome(RailOperationStatus.SUCCEEDED, "lapsed", null, null));
        uow.toExecute().removeIf(o -> o.transferId().equals(t));
        uow.append(state, new PayoutSucceeded(state.id(), now, t, "lapsed", null));
    }

    // ------------------------------------------------------------------ background work

    @Override
    public WorkReport runDueWork() {
        int timers = fireTimers();
        int ops = reconcile();
        int events = deliverOutbox();
        return new WorkReport(timers, ops, events);
    }

    private int fireTimers() {
        Instant now = clock.instant();
        List<ScheduledTimer> due = store.inTransaction(
                tx -> tx.timers().claimDue(now, config.batchSize(), config.nodeId(), now.plus(config.lease())));
        int fired = 0;
        for (ScheduledTimer t : due) {
            if (fireTimer(t)) {
                fired++;
            }
        }
        return fired;
    }

    private boolean fireTimer(ScheduledTimer t) {
        Decided d;
        try {
            d = retryingConflicts(() -> store.inTransaction(tx -> {
                if (!tx.timers().complete(t)) {
                    return null;
                }
                UnitOfWork uow = unitOfWork(tx);
                EscrowState state = load(tx, t.escrowId());
                switch (t.kind()) {
                    case FUNDING_DEADLINE -> {
                        if (state.status() == EscrowStatus.AWAITING_FUNDING) {
                            uow.append(state, new EscrowEvent.EscrowExpired(state.id(), uow.now()));
                        }
                    }
                    case DELIVERY_DEADLINE -> postponeIf(
                            Commands.system(
                                    uow,
                                    state,
                                    t.milestone(),
                                    MilestoneAction.DELIVERY_MISSED,
                                    "delivery deadline passed"),
                            uow,
                            t);
                    case AUTO_RELEASE -> postponeIf(
                            Commands.system(
                                    uow, state, t.milestone(), MilestoneAction.AUTO_RELEASE, "inspection period ended"),
                            uow,
                            t);
                    case HOLD_GUARD -> postponeIf(guard(uow, state), uow, t);
                    case REFUND_RETRY -> postponeIf(
                            Commands.system(
                                    uow,
                                    state,
                                    t.milestone(),
                                    MilestoneAction.REFUND_RETRY,
                                    "refund retried after a failure"),
                            uow,
                            t);
                    case DISPUTE_RESPONSE, DISPUTE_APPEAL_WINDOW, DISPUTE_DEADLINE, SETTLEMENT_RETRY -> disputes
                            .onTimer(uow, state, t);
                }
                return new Decided(state, uow.toExecute());
            }));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "timer " + t.timerId() + " failed; it fires again when its lease lapses", e);
            return false;
        }
        if (d == null) {
            return false;
        }
        execute(d.ops(), d.state());
        return true;
    }

    private void guardHold(EscrowId id) {
        Decided d = retryingConflicts(() -> store.inTransaction(tx -> {
            UnitOfWork uow = unitOfWork(tx);
            EscrowState state = load(tx, id);
            guard(uow, state);
            return new Decided(state, uow.toExecute());
        }));
        execute(d.ops(), d.state());
    }

    /** Before the rail's hold lapses: refund what is in dispute, release what was delivered, refund the rest. */
    /** @return true when a milestone could not be acted on yet because a payout of it is in flight */
    private boolean guard(UnitOfWork uow, EscrowState state) {
        if (state.status() != EscrowStatus.FUNDED) {
            return false;
        }
        disputes.resolveForHold(uow, state, "rail hold about to lapse", true);
        boolean waiting = false;
        for (EscrowState.Milestone m : List.copyOf(state.milestones())) {
            MilestoneAction action = m.status() == MilestoneStatus.DELIVERED
                    ? MilestoneAction.HOLD_GUARD_RELEASE
                    : MilestoneAction.HOLD_GUARD_REFUND;
            waiting |= Commands.system(uow, state, m.id(), action, "rail hold about to lapse");
        }
        return waiting;
    }

    /**
     * A refund that failed is sent again, with a new transfer id, after a backoff that doubles per failure: the
     * decision to give the buyer the money back was taken, only the rail was in the way. After {@link
     * #MAX_REFUND_RETRIES} failures the milestone stays REFUND_FAILED for the platform to look at (a closed buyer
     * account will not open by itself); the hold guard still acts before a rail hold lapses.
     */
    private void scheduleRefundRetry(UnitOfWork uow, EscrowState state, MilestoneId milestone) {
        EscrowState.Milestone m = state.milestone(milestone);
        if (m == null || m.status() != MilestoneStatus.REFUND_FAILED || m.failedRefunds() > MAX_REFUND_RETRIES) {
            return;
        }
        long first = config.reconcileFirstDelay().toMillis();
        long delay = Math.min(config.reconcileMaxDelay().toMillis(), first << Math.min(m.failedRefunds(), 20));
        uow.tx()
                .timers()
                .schedule(new ScheduledTimer(
                        state.id(), milestone, TimerKind.REFUND_RETRY, uow.now().plusMillis(delay), null, null));
    }

    /** A timer whose action waits for an in-flight payout fires again shortly instead of being lost. */
    private void postponeIf(boolean waiting, UnitOfWork uow, ScheduledTimer t) {
        if (waiting) {
            uow.tx()
                    .timers()
                    .schedule(new ScheduledTimer(
                            t.escrowId(),
                            t.milestone(),
                            t.kind(),
                            uow.now().plus(config.reconcileFirstDelay()),
                            null,
                            null));
        }
    }

    private int reconcile() {
        Instant now = clock.instant();
        List<RailOperation> due = store.inTransaction(
                tx -> tx.railOperations().claimDue(now, config.batchSize(), config.nodeId(), now.plus(config.lease())));
        for (RailOperation op : due) {
            reconcileOne(op);
        }
        return due.size();
    }

    private void reconcileOne(RailOperation op) {
        PaymentRail rail = rails.get(op.rail());
        if (rail == null) {
            return;
        }
        RailResult r = call(() -> rail.query(op.transferId()));
        boolean neverSeen = r.status() == RailStatus.FAILED
                && r.error() != null
                && r.error().isNotFound();
        if (neverSeen
                && (op.status() == RailOperationStatus.INIT
                        || op.status() == RailOperationStatus.UNKNOWN
                        || op.kind() == RailOperationKind.CANCEL_FUNDING)) {
            // the rail never received the call: sending it now, with the same transfer id, is safe
            executeOne(op, null);
        } else {
            recordOutcome(op.transferId(), r, null);
        }
    }

    private int deliverOutbox() {
        if (sink == null) {
            return 0;
        }
        // each claim gives the oldest undelivered message per subject, so claim again until a pass finds nothing
        int delivered = 0;
        while (delivered < config.batchSize() * 10) {
            Instant now = clock.instant();
            List<OutboxMessage> due = store.inTransaction(
                    tx -> tx.outbox().claim(now, config.batchSize(), config.nodeId(), now.plus(config.lease())));
            if (due.isEmpty()) {
                return delivered;
            }
            int before = delivered;
            for (OutboxMessage m : due) {
                if (deliver(m, now)) {
                    delivered++;
                }
            }
            if (delivered == before) {
                return delivered;
            }
        }
        return delivered;
    }

    private boolean deliver(OutboxMessage m, Instant now) {
        try {
            sink.deliver(m);
        } catch (Exception e) {
            long backoff = Math.min(
                    config.reconcileMaxDelay().toMillis(),
                    config.reconcileFirstDelay().toMillis() << Math.min(m.attempts(), 20));
            store.inTransaction(tx -> {
                tx.outbox().retryLater(m.sequence(), now.plusMillis(backoff));
                return null;
            });
            return false;
        }
        store.inTransaction(tx -> {
            tx.outbox().markDelivered(m.sequence());
            return null;
        });
        return true;
    }

    @Override
    public synchronized void startBackgroundWork(Duration interval) {
        if (background != null) {
            return;
        }
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "holdfast-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        background.scheduleWithFixedDelay(
                () -> {
                    try {
                        runDueWork();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "background work failed; next pass retries", e);
                    }
                },
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public WorkReport advanceTime(EscrowId escrow, Duration by) {
        if (!(clock instanceof TestClock testClock)) {
            throw new EscrowException(ErrorCode.TEST_CLOCK_DISABLED);
        }
        if (by.isNegative()) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "time cannot go back: " + by);
        }
        if (escrow == null) {
            testClock.advance(by);
        } else {
            store.inTransaction(tx -> {
                load(tx, escrow);
                tx.timers().shift(escrow, by);
                return null;
            });
        }
        int timers = 0;
        int ops = 0;
        int events = 0;
        for (int pass = 0; pass < MAX_ADVANCE_PASSES; pass++) {
            WorkReport r = runDueWork();
            if (r.timersFired() == 0) {
                // reconciler and outbox passes may keep finding pending work; timers decide when time is "done"
                return new WorkReport(timers, ops + r.operationsReconciled(), events + r.eventsDelivered());
            }
            timers += r.timersFired();
            ops += r.operationsReconciled();
            events += r.eventsDelivered();
        }
        return new WorkReport(timers, ops, events);
    }

    // ------------------------------------------------------------------ queries

    @Override
    public Optional<EscrowView> find(EscrowId id) {
        return store.inTransaction(tx ->
                Optional.ofNullable(EscrowState.fold(tx.events().load(id))).map(EscrowState::view));
    }

    @Override
    public EscrowPage list(EscrowQuery query) {
        Objects.requireNonNull(query, "query");
        return store.inTransaction(tx -> {
            long offset = query.cursor() == null ? 0 : Long.parseLong(query.cursor());
            List<EscrowId> partyEscrows =
                    query.party() == null ? null : tx.events().escrowsOf(query.party());
            List<EscrowView> items = new ArrayList<>(query.limit());
            // The store keeps no status index, so a status filter folds every stream it skips; the cursor is the
            // position reached, so the next page does not fold them again.
            int batch = Math.max(query.limit(), 50);
            while (items.size() < query.limit()) {
                List<EscrowId> ids = partyEscrows != null
                        ? partyEscrows.subList((int) Math.min(offset, partyEscrows.size()), (int)
                                Math.min(offset + batch, partyEscrows.size()))
                        : tx.events().escrows(offset, batch);
                if (ids.isEmpty()) {
                    return new EscrowPage(items, null);
                }
                for (EscrowId id : ids) {
                    offset++;
                    EscrowState s = EscrowState.fold(tx.events().load(id));
                    if (s != null
                            && (query.statuses().isEmpty() || query.statuses().contains(s.status()))) {
                        items.add(s.view());
                        if (items.size() == query.limit()) {
                            break;
                        }
                    }
                }
            }
            boolean more = partyEscrows != null
                    ? offset < partyEscrows.size()
                    : !tx.events().escrows(offset, 1).isEmpty();
            return new EscrowPage(items, more ? Long.toString(offset) : null);
        });
    }

    private EscrowView viewAt(EscrowId id, long version) {
        return store.inTransaction(tx -> {
            EscrowState s = EscrowState.foldUpTo(tx.events().load(id), version);
            if (s == null) {
                throw new EscrowException(ErrorCode.ESCROW_NOT_FOUND, id);
            }
            return s.view();
        });
    }

    @Override
    public List<EscrowEvent> history(EscrowId id) {
        return store.inTransaction(tx -> {
            var events = tx.events().load(id);
            if (events.isEmpty()) {
                throw new EscrowException(ErrorCode.ESCROW_NOT_FOUND, id);
            }
            List<EscrowEvent> out = new ArrayList<>(events.size());
            events.forEach(e -> out.add(e.event()));
            return out;
        });
    }

    @Override
    public Optional<WithdrawalView> findWithdrawal(TransferId transferId) {
        return store.inTransaction(tx -> tx.railOperations()
                .find(transferId)
                .filter(op -> op.kind() == RailOperationKind.WITHDRAWAL)
                .map(op -> new WithdrawalView(
                        op.transferId(),
                        op.party(),
                        op.amount(),
                        ((PayoutDestination.RailAddress) op.destination()).address(),
                        op.rail(),
                        op.status(),
                        op.railReference(),
                        op.createdAt())));
    }

    @Override
    public PartyBalance balance(PartyId party, dev.holdfast.api.Asset asset) {
        return store.inTransaction(tx -> {
            Money reserved = Money.zero(asset);
            Money pending = Money.zero(asset);
            for (EscrowId id : tx.events().escrowsOf(party)) {
                EscrowState s = EscrowState.fold(tx.events().load(id));
                if (s == null || !s.created().amount().asset().equals(asset) || s.status() != EscrowStatus.FUNDED) {
                    continue;
                }
                for (EscrowState.Milestone m : s.milestones()) {
                    if (m.status().isTerminal()) {
                        continue;
                    }
                    if (s.created().buyer().equals(party)) {
                        reserved = reserved.plus(m.held());
                    }
                    if (s.created().seller().equals(party)) {
                        pending = pending.plus(m.held().minus(m.terms().buyerFee()));
                    }
                }
            }
            long available = tx.ledger().balance(Journal.account(AccountType.PARTY_AVAILABLE, party.value(), asset));
            long paid = tx.ledger().balance(Journal.account(AccountType.PARTY_PAID_OUT, party.value(), asset));
            return new PartyBalance(party, asset, reserved, pending, Money.of(available, asset), Money.of(paid, asset));
        });
    }

    @Override
    public AuditVerification verifyAudit() {
        return AuditChain.verify(store);
    }

    @Override
    public void exportAudit(Appendable out) throws IOException {
        AuditChain.export(store, out);
    }

    @Override
    public synchronized void close() {
        if (background != null) {
            background.shutdownNow();
            background = null;
        }
    }

    // ------------------------------------------------------------------ helpers

    private UnitOfWork unitOfWork(StoreTransaction tx) {
        return new UnitOfWork(tx, clock.instant(), rails, config.lease());
    }

    private static EscrowState load(StoreTransaction tx, EscrowId id) {
        if (id == null) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "escrowId is required");
        }
        EscrowState state = EscrowState.fold(tx.events().load(id));
        if (state == null) {
            throw new EscrowException(ErrorCode.ESCROW_NOT_FOUND, id);
        }
        return state;
    }

    private <T> T retryingConflicts(Supplier<T> work) {
        for (int attempt = 0; ; attempt++) {
            try {
                return work.get();
            } catch (StoreConflictException e) {
                if (attempt >= config.conflictRetries()) {
                    throw new EscrowException(ErrorCode.CONCURRENT_MODIFICATION, e, e.getMessage());
                }
            }
        }
    }

    private record Decided(EscrowState state, List<RailOperation> ops) {}

    private static final class Holder<T> {
        T value;
    }
}
