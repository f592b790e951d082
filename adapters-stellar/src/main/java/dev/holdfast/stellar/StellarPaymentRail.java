package dev.holdfast.stellar;

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
import dev.holdfast.stellar.StellarTransferLog.Entry;
import dev.holdfast.stellar.StellarTransferLog.Kind;
import dev.holdfast.stellar.StellarTransferLog.Stage;
import dev.holdfast.stellar.internal.EscrowTransactions;
import dev.holdfast.stellar.internal.Horizon;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.stellar.sdk.AbstractTransaction;
import org.stellar.sdk.AssetTypeNative;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.requests.EventListener;
import org.stellar.sdk.requests.SSEStream;
import org.stellar.sdk.responses.AccountResponse;
import org.stellar.sdk.responses.TransactionResponse;
import org.stellar.sdk.xdr.DecoratedSignature;

/**
 * The Stellar payment rail: a fresh multisig escrow account per funding, payouts the parties sign.
 *
 * <p><b>Lifecycle of a funding.</b> {@link #openFunding} has the platform create the escrow account (reserve and fee
 * buffer lent by the platform; a trustline for an issued asset) and answers PENDING with a {@link
 * PartyInstruction.SignTransaction} for the buyer: one transaction, valid until {@code fundBy}, that locks the account
 * (signers buyer, seller, platform of weight 1, master weight 0, thresholds 2/2/2, pre-auth-tx signers for the
 * recovery and the cancel) and pays the amount into it, atomically. The buyer signs and submits it from the wallet
 * (or hands it back through {@link #submitPartyResponse}). The rail sees it applied through Horizon's transaction
 * stream (polling while the stream is down, and on {@link #query}) and notifies {@link RailNotification.Funded}.
 *
 * <p><b>Payouts</b> are transactions from the escrow account that the platform signs and one other party co-signs:
 * the buyer for a release, the seller for a refund. Each consumes the escrow's next sequence number, which the standing
 * recovery and cancel share, so at most one of them applies; a partial payout re-arms recovery and cancel for what
 * remains. The last payout merges the account, returning the reserve to the platform.
 *
 * <p><b>Recovery.</b> If the platform disappears, the buyer submits the pre-authorised recovery after {@code
 * holdUntil}; no signature is needed.
 *
 * <p>Idempotent on transfer ids through the {@link StellarTransferLog}; submissions whose answer was lost answer
 * UNKNOWN and are resolved by {@link #query} looking the transaction hash up (and resubmitting the same envelope,
 * which can apply at most once). Never logs or shows the platform's key. Thread-safe; {@link #close()} stops the
 * stream and the rail's threads.
 *
 * @since 0.1
 */
public final class StellarPaymentRail implements PaymentRail, AutoCloseable {
    private static final String FORMAT = "stellar-xdr";

    private final StellarRailConfig config;
    private final StellarAccountDirectory directory;
    private final StellarTransferLog log;
    private final Clock clock;
    private final Network network;
    private final KeyPair platform;
    private final Horizon horizon;
    private final RailCapabilities capabilities;
    private final ExecutorService submitter = Executors.newCachedThreadPool(daemon("stellar-submit"));
    private final ScheduledExecutorService watcher =
            Executors.newSingleThreadScheduledExecutor(daemon("stellar-watch"));
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<TransferId, Future<Horizon.Submitted>> inFlight = new ConcurrentHashMap<>();
    private volatile RailListener listener = n -> {};
    private final Map<TransferId, SSEStream<TransactionResponse>> streams = new ConcurrentHashMap<>();
    private final Set<TransferId> downStreams = ConcurrentHashMap.newKeySet();

    /**
     * Starts the rail: a transaction stream per escrow account that waits for its buyer (those in the log too), and
     * the polling fallback.
     *
     * @param config the configuration
     * @param directory the parties' Stellar accounts
     * @param log the rail's transfer log
     * @param clock the clock deadlines are read from (the ledger's close time decides validity)
     */
    public StellarPaymentRail(
            StellarRailConfig config, StellarAccountDirectory directory, StellarTransferLog log, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.network = new Network(config.networkPassphrase());
        this.platform = KeyPair.fromSecretSeed(config.platformSecretSeed());
        this.horizon = new Horizon(config.horizonUrl(), config.httpTimeout());
        List<AssetLimits> assets = new ArrayList<>();
        assets.add(new AssetLimits(Asset.XLM, config.minMinor(), config.maxMinor()));
        config.issuedAssets().keySet().stream()
                .sorted((a, b) -> a.code().compareTo(b.code()))
                .forEach(a -> assets.add(new AssetLimits(a, config.minMinor(), config.maxMinor())));
        // No native hold limit: deadlines are enforced by time bounds, not by the network letting go.
        this.capabilities = new RailCapabilities(assets, null, true, true, true, false);
        for (Entry e : log.all()) {
            if (e.kind() == Kind.FUNDING && e.stage() == Stage.AWAITING_BUYER) {
                watch(e);
            }
        }
        long poll = config.pollInterval().toMillis();
        watcher.scheduleWithFixedDelay(this::pollWhileStreamDown, poll, poll, TimeUnit.MILLISECONDS);
    }

    /**
     * The buyer's way out: the pre-authorised recovery of a funded escrow as it stands now (after a partial payout it
     * recovers what remains). It needs no signature and is valid from the funding's {@code holdUntil}; the host hands
     * it to the buyer (and again after each partial payout) so the buyer can submit it to any Horizon if the platform
     * is gone. A payout applied before it makes it {@code tx_bad_seq}, and it makes pending payouts {@code tx_bad_seq}.
     *
     * @param fundingTransferId a funding
     * @return the recovery envelope (base64 XDR), when the funding is held
     */
    public Optional<String> recoveryEnvelope(TransferId fundingTransferId) {
        return log.find(fundingTransferId)
                .filter(e -> e.kind() == Kind.FUNDING && e.stage() == Stage.FUNDED)
                .map(e -> txs(e.amount().asset())
                        .recovery(
                                e.escrowAccount(),
                                e.escrowSeq(),
                                e.buyerAccount(),
                                e.heldMinor(),
                                e.holdUntil().getEpochSecond())
                        .toEnvelopeXdrBase64());
    }

    /** @return the platform's G... account id (never its key) */
    public String platformAccountId() {
        return platform.getAccountId();
    }

    @Override
    public RailId id() {
        return config.railId();
    }

    @Override
    public RailCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void setListener(RailListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    // ================================================================================================== funding

    @Override
    public RailResult openFunding(FundingRequest request) {
        Objects.requireNonNull(request, "request");
        String fingerprint = request.toString();
        synchronized (lock(request.transferId())) {
            Optional<Entry> existing = log.find(request.transferId());
            if (existing.isPresent()) {
                Entry e = existing.get();
                if (!e.fingerprint().equals(fingerprint)) {
                    return RailResult.failed(new RailError("TRANSFER_ID_CONFLICT", "another request used this id"));
                }
                return queryFunding(e);
            }
            Money amount = request.amount();
            Optional<AssetLimits> limits = capabilities.limits(amount.asset());
            RailError refused = null;
            if (limits.isEmpty()) {
                refused = new RailError("UNSUPPORTED_ASSET", amount.asset() + " is not configured");
            } else if (!limits.get().accepts(amount)) {
                refused = new RailError("AMOUNT_OUT_OF_LIMITS", amount + " outside " + limits.get());
            }
            Optional<String> buyer = directory.accountOf(request.buyer());
            Optional<String> seller = directory.accountOf(request.seller());
            if (refused == null && (buyer.isEmpty() || seller.isEmpty())) {
                refused = new RailError("UNKNOWN_PARTY_ACCOUNT", "no Stellar account for the buyer or the seller");
            }
            KeyPair escrow =
                    EscrowTransactions.escrowKey(platform, request.transferId().value());
            Entry.Builder b = Entry.builder();
            b.transferId = request.transferId();
            b.kind = Kind.FUNDING;
            b.fingerprint = fingerprint;
            b.amount = amount;
            b.escrowAccount = escrow.getAccountId();
            b.buyerAccount = buyer.orElse(null);
            b.sellerAccount = seller.orElse(null);
            b.fundBy = request.fundBy();
            b.holdUntil = request.holdUntil();
            b.heldMinor = 0;
            if (refused != null) {
                b.stage = Stage.CLOSED;
                b.error = refused;
                log.insertIfAbsent(b.build());
                return RailResult.failed(refused);
            }
            b.stage = Stage.CREATING;
            Entry entry = b.build();
            log.insertIfAbsent(entry);
            return create(entry);
        }
    }

    private RailResult create(Entry entry) {
        EscrowTransactions txs = txs(entry.amount().asset());
        KeyPair escrow =
                EscrowTransactions.escrowKey(platform, entry.transferId().value());
        try {
            Optional<AccountResponse> account = horizon.account(entry.escrowAccount());
            if (account.isEmpty()) {
                if (!now().isBefore(entry.fundBy())) {
                    return closeFunding(entry, new RailError("FUNDING_EXPIRED", "fundBy passed"));
                }
                RailResult refused = createAccount(entry, txs, escrow);
                if (refused != null) {
                    return refused;
                }
                account = horizon.account(entry.escrowAccount());
            }
            // createAccount logged the creation fee Horizon charged; after a restart the fee is not known any more
            // and the base fee of its one operation is assumed
            Entry created = log.find(entry.transferId()).orElse(entry);
            long createFee = created.feeStroops() > 0 ? created.feeStroops() : EscrowTransactions.BASE_FEE;
            long seq = account.orElseThrow().getSequenceNumber();
            Transaction funding = txs.funding(
                    escrow,
                    seq,
                    entry.buyerAccount(),
                    entry.sellerAccount(),
                    entry.amount().minor(),
                    entry.holdUntil().getEpochSecond(),
                    entry.fundBy().getEpochSecond());
            Entry awaiting = created.with(b -> {
                b.stage = Stage.AWAITING_BUYER;
                b.feeStroops = createFee;
                b.escrowSeq = seq;
                b.txXdr = funding.toEnvelopeXdrBase64();
                b.txHash = funding.hashHex();
                b.signer = Role.BUYER;
                b.expiresAt = entry.fundBy();
                return b;
            });
            log.update(awaiting);
            watch(awaiting);
            return fundingInstruction(awaiting);
        } catch (Horizon.Unavailable e) {
            return RailResult.unknown(new RailError(RailError.TIMEOUT, e.getMessage()));
        }
    }

    /**
     * Creates the escrow account from the platform's account. Every platform-sourced transaction takes the platform
     * lock, and a stale sequence number (another platform transaction got in first) is retried with a fresh one.
     *
     * @return null when created, else the funding's FAILED outcome
     */
    private RailResult createAccount(Entry entry, EscrowTransactions txs, KeyPair escrow) {
        synchronized (lock("platform")) {
            Horizon.Submitted s = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                Optional<AccountResponse> platformAccount = horizon.account(platform.getAccountId());
                if (platformAccount.isEmpty()) {
                    return closeFunding(entry, new RailError("PLATFORM_ACCOUNT_MISSING", platform.getAccountId()));
                }
                Transaction create = txs.create(
                        platformAccount.get().getSequenceNumber(),
                        escrow,
                        txs.minimumBalance() + config.feeBufferStroops(),
                        entry.fundBy().getEpochSecond());
                s = horizon.submit(create.toEnvelopeXdrBase64(), create.hashHex());
                if (s.applied()) {
                    long fee = s.feeCharged() > 0 ? s.feeCharged() : EscrowTransactions.BASE_FEE;
                    log.update(entry.with(b -> {
                        b.feeStroops = fee;
                        return b;
                    }));
                    return null;
                }
                if (!"tx_bad_seq".equals(s.txCode())) {
                    break;
                }
            }
            return closeFunding(entry, new RailError(s.code(), "creating the escrow account: " + s));
        }
    }

    private RailResult fundingInstruction(Entry e) {
        return RailResult.pending(
                e.escrowAccount(),
                new PartyInstruction.SignTransaction(
                        Role.BUYER, FORMAT, e.txXdr(), config.networkPassphrase(), e.fundBy()));
    }

    private RailResult closeFunding(Entry entry, RailError why) {
        return closeFunding(entry, why, 0);
    }

    /**
     * @param closeFee the fee of the transaction that merged the unfunded escrow account, in stroops; 0 when this
     *     rail did not merge it
     */
    private RailResult closeFunding(Entry entry, RailError why, long closeFee) {
        Entry closed = entry.with(b -> {
            b.stage = Stage.CLOSED;
            b.error = why;
            if (closeFee > 0) {
                b.closeFeeStroops = closeFee;
            }
            return b;
        });
        log.update(closed);
        unwatch(entry.transferId());
        return RailResult.failed(why).withCosts(closedUnfundedCosts(closed));
    }

    /**
     * An unfunded funding whose escrow account this rail created and merged back (cancelled, or {@code fundBy}
     * passed) reports with its FAILED outcome the whole loan, lent and returned, and the fees of creating and merging
     * the account (RC-13). A funded escrow reports the loan with its success and the return with the merging payout
     * or cancel.
     */
    private List<RailCost> closedUnfundedCosts(Entry e) {
        if (e.funded() || e.closeFeeStroops() <= 0) {
            return List.of();
        }
        Money lent = Money.of(lent(e), Asset.XLM);
        return List.of(
                RailCost.reserveLent(lent),
                RailCost.reserveReturned(lent),
                RailCost.networkFee(Money.of(e.feeStroops() + e.closeFeeStroops(), Asset.XLM)));
    }

    /** A funded escrow merged by the cancel: the loan came back, less the cancel's fee (RC-13). */
    private List<RailCost> cancelCosts(Entry e) {
        if (!e.funded() || e.closeFeeStroops() <= 0) {
            return List.of();
        }
        return List.of(
                RailCost.reserveReturned(Money.of(lent(e), Asset.XLM)),
                RailCost.networkFee(Money.of(e.closeFeeStroops(), Asset.XLM)));
    }

    private RailResult queryFunding(Entry e) {
        return switch (e.stage()) {
            case CREATING -> create(e);
            case AWAITING_BUYER -> checkFunded(e);
            case FUNDED -> checkStillHeld(e);
            case CANCELLING -> {
                // Finish the cancel whose answer was lost, then tell the funding's state, not the cancel's.
                RailResult cancel = cancelFunded(e);
                Entry now = log.find(e.transferId()).orElseThrow();
                yield now.stage() == Stage.CLOSED
                        ? RailResult.failed(now.error())
                        : now.stage() == Stage.FUNDED ? fundedResult(now) : cancel;
            }
            case CLOSED -> RailResult.failed(e.error()).withCosts(closedUnfundedCosts(e));
            default -> throw new IllegalStateException("not a funding stage: " + e.stage());
        };
    }

    /**
     * A held funding can end without this rail: the buyer's recovery after holdUntil merges the account. Query must
     * not keep saying SUCCEEDED then (RC-3), so it checks the account is still there, after settling any payout
     * whose answer is pending (a payout of ours may have merged it).
     */
    private RailResult checkStillHeld(Entry e) {
        try {
            if (horizon.account(e.escrowAccount()).isPresent()) {
                return fundedResult(e);
            }
            for (Entry p : log.all()) {
                if (p.kind() == Kind.PAYOUT
                        && e.transferId().equals(p.fundingTransferId())
                        && p.stage() == Stage.SUBMITTED) {
                    resolveSubmitted(p);
                }
            }
            Entry now = log.find(e.transferId()).orElseThrow();
            if (now.stage() != Stage.FUNDED) {
                return queryFunding(now);
            }
            RailError why =
                    new RailError("ESCROW_CLOSED", "the escrow account was closed outside this rail (recovered)");
            closeFunding(now, why);
            listener.onNotification(new RailNotification.FundingLapsed(e.transferId(), why.message()));
            return RailResult.failed(why);
        } catch (Horizon.Unavailable ex) {
            return fundedResult(e);
        }
    }

    /** A held funding's answer, with what the platform spent on the escrow account (RC-13). */
    private RailResult fundedResult(Entry e) {
        return RailResult.succeeded(e.escrowAccount(), null).withCosts(fundingCosts(e));
    }

    /**
     * The platform lent the escrow account its reserve and fee buffer, and paid the fees of the transaction creating
     * it and of the buyer's funding transaction (sourced at the escrow account, so paid out of the buffer), as Horizon
     * charged them: reported, in XLM, with the funding's success, whatever the escrow's asset.
     */
    private List<RailCost> fundingCosts(Entry funding) {
        return List.of(
                RailCost.reserveLent(Money.of(lent(funding), Asset.XLM)),
                RailCost.networkFee(Money.of(funding.feeStroops(), Asset.XLM)));
    }

    /** What the platform lends an escrow account at creation: the minimum balance and the fee buffer, in stroops. */
    private long lent(Entry funding) {
        return txs(funding.amount().asset()).minimumBalance() + config.feeBufferStroops();
    }

    /** Looks the buyer's funding transaction up; past fundBy, closes the unfunded account. */
    private RailResult checkFunded(Entry e) {
        try {
            Optional<Horizon.Found> found = horizon.transaction(e.txHash());
            if (found.isPresent() && found.get().successful()) {
                return markFunded(e, found.get().feeCharged());
            }
            if (now().isAfter(e.fundBy())) {
                return closeUnfunded(e, new RailError("FUNDING_EXPIRED", "not paid by " + e.fundBy()));
            }
            return fundingInstruction(e);
        } catch (Horizon.Unavailable ex) {
            return fundingInstruction(e);
        }
    }

    /** @param fundingFee the fee Horizon charged the escrow account for the buyer's funding transaction */
    private RailResult markFunded(Entry e, long fundingFee) {
        Entry funded = e.with(b -> {
            b.stage = Stage.FUNDED;
            b.escrowSeq = e.escrowSeq() + 1;
            b.heldMinor = e.amount().minor();
            b.funded = true;
            b.feeStroops = e.feeStroops() + fundingFee;
            return b;
        });
        log.update(funded);
        unwatch(e.transferId());
        listener.onNotification(
                new RailNotification.Funded(e.transferId(), e.escrowAccount(), e.amount(), fundingCosts(funded)));
        return fundedResult(funded);
    }

    /** Closes an account the buyer never funded: its sequence number moves on, so the funding transaction is dead. */
    private RailResult closeUnfunded(Entry e, RailError why) {
        EscrowTransactions txs = txs(e.amount().asset());
        Transaction close = txs.closeUnfunded(
                EscrowTransactions.escrowKey(platform, e.transferId().value()),
                e.escrowSeq(),
                now().plusSeconds(300).getEpochSecond());
        try {
            Horizon.Submitted s = horizon.submit(close.toEnvelopeXdrBase64(), close.hashHex());
            Optional<Horizon.Found> closed = s.applied()
                    ? Optional.of(new Horizon.Found(true, s.feeCharged()))
                    : horizon.transaction(close.hashHex());
            if (closed.isPresent()) {
                long fee = closed.get().feeCharged() > 0 ? closed.get().feeCharged() : EscrowTransactions.BASE_FEE;
                return closeFunding(e, why, fee);
            }
            // Refused: the buyer's funding won the race (tx_bad_seq, tx_bad_auth once locked); or the account is gone.
            Optional<Horizon.Found> funding = horizon.transaction(e.txHash());
            if (funding.isPresent() && funding.get().successful()) {
                return markFunded(e, funding.get().feeCharged());
            }
            if (horizon.account(e.escrowAccount()).isEmpty()) {
                return closeFunding(e, why);
            }
            return RailResult.unknown(new RailError(s.code(), "closing the unfunded escrow account: " + s));
        } catch (Horizon.Unavailable ex) {
            return RailResult.unknown(new RailError(RailError.TIMEOUT, ex.getMessage()));
        }
    }

    @Override
    public RailResult cancelFunding(TransferId fundingTransferId) {
        Objects.requireNonNull(fundingTransferId, "fundingTransferId");
        synchronized (lock(fundingTransferId)) {
            Optional<Entry> found = log.find(fundingTransferId);
            if (found.isEmpty() || found.get().kind() != Kind.FUNDING) {
                return RailResult.failed(new RailError(RailError.NOT_FOUND, "no funding " + fundingTransferId));
            }
            Entry e = found.get();
            return switch (e.stage()) {
                case CLOSED -> RailResult.succeeded(e.escrowAccount(), null).withCosts(cancelCosts(e));
                case CREATING -> {
                    RailResult created = create(e);
                    Entry now = log.find(fundingTransferId).orElseThrow();
                    yield now.stage() == Stage.AWAITING_BUYER
                            ? cancelUnfunded(now)
                            : created.status() == dev.holdfast.spi.RailStatus.FAILED
                                    ? RailResult.succeeded(now.escrowAccount(), null)
                                    : created;
                }
                case AWAITING_BUYER -> cancelUnfunded(e);
                case FUNDED, CANCELLING -> cancelFunded(e);
                default -> throw new IllegalStateException("not a funding stage: " + e.stage());
            };
        }
    }

    private RailResult cancelUnfunded(Entry e) {
        RailResult r = closeUnfunded(e, new RailError("CANCELLED", "cancelled before the buyer paid"));
        Entry now = log.find(e.transferId()).orElseThrow();
        return switch (now.stage()) {
            case CLOSED -> RailResult.succeeded(now.escrowAccount(), null);
            case FUNDED -> cancelFunded(now);
            default -> r;
        };
    }

    /** Submits the standing cancel: everything held back to the buyer, the reserve to the platform. */
    private RailResult cancelFunded(Entry e) {
        EscrowTransactions txs = txs(e.amount().asset());
        Transaction cancel =
                txs.signByPlatform(txs.cancel(e.escrowAccount(), e.escrowSeq(), e.buyerAccount(), e.heldMinor()));
        if (e.stage() != Stage.CANCELLING) {
            e = e.with(b -> b.stage(Stage.CANCELLING));
            log.update(e);
        }
        Entry cancelling = e;
        try {
            Horizon.Submitted s = horizon.submit(cancel.toEnvelopeXdrBase64(), cancel.hashHex());
            Optional<Horizon.Found> applied = s.applied()
                    ? Optional.of(new Horizon.Found(true, s.feeCharged()))
                    : horizon.transaction(cancel.hashHex());
            if (applied.isPresent() && applied.get().successful()) {
                long fee = applied.get().feeCharged() > 0
                        ? applied.get().feeCharged()
                        : EscrowTransactions.BASE_FEE * cancel.getOperations().length;
                Entry closed = cancelling.with(b -> {
                    b.stage = Stage.CLOSED;
                    b.heldMinor = 0;
                    b.error = new RailError("CANCELLED", "everything held went back to the buyer");
                    b.closeFeeStroops = fee;
                    return b;
                });
                log.update(closed);
                return RailResult.succeeded(cancelling.escrowAccount(), null).withCosts(cancelCosts(closed));
            }
            // The cancel's sequence number is taken (a payout applied meanwhile) or it is otherwise refused: the
            // funding stays as it was; what remains goes back by refund payout.
            log.update(cancelling.with(b -> b.stage(Stage.FUNDED)));
            return RailResult.failed(new RailError(s.code(), "cancel refused: " + s));
        } catch (Horizon.Unavailable ex) {
            return RailResult.unknown(new RailError(RailError.TIMEOUT, ex.getMessage()));
        }
    }

    // ================================================================================================== payouts

    @Override
    public RailResult payout(PayoutRequest request) {
        Objects.requireNonNull(request, "request");
        String fingerprint = request.toString();
        TransferId funding = request.fundingTransferId();
        Object guard = request.kind() == PayoutKind.WITHDRAWAL || funding == null ? lock("platform") : lock(funding);
        synchronized (guard) {
            Optional<Entry> existing = log.find(request.transferId());
            if (existing.isPresent()) {
                if (!existing.get().fingerprint().equals(fingerprint)) {
                    return RailResult.failed(new RailError("TRANSFER_ID_CONFLICT", "another request used this id"));
                }
                return queryPayout(existing.get());
            }
            Entry.Builder b = Entry.builder();
            b.transferId = request.transferId();
            b.kind = request.kind() == PayoutKind.WITHDRAWAL ? Kind.WITHDRAWAL : Kind.PAYOUT;
            b.fingerprint = fingerprint;
            b.amount = request.amount();
            b.platformFee = request.platformFee();
            b.fundingTransferId = funding;
            b.last = request.lastFromFunding();
            b.signer = request.kind() == PayoutKind.RELEASE
                    ? Role.BUYER
                    : request.kind() == PayoutKind.REFUND ? Role.SELLER : null;
            b.stage = Stage.PREPARING;
            RailError invalid = validate(request, b);
            if (invalid != null) {
                b.stage = Stage.FAILED;
                b.error = invalid;
                log.insertIfAbsent(b.build());
                return RailResult.failed(invalid);
            }
            Entry entry = b.build();
            log.insertIfAbsent(entry);
            return entry.kind() == Kind.WITHDRAWAL ? prepareWithdrawal(entry) : prepare(entry);
        }
    }

    private RailError validate(PayoutRequest r, Entry.Builder b) {
        if (r.amount() == null || r.platformFee() == null || r.destination() == null) {
            return new RailError("MALFORMED", "amount, platform fee and destination are required");
        }
        if (!r.amount().isPositive() || r.platformFee().isNegative()) {
            return new RailError("INVALID_AMOUNT", "amount must be positive and the fee not negative");
        }
        if (!r.amount().asset().equals(r.platformFee().asset())
                || capabilities.limits(r.amount().asset()).isEmpty()) {
            return new RailError("UNSUPPORTED_ASSET", r.amount().asset().toString());
        }
        if (r.kind() == PayoutKind.WITHDRAWAL) {
            if (!(r.destination() instanceof PayoutDestination.RailAddress a) || !validAccount(a.address())) {
                return new RailError("INVALID_DESTINATION", "a withdrawal goes to a G... account");
            }
            b.destinationAccount = ((PayoutDestination.RailAddress) r.destination()).address();
            return null;
        }
        Optional<Entry> funding = r.fundingTransferId() == null ? Optional.empty() : log.find(r.fundingTransferId());
        if (funding.isEmpty() || funding.get().kind() != Kind.FUNDING) {
            return new RailError("UNKNOWN_FUNDING", "no funding " + r.fundingTransferId());
        }
        Entry f = funding.get();
        b.escrowAccount = f.escrowAccount();
        if (!f.amount().asset().equals(r.amount().asset())) {
            return new RailError(
                    "ASSET_MISMATCH",
                    r.amount().asset() + " from a funding in " + f.amount().asset());
        }
        if (r.destination() instanceof PayoutDestination.RailAddress a) {
            if (!validAccount(a.address())) {
                return new RailError("INVALID_DESTINATION", "not a Stellar account: " + a.address());
            }
            b.destinationAccount = a.address();
        } else if (r.destination() instanceof PayoutDestination.InternalBalance) {
            b.destinationAccount = platform.getAccountId();
        } else {
            b.destinationAccount = f.buyerAccount();
        }
        return null;
    }

    private static boolean validAccount(String address) {
        try {
            return address.startsWith("G") && KeyPair.fromAccountId(address) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Prepares (or re-prepares, on a stale sequence number) a payout's transaction from the escrow's live state. */
    private RailResult prepare(Entry e) {
        Entry before = log.find(e.fundingTransferId()).orElseThrow();
        if (before.stage() == Stage.CREATING || before.stage() == Stage.AWAITING_BUYER) {
            RailResult state = queryFunding(before);
            if (log.find(e.fundingTransferId()).orElseThrow().stage() != Stage.FUNDED) {
                return fail(e, new RailError("NOT_FUNDED", "the buyer has not paid: " + state.status()));
            }
        }
        Entry f = log.find(e.fundingTransferId()).orElseThrow();
        if (f.stage() != Stage.FUNDED) {
            return fail(e, new RailError("FUNDING_CLOSED", "the funding holds nothing: " + f.stage()));
        }
        long seq;
        try {
            // The escrow's live sequence number: whatever applied last (ours, a recovery) decides what is valid.
            Optional<AccountResponse> account = horizon.account(f.escrowAccount());
            if (account.isEmpty()) {
                return fail(e, new RailError("FUNDING_CLOSED", "the escrow account is closed"));
            }
            seq = account.get().getSequenceNumber();
        } catch (Horizon.Unavailable ex) {
            return RailResult.unknown(new RailError(RailError.TIMEOUT, ex.getMessage()));
        }
        if (seq != f.escrowSeq()) {
            return fail(e, new RailError("FUNDING_CLOSED", "the escrow moved without this rail (recovered)"));
        }
        long drawn = e.amount().plus(e.platformFee()).minor();
        long reserved = reservedOn(f, e.transferId());
        if (drawn > f.heldMinor() - reserved) {
            return fail(e, new RailError("op_underfunded", "draws " + drawn + " of " + (f.heldMinor() - reserved)));
        }
        boolean close = e.last() && drawn == f.heldMinor() && reserved == 0;
        Instant expires = now().plus(config.signatureTtl());
        Transaction tx = txs(e.amount().asset())
                .payout(
                        f.escrowAccount(),
                        seq,
                        e.destinationAccount(),
                        e.amount().minor(),
                        e.platformFee().minor(),
                        f.buyerAccount(),
                        f.heldMinor(),
                        close,
                        f.holdUntil().getEpochSecond(),
                        expires.getEpochSecond());
        Entry prepared = e.with(b -> {
            b.stage = Stage.AWAITING_SIGNATURE;
            b.escrowSeq = seq;
            b.heldMinor = f.heldMinor();
            b.last = close;
            b.txXdr = tx.toEnvelopeXdrBase64();
            b.txHash = tx.hashHex();
            b.signedXdr = null;
            b.expiresAt = expires;
            return b;
        });
        log.update(prepared);
        return signInstruction(prepared, null);
    }

    /** What other payouts of the funding have claimed and not yet applied (applied ones are out of heldMinor). */
    private long reservedOn(Entry funding, TransferId except) {
        long sum = 0;
        for (Entry p : log.all()) {
            if (p.kind() == Kind.PAYOUT
                    && funding.transferId().equals(p.fundingTransferId())
                    && !p.transferId().equals(except)
                    && (p.stage() == Stage.AWAITING_SIGNATURE || p.stage() == Stage.SUBMITTED)) {
                sum += p.amount().plus(p.platformFee()).minor();
            }
        }
        return sum;
    }

    private RailResult signInstruction(Entry e, RailError error) {
        return new RailResult(
                dev.holdfast.spi.RailStatus.PENDING,
                e.txHash(),
                null,
                error,
                new PartyInstruction.SignTransaction(
                        e.signer(), FORMAT, e.txXdr(), config.networkPassphrase(), e.expiresAt()));
    }

    private RailResult fail(Entry e, RailError why) {
        log.update(e.with(b -> {
            b.stage = Stage.FAILED;
            b.error = why;
            return b;
        }));
        return RailResult.failed(why);
    }

    private RailResult prepareWithdrawal(Entry e) {
        try {
            Optional<AccountResponse> platformAccount = horizon.account(platform.getAccountId());
            if (platformAccount.isEmpty()) {
                return fail(e, new RailError("PLATFORM_ACCOUNT_MISSING", platform.getAccountId()));
            }
            AccountResponse account = platformAccount.get();
            Instant expires = now().plusSeconds(300);
            Transaction tx = txs(e.amount().asset())
                    .withdrawal(
                            account.getSequenceNumber(),
                            e.destinationAccount(),
                            e.amount().minor(),
                            expires.getEpochSecond());
            Entry prepared = e.with(b -> {
                b.stage = Stage.SUBMITTED;
                b.txXdr = tx.toEnvelopeXdrBase64();
                b.txHash = tx.hashHex();
                b.signedXdr = b.txXdr;
                b.expiresAt = expires;
                return b;
            });
            log.update(prepared);
            return submit(prepared);
        } catch (Horizon.Unavailable ex) {
            return RailResult.unknown(new RailError(RailError.TIMEOUT, ex.getMessage()));
        }
    }

    @Override
    public RailResult submitPartyResponse(TransferId transferId, Role party, String payload) {
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(party, "party");
        Objects.requireNonNull(payload, "payload");
        Optional<Entry> found = log.find(transferId);
        if (found.isEmpty()) {
            return RailResult.failed(new RailError(RailError.NOT_FOUND, "no transfer " + transferId));
        }
        Entry first = found.get();
        Object guard = first.kind() == Kind.PAYOUT
                ? lock(first.fundingTransferId())
                : first.kind() == Kind.FUNDING ? lock(transferId) : lock("platform");
        synchronized (guard) {
            Entry e = log.find(transferId).orElseThrow();
            if (e.kind() == Kind.FUNDING) {
                return fundingResponse(e, party, payload);
            }
            if (e.stage() != Stage.AWAITING_SIGNATURE) {
                return queryPayout(e);
            }
            if (party != e.signer()) {
                return signInstruction(e, new RailError("WRONG_PARTY", party + " was not asked to sign"));
            }
            Entry f = log.find(e.fundingTransferId()).orElseThrow();
            String account = party == Role.BUYER ? f.buyerAccount() : f.sellerAccount();
            Optional<DecoratedSignature> signature = signatureOf(e.txHash(), account, payload);
            if (signature.isEmpty()) {
                return signInstruction(
                        e, new RailError("BAD_SIGNATURE", "not the prepared transaction signed by " + party));
            }
            Transaction tx = parse(e.txXdr());
            tx.addSignature(signature.get());
            Entry submitted = e.with(b -> {
                b.stage = Stage.SUBMITTED;
                b.signedXdr = tx.toEnvelopeXdrBase64();
                return b;
            });
            log.update(submitted);
            return submit(submitted);
        }
    }

    private RailResult fundingResponse(Entry e, Role party, String payload) {
        if (e.stage() != Stage.AWAITING_BUYER || party != Role.BUYER) {
            return queryFunding(e);
        }
        Optional<DecoratedSignature> signature = signatureOf(e.txHash(), e.buyerAccount(), payload);
        if (signature.isEmpty()) {
            RailResult current = fundingInstruction(e);
            return new RailResult(
                    current.status(),
                    current.railReference(),
                    null,
                    new RailError("BAD_SIGNATURE", "not the funding transaction signed by the buyer"),
                    current.instruction());
        }
        Transaction tx = parse(e.txXdr());
        tx.addSignature(signature.get());
        try {
            horizon.submit(tx.toEnvelopeXdrBase64(), tx.hashHex());
        } catch (Horizon.Unavailable ex) {
            // the query below tells whether it made it
        }
        return checkFunded(e);
    }

    /** The party's signature in {@code payload}, when payload is the prepared transaction signed by that account. */
    private Optional<DecoratedSignature> signatureOf(String hashHex, String accountId, String payload) {
        try {
            AbstractTransaction signed = AbstractTransaction.fromEnvelopeXdr(payload, network);
            if (!(signed instanceof Transaction) || !signed.hashHex().equals(hashHex)) {
                return Optional.empty();
            }
            KeyPair party = KeyPair.fromAccountId(accountId);
            byte[] hash = signed.hash();
            return signed.getSignatures().stream()
                    .filter(s -> party.verify(hash, s.getSignature().getSignature()))
                    .findFirst();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Transaction parse(String xdr) {
        try {
            return (Transaction) AbstractTransaction.fromEnvelopeXdr(xdr, network);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the rail's own envelope does not decode", e);
        }
    }

    /**
     * Submits the entry's signed envelope and waits up to {@code submitWait}: a slower Horizon leaves it in flight
     * (PENDING), a lost answer leaves it UNKNOWN; both resolve by {@link #query}.
     */
    private RailResult submit(Entry e) {
        Future<Horizon.Submitted> future = inFlight.computeIfAbsent(
                e.transferId(), id -> submitter.submit(() -> horizon.submit(e.signedXdr(), e.txHash())));
        try {
            Horizon.Submitted s = future.get(config.submitWait().toMillis(), TimeUnit.MILLISECONDS);
            inFlight.remove(e.transferId(), future);
            return settle(e, s);
        } catch (TimeoutException ex) {
            return RailResult.pending(e.txHash(), null);
        } catch (ExecutionException ex) {
            inFlight.remove(e.transferId(), future);
            return RailResult.unknown(new RailError(RailError.TIMEOUT, String.valueOf(ex.getCause())));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return RailResult.unknown(new RailError(RailError.TIMEOUT, "interrupted"));
        }
    }

    /** Turns Horizon's answer to a submission into the transfer's outcome. */
    private RailResult settle(Entry e, Horizon.Submitted s) {
        if (s.applied()) {
            return succeed(e, s.feeCharged());
        }
        String code = s.code();
        if ("tx_bad_seq".equals(s.txCode()) || "tx_too_late".equals(s.txCode())) {
            // Either ours applied already (a resubmission), or another transaction took the sequence number or time
            // ran out: look the hash up before preparing it anew.
            try {
                Optional<Horizon.Found> found = horizon.transaction(e.txHash());
                if (found.isPresent()) {
                    return found.get().successful()
                            ? succeed(e, found.get().feeCharged())
                            : fail(e, new RailError("tx_failed", "applied and failed"));
                }
            } catch (Horizon.Unavailable ex) {
                return RailResult.unknown(new RailError(RailError.TIMEOUT, ex.getMessage()));
            }
            if (e.kind() == Kind.PAYOUT) {
                return prepare(e.with(b -> b.stage(Stage.PREPARING)));
            }
            if (e.kind() == Kind.WITHDRAWAL) {
                return prepareWithdrawal(e.with(b -> b.stage(Stage.PREPARING)));
            }
        }
        return fail(
                e,
                new RailError(
                        code, String.join(" ", s.opCodes()).isEmpty() ? s.txCode() : s.txCode() + " " + s.opCodes()));
    }

    private RailResult succeed(Entry e, long feeStroops) {
        Entry done = e.with(b -> {
            b.stage = Stage.SUCCEEDED;
            b.feeStroops = feeStroops;
            return b;
        });
        log.update(done);
        if (e.kind() == Kind.PAYOUT) {
            Entry f = log.find(e.fundingTransferId()).orElseThrow();
            long drawn = e.amount().plus(e.platformFee()).minor();
            log.update(f.with(b -> {
                b.escrowSeq = e.escrowSeq() + 1;
                b.heldMinor = f.heldMinor() - drawn;
                if (e.last()) {
                    b.stage = Stage.CLOSED;
                    b.error = new RailError("PAID_OUT", "the escrow account is merged");
                }
                return b;
            }));
        }
        return RailResult.succeeded(e.txHash(), fee(e, feeStroops)).withCosts(payoutCosts(e, feeStroops));
    }

    /**
     * A payout's platform costs (RC-13): the network fee when {@code railFee} cannot carry it (issued assets), and,
     * for the payout that merges the escrow account, the loan given back. The merge returns the reserve plus what the
     * escrow's own transactions left of the fee buffer; those fees are reported as network fees (or railFee), so the
     * whole loan counts as returned and the platform's float nets to zero per escrow.
     */
    private List<RailCost> payoutCosts(Entry e, long feeStroops) {
        List<RailCost> costs = new ArrayList<>();
        if (!e.amount().asset().equals(Asset.XLM) && feeStroops > 0) {
            costs.add(RailCost.networkFee(Money.of(feeStroops, Asset.XLM)));
        }
        if (e.kind() == Kind.PAYOUT && e.last()) {
            log.find(e.fundingTransferId())
                    .ifPresent(f -> costs.add(RailCost.reserveReturned(Money.of(lent(f), Asset.XLM))));
        }
        return costs;
    }

    /** The network fee as Money: in stroops for XLM; an issued asset cannot express it (it is in the log). */
    private static Money fee(Entry e, long feeStroops) {
        return e.amount().asset().equals(Asset.XLM) ? Money.of(feeStroops, Asset.XLM) : null;
    }

    private RailResult queryPayout(Entry e) {
        return switch (e.stage()) {
            case PREPARING -> e.kind() == Kind.WITHDRAWAL ? prepareWithdrawal(e) : prepare(e);
            case AWAITING_SIGNATURE -> signInstruction(e, null);
            case SUBMITTED -> resolveSubmitted(e);
            case SUCCEEDED -> RailResult.succeeded(e.txHash(), fee(e, e.feeStroops()))
                    .withCosts(payoutCosts(e, e.feeStroops()));
            case FAILED -> RailResult.failed(e.error());
            default -> throw new IllegalStateException("not a payout stage: " + e.stage());
        };
    }

    private RailResult resolveSubmitted(Entry e) {
        Future<Horizon.Submitted> running = inFlight.get(e.transferId());
        if (running != null) {
            if (!running.isDone()) {
                return RailResult.pending(e.txHash(), null);
            }
            inFlight.remove(e.transferId(), running);
            try {
                return settle(e, running.get());
            } catch (ExecutionException ex) {
                // lost: fall through to the lookup
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return RailResult.unknown(new RailError(RailError.TIMEOUT, "interrupted"));
            }
        }
        try {
            Optional<Horizon.Found> found = horizon.transaction(e.txHash());
            if (found.isPresent()) {
                return found.get().successful()
                        ? succeed(e, found.get().feeCharged())
                        : fail(e, new RailError("tx_failed", "applied and failed"));
            }
        } catch (Horizon.Unavailable ex) {
            return RailResult.unknown(new RailError(RailError.TIMEOUT, ex.getMessage()));
        }
        // Not on the ledger: the same envelope again can apply at most once (one hash, one sequence number).
        return submit(e);
    }

    @Override
    public RailResult query(TransferId transferId) {
        Objects.requireNonNull(transferId, "transferId");
        Optional<Entry> found = log.find(transferId);
        if (found.isEmpty()) {
            return RailResult.failed(new RailError(RailError.NOT_FOUND, "never saw " + transferId));
        }
        Entry first = found.get();
        Object guard = first.kind() == Kind.PAYOUT
                ? lock(first.fundingTransferId())
                : first.kind() == Kind.FUNDING ? lock(transferId) : lock("platform");
        synchronized (guard) {
            Entry e = log.find(transferId).orElseThrow();
            return e.kind() == Kind.FUNDING ? queryFunding(e) : queryPayout(e);
        }
    }

    // ================================================================================================== watching

    /**
     * Streams the escrow account's transactions. One stream per open funding, not Horizon's global firehose, and no
     * cursor: the account's short history replays first, so a funding applied before the stream connects is not
     * missed. After a clean close the SDK reconnects from its last cursor; after a failure the poller takes over.
     */
    private void watch(Entry e) {
        TransferId id = e.transferId();
        String fundingHash = e.txHash();
        streams.computeIfAbsent(id, k -> {
            try {
                return horizon.streams().transactions().forAccount(e.escrowAccount()).stream(new EventListener<>() {
                    @Override
                    public void onEvent(TransactionResponse tx) {
                        downStreams.remove(id);
                        if (Boolean.TRUE.equals(tx.isSuccessful()) && fundingHash.equals(tx.getHash())) {
                            watcher.execute(() -> noticeFunding(id));
                        }
                    }

                    @Override
                    public void onFailure(Optional<Throwable> error, Optional<Integer> status) {
                        downStreams.add(id);
                    }
                });
            } catch (RuntimeException ex) {
                downStreams.add(id);
                return null;
            }
        });
    }

    private void unwatch(TransferId id) {
        downStreams.remove(id);
        SSEStream<TransactionResponse> s = streams.remove(id);
        if (s != null) {
            s.close();
        }
    }

    /** Checks a funding that waits for the buyer, and nothing else: the watcher must not touch other transfers. */
    private void noticeFunding(TransferId fundingTransferId) {
        synchronized (lock(fundingTransferId)) {
            log.find(fundingTransferId)
                    .filter(e -> e.kind() == Kind.FUNDING && e.stage() == Stage.AWAITING_BUYER)
                    .ifPresent(this::checkFunded);
        }
    }

    /** The fallback: fundings whose stream failed are polled, and their stream is reopened. */
    private void pollWhileStreamDown() {
        for (TransferId id : List.copyOf(downStreams)) {
            try {
                noticeFunding(id);
                Optional<Entry> e = log.find(id);
                unwatch(id);
                if (e.isPresent() && e.get().stage() == Stage.AWAITING_BUYER) {
                    watch(e.get());
                }
            } catch (RuntimeException ex) {
                // keep polling
            }
        }
    }

    /** @return whether an escrow account's event stream is down (the rail polls it meanwhile) */
    public boolean streamDown() {
        return !downStreams.isEmpty();
    }

    @Override
    public void close() {
        for (TransferId id : List.copyOf(streams.keySet())) {
            unwatch(id);
        }
        watcher.shutdownNow();
        submitter.shutdownNow();
        horizon.close();
    }

    @Override
    public String toString() {
        return "StellarPaymentRail[" + config.railId() + ", platform=" + platform.getAccountId() + ", horizon="
                + config.horizonUrl() + "]";
    }

    // ================================================================================================== helpers

    private EscrowTransactions txs(Asset asset) {
        org.stellar.sdk.Asset stellar;
        if (asset.equals(Asset.XLM)) {
            stellar = new AssetTypeNative();
        } else {
            String issuer = config.issuedAssets().get(asset);
            if (issuer == null) {
                throw new IllegalArgumentException("not configured: " + asset);
            }
            stellar = org.stellar.sdk.Asset.create(
                    asset.code().length() <= 4 ? "credit_alphanum4" : "credit_alphanum12", asset.code(), issuer);
        }
        return new EscrowTransactions(network, platform, stellar);
    }

    private Object lock(TransferId id) {
        return lock("t:" + id.value());
    }

    private Object lock(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    private Instant now() {
        return clock.instant();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** @return the transfer log this rail keeps, for the provider's tests */
    StellarTransferLog transferLog() {
        return log;
    }
}
