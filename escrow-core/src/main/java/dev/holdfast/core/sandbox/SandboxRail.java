package dev.holdfast.core.sandbox;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.AssetLimits;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailCost;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailListener;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A steerable, in-memory payment rail that holds funds natively: the rail for the engine's tests, for demos and for
 * a host's "test mode". It passes the rail contract test kit, so what works on it is what the contract promises.
 *
 * <h2>Fundings</h2>
 *
 * {@link #openFunding} answers {@link RailStatus#PENDING} with a {@link PartyInstruction.SendPayment} for the buyer
 * (to {@value #ESCROW_ADDRESS}, reference = the transfer id, exact amount, valid until {@code fundBy}). The buyer
 * "pays" with {@link #fund}; the rail then holds the amount and notifies {@link RailNotification.Funded}. With
 * {@link #autoFund(boolean)} on, opening funds at once. A funding not paid by {@code fundBy} expires ({@link
 * RailNotification.FundingLapsed}); a funded hold lapses by itself {@code maxHold} after funding when the rail has a
 * maximum hold, or when a test calls {@link #lapseHold}, and the buyer gets the money back.
 *
 * <p>The first payout from a funding <em>settles</em> the hold (as {@code SettleInvoice} does on Lightning): from
 * then on the remainder stays with the rail until paid out, it no longer lapses, and {@link #cancelFunding} answers
 * FAILED {@link SandboxCodes#ALREADY_SETTLED}; what remains goes back to the buyer only by a refund payout. Before
 * settlement, {@link #cancelFunding} returns everything held to the buyer (or, for an unpaid funding, makes paying
 * it impossible). This is the strictest of the real rails' rules, so an engine that works here works there.
 *
 * <p>Cancelling a transfer id the sandbox never saw answers SUCCEEDED and leaves a tombstone, so that an {@code
 * openFunding} arriving late with that id cannot open a funding nobody wants any more.
 *
 * <h2>Payouts</h2>
 *
 * {@link #payout} draws {@code amount + platformFee} from the funding (release, refund) or from the platform's
 * account (withdrawal); the platform fee goes to the platform's account, the amount to the destination ({@link
 * PayoutDestination.InternalBalance} means the platform's account too; {@link PayoutDestination.FundingSource}, for
 * refunds only, gives it back to the buyer and counts in {@link #returnedToBuyers}). Any rail address is accepted. A flat rail fee
 * ({@link Builder#railFeeMinor}) is charged to the platform's account for every payout to a rail address; that
 * account may go negative by what the platform owes the rail. With {@link Builder#partySignatures(boolean)} on,
 * releases and refunds answer PENDING with a {@link PartyInstruction.SignTransaction} for the party giving up its
 * claim (the buyer for a release, the seller for a refund) and move money when {@link #submitPartyResponse} brings
 * {@link #sign} of that instruction; a wrong response leaves the payout waiting.
 *
 * <h2>Idempotency</h2>
 *
 * Every transfer id is recorded with its request and outcome, including failures: the same request again answers
 * the current outcome and moves nothing; a different request under a used id answers FAILED {@link
 * SandboxCodes#TRANSFER_ID_CONFLICT} and changes nothing.
 *
 * <h2>Steering</h2>
 *
 * {@link #failNext}, {@link #unknownNext} and {@link #stallNext} queue up (first in, first out) and each applies to
 * the next {@code openFunding}, {@code payout} or {@code cancelFunding} that starts something, whatever its kind.
 * Calls that only replay a recorded outcome, {@code query}, {@code submitPartyResponse} and cancelling an unseen id
 * never consume steering: a steered replay or query would contradict what the rail already said, which no real rail
 * is allowed to do. A failed call does nothing and records FAILED; an unknown call does everything and answers
 * {@link RailStatus#UNKNOWN}; a stalled call is accepted and answers PENDING, with nothing moved and queries
 * answering PENDING, until {@link #completeStalled} performs it and notifies the outcome ({@link
 * RailNotification.Funded}, {@link RailNotification.PayoutSucceeded}, {@link RailNotification.PayoutFailed}, or
 * {@link RailNotification.FundingLapsed} for a funding that could not be opened; a completed cancel notifies
 * nothing, its query tells).
 *
 * <h2>Books</h2>
 *
 * All amounts are exact longs in the asset's minor units. For every asset, always: {@code received = paidOut +
 * returnedToBuyers + platformBalance + railFees + totalHeld}. {@link #movements} counts buyer payments and payouts
 * per transfer id and never exceeds one.
 *
 * <h2>Threads</h2>
 *
 * Thread-safe: every call runs under one lock. Notifications are delivered synchronously, after the lock is
 * released, on the thread whose call caused them ({@link #fund}, {@link #completeStalled}, {@link #lapseHold},
 * {@link #tick}, an auto-funding {@link #openFunding}, or any call that finds a funding expired or a hold lapsed by
 * the clock), so a listener may call back into the rail. Without a listener they are dropped.
 *
 * @since 0.1
 */
public final class SandboxRail implements PaymentRail {
    /** The address a buyer is told to pay to. */
    public static final String ESCROW_ADDRESS = "sandbox:escrow";
    /** The {@link PartyInstruction.SignTransaction#format()} of transactions the sandbox asks parties to sign. */
    public static final String TRANSACTION_FORMAT = "sandbox-tx";
    /** The {@link PartyInstruction.SignTransaction#network()} the sandbox names. */
    public static final String NETWORK = "sandbox";
    /** How long a transaction to sign stays valid. */
    public static final Duration SIGNATURE_WINDOW = Duration.ofHours(1);

    private final RailId id;
    private final Clock clock;
    private final RailCapabilities capabilities;
    private final long railFeeMinor;
    private final Money floatReserve;

    private final Object lock = new Object();
    // Guarded by lock. Linked maps keep sweeps and completions in a reproducible order.
    private final Map<TransferId, Funding> fundings = new LinkedHashMap<>();
    private final Map<TransferId, Payout> payouts = new LinkedHashMap<>();
    private final Set<Funding> lapsable = new LinkedHashSet<>();
    private final Set<Payout> awaitingSignature = new LinkedHashSet<>();
    private final Deque<Steer> steering = new ArrayDeque<>();
    private final List<Stalled> stalled = new ArrayList<>();
    private final Map<Asset, Books> books = new HashMap<>();
    private final Map<Destination, Long> paidTo = new HashMap<>();
    private final Map<TransferId, Integer> movements = new HashMap<>();
    private final List<SandboxPayout> payoutLog = new ArrayList<>();
    private long sequence;
    private int notificationsToDrop;
    private boolean duplicateNotifications;
    private boolean autoFund;

    private volatile RailListener listener;

    private SandboxRail(Builder builder) {
        this.id = builder.id;
        this.clock = builder.clock;
        this.railFeeMinor = builder.railFeeMinor;
        this.floatReserve = builder.floatReserve;
        this.autoFund = builder.autoFund;
        this.capabilities = new RailCapabilities(
                builder.assets,
                builder.maxHold,
                builder.partialRelease,
                builder.refundAfterSettlement,
                builder.partySignatures,
                builder.custodial);
    }

    /** @return a builder with the defaults described on {@link Builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What a party must hand back through {@link #submitPartyResponse} for the sandbox to accept its signature.
     *
     * @param instruction an instruction this rail gave
     * @return the signature
     */
    public static String sign(PartyInstruction.SignTransaction instruction) {
        return "signed-by-" + instruction.party().name() + ":" + instruction.transaction();
    }

    // ---------------------------------------------------------------- PaymentRail

    @Override
    public RailId id() {
        return id;
    }

    @Override
    public RailCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void setListener(RailListener listener) {
        this.listener = listener;
    }

    @Override
    public RailResult openFunding(FundingRequest request) {
        Objects.requireNonNull(request, "request");
        return locked(out -> {
            TransferId transferId = request.transferId();
            Funding existing = fundings.get(transferId);
            if (existing != null) {
                // a tombstone (request == null) answers its recorded cancellation
                return existing.request == null || existing.request.equals(request)
                        ? fundingResult(existing)
                        : conflict(transferId);
            }
            if (payouts.containsKey(transferId)) {
                return conflict(transferId);
            }
            Funding funding = new Funding(transferId, request, nextReference("f"));
            fundings.put(transferId, funding);
            Steer steer = steering.poll();
            if (steer instanceof Fail fail) {
                funding.fail(injected(fail));
                return fundingResult(funding);
            }
            if (steer instanceof Stall) {
                funding.state = FundingState.STALLED;
                stalled.add(new Stalled(StalledKind.OPEN, transferId));
                return RailResult.pending(funding.reference, null);
            }
            open(funding, out);
            return steer instanceof Unknown ? lostAnswer() : fundingResult(funding);
        });
    }

    @Override
    public RailResult cancelFunding(TransferId fundingTransferId) {
        Objects.requireNonNull(fundingTransferId, "fundingTransferId");
        return locked(out -> {
            if (payouts.containsKey(fundingTransferId)) {
                return conflict(fundingTransferId);
            }
            Funding funding = fundings.get(fundingTransferId);
            if (funding == null) {
                Funding tombstone = new Funding(fundingTransferId, null, null);
                tombstone.end(FundingState.CANCELLED, error(SandboxCodes.CANCELLED, "cancelled before it was opened"));
                fundings.put(fundingTransferId, tombstone);
                return RailResult.succeeded(null, null);
            }
            if (funding.state.ended()) {
                return RailResult.succeeded(funding.reference, null);
            }
            if (funding.cancelStalled) {
                return RailResult.pending(funding.reference, null);
            }
            Steer steer = steering.poll();
            if (steer instanceof Fail fail) {
                // A failed cancel is not recorded: the funding stays as it was, and cancelling again is allowed.
                return RailResult.failed(injected(fail));
            }
            if (steer instanceof Stall) {
                funding.cancelStalled = true;
                stalled.add(new Stalled(StalledKind.CANCEL, fundingTransferId));
                return RailResult.pending(funding.reference, null);
            }
            RailResult result = cancel(funding);
            return steer instanceof Unknown ? lostAnswer() : result;
        });
    }

    @Override
    public RailResult payout(PayoutRequest request) {
        Objects.requireNonNull(request, "request");
        return locked(out -> {
            TransferId transferId = request.transferId();
            Payout existing = payouts.get(transferId);
            if (existing != null) {
                return existing.request.equals(request) ? payoutResult(existing) : conflict(transferId);
            }
            if (fundings.containsKey(transferId)) {
                return conflict(transferId);
            }
            Payout payout = new Payout(request, nextReference("p"));
            payouts.put(transferId, payout);
            Steer steer = steering.poll();
            if (steer instanceof Fail fail) {
                payout.fail(injected(fail));
                return payoutResult(payout);
            }
            if (steer instanceof Stall) {
                payout.state = PayoutState.STALLED;
                stalled.add(new Stalled(StalledKind.PAYOUT, transferId));
                return payoutResult(payout);
            }
            perform(payout, out, false);
            return steer instanceof Unknown ? lostAnswer() : payoutResult(payout);
        });
    }

    @Override
    public RailResult query(TransferId transferId) {
        Objects.requireNonNull(transferId, "transferId");
        return locked(out -> {
            Payout payout = payouts.get(transferId);
            if (payout != null) {
                return payoutResult(payout);
            }
            Funding funding = fundings.get(transferId);
            if (funding != null) {
                return fundingResult(funding);
            }
            return RailResult.failed(error(RailError.NOT_FOUND, "the sandbox never saw " + transferId));
        });
    }

    @Override
    public RailResult submitPartyResponse(TransferId transferId, Role party, String payload) {
        Objects.requireNonNull(transferId, "transferId");
        return locked(out -> {
            Payout payout = payouts.get(transferId);
            if (payout == null) {
                Funding funding = fundings.get(transferId);
                return funding != null
                        ? fundingResult(funding)
                        : RailResult.failed(error(RailError.NOT_FOUND, "the sandbox never saw " + transferId));
            }
            if (payout.state != PayoutState.AWAITING_SIGNATURE) {
                // nothing was asked for (or it is answered already): a response changes nothing
                return payoutResult(payout);
            }
            PartyInstruction.SignTransaction asked = payout.instruction;
            if (party != asked.party() || !sign(asked).equals(payload)) {
                // Like a network rejecting a badly signed transaction: this submission fails, the payout waits.
                return new RailResult(
                        RailStatus.PENDING,
                        payout.reference,
                        null,
                        error(SandboxCodes.BAD_SIGNATURE, "not the signature of " + asked.party() + " asked for"),
                        asked);
            }
            awaitingSignature.remove(payout);
            RailError refused = check(payout.request);
            if (refused != null) {
                payout.fail(refused);
            } else {
                move(payout);
            }
            return payoutResult(payout);
        });
    }

    // ---------------------------------------------------------------- the outside world and steering

    /**
     * The buyer pays a funding: exactly its amount, once. On success the funds are held and {@link
     * RailNotification.Funded} is delivered on this thread.
     *
     * @param fundingTransferId the funding's transfer id
     * @return true when the payment was taken; false when the sandbox refuses it and nothing moves: an unknown id, a
     *     funding that is not open (already funded, stalled, cancelled, expired, lapsed, failed, or with a cancel
     *     in progress), or a {@code fundBy} that has passed
     */
    public boolean fund(TransferId fundingTransferId) {
        Objects.requireNonNull(fundingTransferId, "fundingTransferId");
        return locked(out -> {
            Funding funding = fundings.get(fundingTransferId);
            if (funding == null
                    || funding.state != FundingState.OPEN
                    || funding.cancelStalled
                    || now().isAfter(funding.request.fundBy())) {
                return false;
            }
            credit(funding, out);
            return true;
        });
    }

    /**
     * While on, every funding opened from now on is paid by the buyer at once: {@link #openFunding} answers
     * SUCCEEDED and notifies {@link RailNotification.Funded}.
     *
     * @param on whether to fund automatically
     */
    public void autoFund(boolean on) {
        synchronized (lock) {
            autoFund = on;
        }
    }

    /**
     * The next call that starts something answers FAILED with this code and does nothing.
     *
     * @param code the rail error code to answer
     */
    public void failNext(String code) {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("a failure needs a code");
        }
        synchronized (lock) {
            steering.add(new Fail(code));
        }
    }

    /** The next call that starts something does all it would do but answers UNKNOWN, as if its answer were lost. */
    public void unknownNext() {
        synchronized (lock) {
            steering.add(new Unknown());
        }
    }

    /**
     * The next call that starts something is accepted but answers PENDING and does nothing until {@link
     * #completeStalled}.
     */
    public void stallNext() {
        synchronized (lock) {
            steering.add(new Stall());
        }
    }

    /**
     * Performs every stalled call, oldest first, and notifies their outcomes on this thread.
     *
     * @return how many stalled calls were completed
     */
    public int completeStalled() {
        return locked(out -> {
            List<Stalled> due = List.copyOf(stalled);
            stalled.clear();
            for (Stalled s : due) {
                complete(s, out);
            }
            return due.size();
        });
    }

    /** The next notification is not delivered (both copies, when notifications are duplicated). */
    public void dropNextNotification() {
        synchronized (lock) {
            notificationsToDrop++;
        }
    }

    /**
     * While on, every notification is delivered twice in a row.
     *
     * @param on whether to duplicate
     */
    public void duplicateNotifications(boolean on) {
        synchronized (lock) {
            duplicateNotifications = on;
        }
    }

    /**
     * The native hold lapses now: an open funding can no longer be paid, a funded one goes back to the buyer, and
     * {@link RailNotification.FundingLapsed} is delivered on this thread.
     *
     * @param fundingTransferId the funding
     * @return false when there is nothing to lapse: unknown, already ended, still stalled, or settled by a payout
     */
    public boolean lapseHold(TransferId fundingTransferId) {
        Objects.requireNonNull(fundingTransferId, "fundingTransferId");
        return locked(out -> {
            Funding funding = fundings.get(fundingTransferId);
            if (funding == null
                    || !(funding.state == FundingState.OPEN
                            || (funding.state == FundingState.FUNDED && !funding.settled))) {
                return false;
            }
            lapse(funding, "hold lapsed", out);
            return true;
        });
    }

    /**
     * Lets the sandbox act on the clock now: expires unpaid fundings past {@code fundBy}, lapses holds past {@code
     * maxHold} and expired signature requests, and delivers the notifications on this thread. Every other call does
     * the same first; a test that only moved the clock calls this.
     */
    public void tick() {
        locked(out -> null);
    }

    // ---------------------------------------------------------------- books

    /**
     * @param asset an asset
     * @return the total buyers paid into fundings
     */
    public long received(Asset asset) {
        synchronized (lock) {
            return booksOf(asset).received;
        }
    }

    /**
     * @param asset an asset
     * @return the total paid to rail addresses (releases, refunds and withdrawals)
     */
    public long paidOut(Asset asset) {
        synchronized (lock) {
            return booksOf(asset).paidOut;
        }
    }

    /**
     * @param address a rail address
     * @param asset an asset
     * @return the total paid to that address in that asset
     */
    public long paidTo(String address, Asset asset) {
        synchronized (lock) {
            return paidTo.getOrDefault(new Destination(address, asset), 0L);
        }
    }

    /**
     * @param asset an asset
     * @return the total returned to buyers by cancels, lapses and refunds to the funding source (refunds to a rail
     *     address count as paid out)
     */
    public long returnedToBuyers(Asset asset) {
        synchronized (lock) {
            return booksOf(asset).returned;
        }
    }

    /**
     * @param asset an asset
     * @return the platform's own account: platform fees and internal-balance payouts, less withdrawals and rail
     *     fees; negative when the platform owes the rail fees
     */
    public long platformBalance(Asset asset) {
        synchronized (lock) {
            return booksOf(asset).platform;
        }
    }

    /**
     * @param asset an asset
     * @return the total rail fees charged
     */
    public long railFees(Asset asset) {
        synchronized (lock) {
            return booksOf(asset).railFees;
        }
    }

    /**
     * @param fundingTransferId a funding
     * @return what the funding still holds; 0 when unknown or not funded
     */
    public long held(TransferId fundingTransferId) {
        synchronized (lock) {
            Funding funding = fundings.get(fundingTransferId);
            return funding == null ? 0 : funding.held;
        }
    }

    /**
     * @param asset an asset
     * @return what all fundings in that asset still hold
     */
    public long totalHeld(Asset asset) {
        synchronized (lock) {
            long total = 0;
            for (Funding funding : fundings.values()) {
                if (funding.request != null && funding.request.amount().asset().equals(asset)) {
                    total = Math.addExact(total, funding.held);
                }
            }
            return total;
        }
    }

    /**
     * @param fundingTransferId a funding
     * @return what the buyer paid into it and has not got back by a cancel or lapse
     */
    public long buyerNetPaid(TransferId fundingTransferId) {
        synchronized (lock) {
            Funding funding = fundings.get(fundingTransferId);
            return funding == null ? 0 : funding.paidIn - funding.returned;
        }
    }

    /**
     * The engine's exactly-once check: how many times money actually moved for a transfer id, counting a buyer's
     * payment into a funding and a payout (returns to the buyer are counted by {@link #returnedToBuyers}).
     *
     * @param transferId a transfer id
     * @return 0 or 1; never more
     */
    public int movements(TransferId transferId) {
        synchronized (lock) {
            return movements.getOrDefault(transferId, 0);
        }
    }

    /** @return every payout made, in order */
    public List<SandboxPayout> payouts() {
        synchronized (lock) {
            return List.copyOf(payoutLog);
        }
    }

    // ---------------------------------------------------------------- internals, all called under lock

    private <T> T locked(Function<List<RailNotification>, T> body) {
        List<RailNotification> out = new ArrayList<>();
        T result;
        synchronized (lock) {
            sweep(out);
            result = body.apply(out);
        }
        // outside the lock, so a listener may call back into the rail
        RailListener current = listener;
        if (current != null) {
            for (RailNotification notification : out) {
                current.onNotification(notification);
            }
        }
        return result;
    }

    private void notify(List<RailNotification> out, RailNotification notification) {
        if (notificationsToDrop > 0) {
            notificationsToDrop--;
            return;
        }
        out.add(notification);
        if (duplicateNotifications) {
            out.add(notification);
        }
    }

    private void sweep(List<RailNotification> out) {
        Instant now = now();
        for (Iterator<Funding> it = lapsable.iterator(); it.hasNext(); ) {
            Funding funding = it.next();
            if (funding.state == FundingState.OPEN && now.isAfter(funding.request.fundBy())) {
                it.remove();
                funding.end(
                        FundingState.EXPIRED, error(SandboxCodes.EXPIRED, "not paid by " + funding.request.fundBy()));
                notify(out, new RailNotification.FundingLapsed(funding.id, funding.error.toString()));
            } else if (funding.state == FundingState.FUNDED
                    && !funding.settled
                    && capabilities.maxHold() != null
                    && !now.isBefore(funding.fundedAt.plus(capabilities.maxHold()))) {
                it.remove();
                lapse(funding, "hold expired after " + capabilities.maxHold(), out);
            } else if (!funding.canLapse()) {
                it.remove();
            }
        }
        for (Iterator<Payout> it = awaitingSignature.iterator(); it.hasNext(); ) {
            Payout payout = it.next();
            if (now.isAfter(payout.instruction.expiresAt())) {
                it.remove();
                payout.fail(error(SandboxCodes.SIGNATURE_EXPIRED, "not signed by " + payout.instruction.expiresAt()));
                notify(out, new RailNotification.PayoutFailed(payout.request.transferId(), payout.error));
            }
        }
    }

    private void open(Funding funding, List<RailNotification> out) {
        FundingRequest request = funding.request;
        Money amount = request.amount();
        AssetLimits limits = capabilities.limits(amount.asset()).orElse(null);
        if (limits == null) {
            funding.fail(error(SandboxCodes.UNSUPPORTED_ASSET, amount.asset() + " is not offered"));
        } else if (!limits.accepts(amount)) {
            funding.fail(error(
                    SandboxCodes.AMOUNT_OUT_OF_LIMITS,
                    amount + " is outside " + limits.minMinor() + ".." + limits.maxMinor()));
        } else if (!request.fundBy().isAfter(now())) {
            funding.fail(error(SandboxCodes.FUND_BY_PASSED, "fundBy " + request.fundBy() + " has passed"));
        } else {
            funding.state = FundingState.OPEN;
            funding.instruction = new PartyInstruction.SendPayment(
                    Role.BUYER, ESCROW_ADDRESS, funding.id.value(), amount, request.fundBy());
            lapsable.add(funding);
            if (autoFund) {
                credit(funding, out);
            }
        }
    }

    private void credit(Funding funding, List<RailNotification> out) {
        long amount = funding.request.amount().minor();
        funding.state = FundingState.FUNDED;
        funding.held = amount;
        funding.paidIn = amount;
        funding.fundedAt = now();
        Books b = booksOf(funding.request.amount().asset());
        b.received = Math.addExact(b.received, amount);
        moved(funding.id);
        notify(
                out,
                new RailNotification.Funded(
                        funding.id, funding.reference, funding.request.amount(), fundingCosts(funding)));
    }

    private RailResult cancel(Funding funding) {
        funding.cancelStalled = false;
        if (funding.state.ended()) {
            return RailResult.succeeded(funding.reference, null);
        }
        if (funding.settled) {
            return RailResult.failed(
                    error(SandboxCodes.ALREADY_SETTLED, "a payout drew on the funding; refund the rest by payout"));
        }
        returnToBuyer(funding);
        funding.end(FundingState.CANCELLED, error(SandboxCodes.CANCELLED, "cancelled"));
        return RailResult.succeeded(funding.reference, null);
    }

    private void lapse(Funding funding, String why, List<RailNotification> out) {
        returnToBuyer(funding);
        funding.end(FundingState.LAPSED, error(SandboxCodes.LAPSED, why));
        notify(out, new RailNotification.FundingLapsed(funding.id, funding.error.toString()));
    }

    private void returnToBuyer(Funding funding) {
        if (funding.held == 0) {
            return;
        }
        Books b = booksOf(funding.request.amount().asset());
        b.returned = Math.addExact(b.returned, funding.held);
        funding.returned = Math.addExact(funding.returned, funding.held);
        funding.held = 0;
    }

    private void complete(Stalled s, List<RailNotification> out) {
        switch (s.kind()) {
            case OPEN -> {
                Funding funding = fundings.get(s.transferId());
                if (funding.state == FundingState.STALLED) {
                    open(funding, out);
                    if (funding.state == FundingState.FAILED) {
                        notify(out, new RailNotification.FundingLapsed(funding.id, funding.error.toString()));
                    }
                }
            }
            case CANCEL -> {
                Funding funding = fundings.get(s.transferId());
                if (funding.cancelStalled) {
                    cancel(funding);
                }
            }
            case PAYOUT -> {
                Payout payout = payouts.get(s.transferId());
                if (payout.state == PayoutState.STALLED) {
                    perform(payout, out, true);
                }
            }
        }
    }

    private void perform(Payout payout, List<RailNotification> out, boolean notifyOutcome) {
        PayoutRequest request = payout.request;
        RailError refused = check(request);
        if (refused != null) {
            payout.fail(refused);
            if (notifyOutcome) {
                notify(out, new RailNotification.PayoutFailed(request.transferId(), refused));
            }
            return;
        }
        if (capabilities.partySignatures() && request.kind() != PayoutKind.WITHDRAWAL) {
            // the party giving up its claim co-signs; the platform's own signature is implied
            Role signer = request.kind() == PayoutKind.RELEASE ? Role.BUYER : Role.SELLER;
            payout.state = PayoutState.AWAITING_SIGNATURE;
            payout.instruction = new PartyInstruction.SignTransaction(
                    signer,
                    TRANSACTION_FORMAT,
                    TRANSACTION_FORMAT + ":" + payout.reference + ":" + request.kind() + ":" + request.drawn(),
                    NETWORK,
                    now().plus(SIGNATURE_WINDOW));
            awaitingSignature.add(payout);
            return;
        }
        move(payout);
        if (notifyOutcome) {
            notify(
                    out,
                    new RailNotification.PayoutSucceeded(
                            request.transferId(), payout.reference, payout.railFee, payoutCosts(payout)));
        }
    }

    /** @return why the payout cannot be made now, or null when it can */
    private RailError check(PayoutRequest request) {
        Money amount = request.amount();
        Money platformFee = request.platformFee();
        Asset asset = amount.asset();
        if (!platformFee.asset().equals(asset)) {
            return error(
                    SandboxCodes.ASSET_MISMATCH, "amount in " + asset + ", platform fee in " + platformFee.asset());
        }
        if (!amount.isPositive() || platformFee.isNegative()) {
            return error(SandboxCodes.INVALID_AMOUNT, "amount " + amount + ", platform fee " + platformFee);
        }
        long drawn;
        try {
            drawn = Math.addExact(amount.minor(), platformFee.minor());
        } catch (ArithmeticException e) {
            return error(SandboxCodes.INVALID_AMOUNT, "amount plus platform fee overflows");
        }
        if (request.kind() == PayoutKind.WITHDRAWAL) {
            if (!(request.destination() instanceof PayoutDestination.RailAddress)) {
                return error(SandboxCodes.INVALID_DESTINATION, "a withdrawal must leave the platform's account");
            }
            if (capabilities.limits(asset).isEmpty()) {
                return error(SandboxCodes.UNSUPPORTED_ASSET, asset + " is not offered");
            }
            long available = booksOf(asset).platform;
            return drawn > available
                    ? error(SandboxCodes.INSUFFICIENT_FUNDS, "platform holds " + available + ", drawing " + drawn)
                    : null;
        }
        if (request.destination() instanceof PayoutDestination.FundingSource && request.kind() != PayoutKind.REFUND) {
            return error(SandboxCodes.INVALID_DESTINATION, "only a refund goes back to the funding source");
        }
        Funding funding = request.fundingTransferId() == null ? null : fundings.get(request.fundingTransferId());
        if (funding == null || funding.state != FundingState.FUNDED || funding.cancelStalled) {
            return error(
                    SandboxCodes.NOT_FUNDED,
                    "funding " + request.fundingTransferId() + " holds nothing"
                            + (funding == null ? "" : " (" + funding.state + ")"));
        }
        if (!funding.request.amount().asset().equals(asset)) {
            return error(
                    SandboxCodes.ASSET_MISMATCH,
                    "funding in " + funding.request.amount().asset());
        }
        if (drawn > funding.held) {
            return error(SandboxCodes.INSUFFICIENT_FUNDS, "funding holds " + funding.held + ", drawing " + drawn);
        }
        if (!capabilities.partialRelease() && drawn != funding.held) {
            return error(SandboxCodes.PARTIAL_RELEASE_UNSUPPORTED, "must draw all " + funding.held + " at once");
        }
        if (request.kind() == PayoutKind.REFUND && funding.settled && !capabilities.refundAfterSettlement()) {
            return error(SandboxCodes.REFUND_AFTER_SETTLEMENT_UNSUPPORTED, "the funding is settled");
        }
        return null;
    }

    /** Moves the money of a checked payout. */
    private void move(Payout payout) {
        PayoutRequest request = payout.request;
        Asset asset = request.amount().asset();
        Books b = booksOf(asset);
        long amount = request.amount().minor();
        long fee = request.platformFee().minor();
        if (request.kind() == PayoutKind.WITHDRAWAL) {
            b.platform = Math.subtractExact(b.platform, Math.addExact(amount, fee));
        } else {
            Funding funding = fundings.get(request.fundingTransferId());
            funding.held = Math.subtractExact(funding.held, Math.addExact(amount, fee));
            funding.settled = true;
            lapsable.remove(funding);
            if (request.lastFromFunding() && funding.floatReturnedBy == null) {
                funding.floatReturnedBy = request.transferId();
            }
        }
        b.platform = Math.addExact(b.platform, fee);
        Money railFee = Money.zero(asset);
        if (request.destination() instanceof PayoutDestination.RailAddress address) {
            b.paidOut = Math.addExact(b.paidOut, amount);
            paidTo.merge(new Destination(address.address(), asset), amount, Math::addExact);
            if (railFeeMinor > 0) {
                railFee = Money.of(railFeeMinor, asset);
                b.platform = Math.subtractExact(b.platform, railFeeMinor);
                b.railFees = Math.addExact(b.railFees, railFeeMinor);
            }
        } else if (request.destination() instanceof PayoutDestination.FundingSource) {
            // back to where the buyer paid from: the same books as a cancel, no rail fee
            Funding funding = fundings.get(request.fundingTransferId());
            b.returned = Math.addExact(b.returned, amount);
            funding.returned = Math.addExact(funding.returned, amount);
        } else {
            b.platform = Math.addExact(b.platform, amount);
        }
        payout.state = PayoutState.SUCCEEDED;
        payout.railFee = railFee.isZero() ? null : railFee;
        moved(request.transferId());
        payoutLog.add(new SandboxPayout(
                request.transferId(),
                request.kind(),
                request.fundingTransferId(),
                request.party(),
                request.amount(),
                request.platformFee(),
                request.destination(),
                railFee,
                payout.reference,
                now()));
    }

    private void moved(TransferId transferId) {
        int count = movements.merge(transferId, 1, Integer::sum);
        if (count > 1) {
            // unreachable unless this class is broken; fail loudly rather than let a test pass on a double payment
            throw new IllegalStateException("money moved twice for " + transferId);
        }
    }

    private RailResult fundingResult(Funding funding) {
        return switch (funding.state) {
            case STALLED -> RailResult.pending(funding.reference, null);
            case OPEN -> RailResult.pending(funding.reference, funding.cancelStalled ? null : funding.instruction);
            case FUNDED -> funding.cancelStalled
                    ? RailResult.pending(funding.reference, null)
                    : RailResult.succeeded(funding.reference, null).withCosts(fundingCosts(funding));
            case CANCELLED, EXPIRED, LAPSED, FAILED -> RailResult.failed(funding.error);
        };
    }

    /** With {@link Builder#reportFloat} on: a funded funding reports the reserve lent for it. */
    private List<RailCost> fundingCosts(Funding funding) {
        return floatReserve != null && funding.paidIn > 0 ? List.of(RailCost.reserveLent(floatReserve)) : List.of();
    }

    /** With {@link Builder#reportFloat} on: the payout that emptied its funding reports the reserve returned. */
    private List<RailCost> payoutCosts(Payout payout) {
        if (floatReserve == null || payout.request.kind() == PayoutKind.WITHDRAWAL) {
            return List.of();
        }
        Funding funding = fundings.get(payout.request.fundingTransferId());
        return funding != null && payout.request.transferId().equals(funding.floatReturnedBy)
                ? List.of(RailCost.reserveReturned(floatReserve))
                : List.of();
    }

    private RailResult payoutResult(Payout payout) {
        return switch (payout.state) {
            case STALLED -> RailResult.pending(payout.reference, null);
            case AWAITING_SIGNATURE -> RailResult.pending(payout.reference, payout.instruction);
            case SUCCEEDED -> RailResult.succeeded(payout.reference, payout.railFee)
                    .withCosts(payoutCosts(payout));
            case FAILED -> RailResult.failed(payout.error);
        };
    }

    private static RailResult conflict(TransferId transferId) {
        return RailResult.failed(
                error(SandboxCodes.TRANSFER_ID_CONFLICT, transferId + " was used for a different request"));
    }

    private static RailResult lostAnswer() {
        return RailResult.unknown(error(RailError.TIMEOUT, "the sandbox lost this answer on purpose"));
    }

    private static RailError injected(Fail fail) {
        return error(fail.code(), "injected by failNext");
    }

    private static RailError error(String code, String message) {
        return new RailError(code, message);
    }

    private String nextReference(String kind) {
        return "sbx-" + kind + "-" + (++sequence);
    }

    private Books booksOf(Asset asset) {
        return books.computeIfAbsent(Objects.requireNonNull(asset, "asset"), a -> new Books());
    }

    private Instant now() {
        return clock.instant();
    }

    // ---------------------------------------------------------------- state

    private enum FundingState {
        STALLED,
        OPEN,
        FUNDED,
        CANCELLED,
        EXPIRED,
        LAPSED,
        FAILED;

        /** Nothing is or will be held any more. */
        boolean ended() {
            return this == CANCELLED || this == EXPIRED || this == LAPSED || this == FAILED;
        }
    }

    /** Mutable; guarded by the rail's lock. */
    private static final class Funding {
        final TransferId id;
        final FundingRequest request; // null for the tombstone of a cancel that came first
        final String reference;
        FundingState state = FundingState.OPEN;
        PartyInstruction.SendPayment instruction;
        RailError error;
        long held;
        long paidIn;
        long returned;
        boolean settled;
        boolean cancelStalled;
        Instant fundedAt;
        TransferId floatReturnedBy; // the payout that returned the reserve, with reportFloat on

        Funding(TransferId id, FundingRequest request, String reference) {
            this.id = id;
            this.request = request;
            this.reference = reference;
        }

        void fail(RailError why) {
            end(FundingState.FAILED, why);
        }

        void end(FundingState ended, RailError why) {
            state = ended;
            error = why;
            cancelStalled = false;
        }

        boolean canLapse() {
            return state == FundingState.OPEN || (state == FundingState.FUNDED && !settled);
        }
    }

    private enum PayoutState {
        STALLED,
        AWAITING_SIGNATURE,
        SUCCEEDED,
        FAILED
    }

    /** Mutable; guarded by the rail's lock. */
    private static final class Payout {
        final PayoutRequest request;
        final String reference;
        PayoutState state = PayoutState.STALLED;
        RailError error;
        Money railFee;
        PartyInstruction.SignTransaction instruction;

        Payout(PayoutRequest request, String reference) {
            this.request = request;
            this.reference = reference;
        }

        void fail(RailError why) {
            state = PayoutState.FAILED;
            error = why;
        }
    }

    /** Mutable running totals of one asset; guarded by the rail's lock. */
    private static final class Books {
        long received;
        long paidOut;
        long returned;
        long platform;
        long railFees;
    }

    private sealed interface Steer permits Fail, Unknown, Stall {}

    private record Fail(String code) implements Steer {}

    private record Unknown() implements Steer {}

    private record Stall() implements Steer {}

    private enum StalledKind {
        OPEN,
        CANCEL,
        PAYOUT
    }

    private record Stalled(StalledKind kind, TransferId transferId) {}

    private record Destination(String address, Asset asset) {}

    // ---------------------------------------------------------------- builder

    /**
     * Configures a {@link SandboxRail}. Defaults: id {@code sandbox}; the system UTC clock; USD and EUR at scale 2
     * (1 to 10<sup>14</sup> cents), BTC in millisatoshi at scale 11 (up to 21 million BTC) and XLM in stroops at
     * scale 7 (any positive int64); no maximum hold; partial release and refunds after settlement on; party
     * signatures off; custodial; no rail fee; auto-funding off.
     *
     * <p>Not thread-safe; the rail it builds is.
     */
    public static final class Builder {
        private RailId id = RailId.of("sandbox");
        private Clock clock = Clock.systemUTC();
        private List<AssetLimits> assets = List.of(
                new AssetLimits(Asset.USD, 1, 100_000_000_000_000L),
                new AssetLimits(Asset.EUR, 1, 100_000_000_000_000L),
                new AssetLimits(Asset.BTC_MSAT, 1, 2_100_000_000_000_000_000L),
                new AssetLimits(Asset.XLM, 1, Long.MAX_VALUE));
        private Duration maxHold;
        private boolean partialRelease = true;
        private boolean refundAfterSettlement = true;
        private boolean partySignatures;
        private boolean custodial = true;
        private long railFeeMinor;
        private boolean autoFund;
        private Money floatReserve;

        private Builder() {}

        /**
         * Makes the rail report, as {@link RailCost}s, a reserve of the platform's own money lent for every funding:
         * {@link RailCost.Kind#RESERVE_LENT} with a funding's success, {@link RailCost.Kind#RESERVE_RETURNED} with
         * the success of the payout marked {@link PayoutRequest#lastFromFunding()} (as the Stellar rail does with an escrow
         * account's base reserve). A funding that ends without such a payout (cancelled, lapsed) keeps its reserve
         * lent in the sandbox's report. Off by default; moves no money in the sandbox's books.
         *
         * @param reserve the reserve per funding, positive, in any asset, or {@code null} for off
         * @return this builder
         * @since 0.4
         */
        public Builder reportFloat(Money reserve) {
            if (reserve != null && !reserve.isPositive()) {
                throw new IllegalArgumentException("reserve must be positive: " + reserve);
            }
            this.floatReserve = reserve;
            return this;
        }

        /**
         * @param id the rail's name
         * @return this builder
         */
        public Builder id(RailId id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * @param clock the clock for {@code fundBy}, hold lapses and timestamps; a {@code TestClock} in tests
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param assets the assets offered, replacing the defaults; at least one, each asset once
         * @return this builder
         */
        public Builder assets(AssetLimits... assets) {
            List<AssetLimits> list = List.of(assets);
            if (list.isEmpty()
                    || list.stream().map(AssetLimits::asset).distinct().count() != list.size()) {
                throw new IllegalArgumentException("offer at least one asset, each once: " + list);
            }
            this.assets = list;
            return this;
        }

        /**
         * @param maxHold how long after funding a hold lapses by itself, or {@code null} for never
         * @return this builder
         */
        public Builder maxHold(Duration maxHold) {
            if (maxHold != null && (maxHold.isZero() || maxHold.isNegative())) {
                throw new IllegalArgumentException("maxHold must be positive: " + maxHold);
            }
            this.maxHold = maxHold;
            return this;
        }

        /**
         * @param on whether one funding may be paid out in several parts
         * @return this builder
         */
        public Builder partialRelease(boolean on) {
            this.partialRelease = on;
            return this;
        }

        /**
         * @param on whether a refund may draw on a funding a payout already settled
         * @return this builder
         */
        public Builder refundAfterSettlement(boolean on) {
            this.refundAfterSettlement = on;
            return this;
        }

        /**
         * @param on whether releases and refunds wait for a party's signature
         * @return this builder
         */
        public Builder partySignatures(boolean on) {
            this.partySignatures = on;
            return this;
        }

        /**
         * @param on what {@link RailCapabilities#custodial()} declares; changes no behaviour
         * @return this builder
         */
        public Builder custodial(boolean on) {
            this.custodial = on;
            return this;
        }

        /**
         * @param railFeeMinor flat fee, in the payout asset's minor units, for each payout to a rail address; 0 or
         *     more
         * @return this builder
         */
        public Builder railFeeMinor(long railFeeMinor) {
            if (railFeeMinor < 0) {
                throw new IllegalArgumentException("railFeeMinor must not be negative: " + railFeeMinor);
            }
            this.railFeeMinor = railFeeMinor;
            return this;
        }

        /**
         * @param on whether fundings are paid by the buyer as soon as they are opened (see {@link
         *     SandboxRail#autoFund(boolean)})
         * @return this builder
         */
        public Builder autoFund(boolean on) {
            this.autoFund = on;
            return this;
        }

        /** @return a new rail with no history */
        public SandboxRail build() {
            return new SandboxRail(this);
        }
    }
}
