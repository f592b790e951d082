package dev.holdfast.lightning;

import static dev.holdfast.lightning.LightningTransferLog.Kind.FUNDING;
import static dev.holdfast.lightning.LightningTransferLog.Kind.PAYOUT;
import static dev.holdfast.lightning.LightningTransferLog.Kind.TOMBSTONE;
import static dev.holdfast.lightning.LightningTransferLog.Kind.WITHDRAWAL;
import static dev.holdfast.lightning.LightningTransferLog.Stage.CANCELED;
import static dev.holdfast.lightning.LightningTransferLog.Stage.FAILED;
import static dev.holdfast.lightning.LightningTransferLog.Stage.OPEN;
import static dev.holdfast.lightning.LightningTransferLog.Stage.OPENING;
import static dev.holdfast.lightning.LightningTransferLog.Stage.PREPARING;
import static dev.holdfast.lightning.LightningTransferLog.Stage.RESERVED;
import static dev.holdfast.lightning.LightningTransferLog.Stage.SENT;
import static dev.holdfast.lightning.LightningTransferLog.Stage.SETTLED;
import static dev.holdfast.lightning.LightningTransferLog.Stage.SUCCEEDED;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.lightning.LightningTransferLog.Entry;
import dev.holdfast.lightning.LightningTransferLog.Kind;
import dev.holdfast.lightning.LightningTransferLog.Stage;
import dev.holdfast.lightning.internal.LndClient;
import dev.holdfast.lightning.internal.LndException;
import dev.holdfast.lightning.internal.LnurlPay;
import dev.holdfast.lightning.internal.Preimages;
import dev.holdfast.spi.AssetLimits;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailListener;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.lightningj.lnd.proto.LightningApi;
import org.lightningj.lnd.router.proto.RouterOuterClass;

/**
 * The Lightning {@link PaymentRail}: escrow with LND hold invoices, through LightningJ.
 *
 * <p><b>Lifecycle of a funding.</b> {@link #openFunding} adds a hold invoice ({@code AddHoldInvoice}) on the hash of
 * a preimage derived from the configured key and the transfer id (see {@link LightningRailConfig}), for exactly the
 * amount, expiring at {@code fundBy}, and answers PENDING with a {@link PartyInstruction.PayInvoice} for the buyer.
 * When the buyer's HTLC arrives the invoice is ACCEPTED: the funds are locked on the route and the rail notifies
 * {@link RailNotification.Funded}. The rail watches each open invoice with {@code SubscribeSingleInvoice} (LightningJ's
 * asynchronous API); after a dropped stream or a node restart it reconnects with backoff and catches up by {@code
 * LookupInvoice}. An invoice cancelled before payment (expired) or an accepted hold that LND cancelled near its CLTV
 * expiry is reported as {@link RailNotification.FundingLapsed}; {@link RailNotification.HoldExpiring} comes first,
 * {@code holdExpiryWarningBlocks} before LND's auto-cancel.
 *
 * <p><b>Payouts.</b> The first payout from a funding settles the hold ({@code SettleInvoice}, once): from then on the
 * whole funded amount is on the platform's node, and every payout is a {@code SendPaymentV2} of exactly its amount
 * (always with the configured fee limit and timeout) to a BOLT11 invoice (whose amount must equal the payout's), a
 * node key (keysend) or a Lightning address (LUD-16). The platform fee simply stays on the node. The rail keeps, per
 * funding, what payouts drew, and never draws more than was funded (RC-5). A refund of a whole funding whose hold is
 * still unsettled, to {@link PayoutDestination.FundingSource}, cancels the invoice: the buyer's HTLC fails back, no fee.
 * After settlement Lightning cannot find the payer again, so such a refund fails with {@code REFUND_NEEDS_DESTINATION}
 * and needs a buyer's address. {@link PayoutDestination.InternalBalance} only settles: the amount stays on the node.
 * Withdrawals pay from the node's balance.
 *
 * <p><b>Custody.</b> Before settlement the funds are held by the protocol ({@code custodial = false}); after
 * settlement they are on the platform's node until paid out, i.e. held by the platform.
 *
 * <p><b>Outcomes.</b> Calls never throw for rail problems (RC-2): LND's refusals answer FAILED with LND's message,
 * while a call whose effect is unknown (UNAVAILABLE, DEADLINE_EXCEEDED) answers UNKNOWN. An interrupted transfer is
 * resumed in the background (settling and paying are idempotent: LND refuses a second payment of the same hash), and
 * {@link #query} reads the real state from LND ({@code LookupInvoice}, {@code TrackPaymentV2}).
 *
 * <p>One rail instance per LND node and {@link LightningTransferLog}. Thread-safe. Call {@link #setListener} to start
 * the background watchers; {@link #close()} stops them.
 *
 * @since 0.1
 */
public final class LightningPaymentRail implements PaymentRail, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LightningPaymentRail.class.getName());
    private static final Asset MSAT = Asset.BTC_MSAT;
    private static final long KEYSEND_RECORD = 5_482_373_484L;
    private static final Duration BLOCK_INTERVAL = Duration.ofMinutes(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final HexFormat HEX = HexFormat.of();
    private static final String INTERNAL = "holdfast:internal-balance";
    private static final String FUNDING_SOURCE = "holdfast:funding-source";
    private static final Pattern NODE_KEY = Pattern.compile("0[23][0-9a-fA-F]{64}");

    private final LightningRailConfig config;
    private final LightningTransferLog log;
    private final LndClient lnd;
    private final Clock clock;
    private final Preimages preimages;
    private final LnurlPay lnurl;
    private final RailCapabilities capabilities;
    private final ScheduledExecutorService worker;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Set<TransferId> running = ConcurrentHashMap.newKeySet();
    private final Set<TransferId> resumeScheduled = ConcurrentHashMap.newKeySet();
    private final Map<TransferId, Context.CancellableContext> streams = new ConcurrentHashMap<>();
    private final Set<TransferId> watched = ConcurrentHashMap.newKeySet();
    private final Set<TransferId> fundedNotified = ConcurrentHashMap.newKeySet();
    private final Set<TransferId> lapseNotified = ConcurrentHashMap.newKeySet();
    private final Set<TransferId> expiryWarned = ConcurrentHashMap.newKeySet();
    private final Map<TransferId, Hold> holds = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile RailListener listener = n -> {};

    /**
     * Connects to the configured node over TLS with the macaroon.
     *
     * @param config the configuration
     * @param log where transfer records go; durable in production
     * @throws IOException when the certificate or macaroon cannot be read
     */
    public LightningPaymentRail(LightningRailConfig config, LightningTransferLog log) throws IOException {
        this(config, log, LndClient.connect(config), true, Clock.systemUTC());
    }

    /**
     * Uses an existing channel (e.g. in-process to a simulator); the channel must already send the macaroon. The rail
     * does not shut the channel down.
     *
     * @param config the configuration (its host, port, certificate and macaroon are not used)
     * @param log where transfer records go
     * @param channel the channel to LND
     * @param clock the clock LND runs on, for instruction expiry and hold estimates
     */
    public LightningPaymentRail(
            LightningRailConfig config, LightningTransferLog log, ManagedChannel channel, Clock clock) {
        this(config, log, channel, false, clock);
    }

    private LightningPaymentRail(
            LightningRailConfig config,
            LightningTransferLog log,
            ManagedChannel channel,
            boolean ownsChannel,
            Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lnd = new LndClient(Objects.requireNonNull(channel, "channel"), config.callTimeout(), ownsChannel);
        this.preimages = new Preimages(config.preimageKey());
        this.lnurl = new LnurlPay(config.lnurlScheme(), config.lnurlPort(), config.callTimeout());
        this.capabilities = new RailCapabilities(
                List.of(new AssetLimits(MSAT, config.minMsat(), config.maxMsat())),
                config.maxHold(),
                true,
                config.refundAfterSettlement(),
                false,
                false);
        this.worker = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "holdfast-lightning-" + config.railId());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public RailId id() {
        return config.railId();
    }

    /**
     * BTC at scale 11 (millisatoshi) within the configured limits; {@code maxHold} from {@code cltvExpiry}; partial
     * release (settle once, pay parts); refund after settlement only when the host collects buyers' refund addresses;
     * no party signatures; not custodial (see the class comment on custody).
     */
    @Override
    public RailCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void setListener(RailListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        if (started.compareAndSet(false, true)) {
            worker.execute(this::recover);
            long period =
                    Math.min(Math.max(config.retryBackoff().multipliedBy(5).toMillis(), 100), MAX_BACKOFF.toMillis());
            worker.scheduleWithFixedDelay(this::checkHolds, period, period, TimeUnit.MILLISECONDS);
        }
    }

    // ================================================================================================ funding

    @Override
    public RailResult openFunding(FundingRequest request) {
        Objects.requireNonNull(request, "request");
        TransferId id = request.transferId();
        synchronized (lock(id)) {
            Optional<Entry> existing = log.find(id);
            if (existing.isPresent()) {
                return replayOpen(existing.get());
            }
            Instant now = clock.instant();
            long expiry = request.fundBy() == null
                    ? 0
                    : Duration.between(now, request.fundBy()).getSeconds();
            RailError invalid = checkFunding(request, now, expiry);
            if (invalid != null) {
                // Recorded so that a repeat answers FAILED again and query knows the id (RC-1, RC-3).
                log.insertIfAbsent(new Entry(
                        id, FUNDING, FAILED, null, request.amount(), null, null, null, null, 0, false, null, invalid));
                return RailResult.failed(invalid);
            }
            Entry entry = new Entry(
                    id,
                    FUNDING,
                    OPENING,
                    preimages.fundingHashHex(id),
                    request.amount(),
                    Money.zero(MSAT),
                    null,
                    null,
                    null,
                    now.getEpochSecond() + expiry,
                    false,
                    null,
                    null);
            log.insertIfAbsent(entry);
            return addHoldInvoice(entry);
        }
    }

    private RailError checkFunding(FundingRequest request, Instant now, long expirySeconds) {
        Money amount = request.amount();
        if (amount == null || !amount.asset().equals(MSAT)) {
            return new RailError("UNSUPPORTED_ASSET", "Lightning funds BTC in millisatoshi (" + MSAT + ")");
        }
        if (!capabilities.assets().get(0).accepts(amount)) {
            return new RailError(
                    "AMOUNT_OUT_OF_LIMITS",
                    amount.minor() + " msat is outside " + config.minMsat() + ".." + config.maxMsat() + " msat");
        }
        if (expirySeconds < 1) {
            return new RailError("FUND_BY_PASSED", "fundBy is not in the future");
        }
        // The hold lapses maxHold after the buyer pays, at the earliest now: beyond that LND would cancel it.
        if (request.holdUntil() != null
                && Duration.between(now, request.holdUntil()).compareTo(config.maxHold()) > 0) {
            return new RailError(
                    "HOLD_TOO_LONG",
                    "holdUntil is beyond the rail's maximum hold of " + config.maxHold() + " (cltv_expiry "
                            + config.cltvExpiry() + ")");
        }
        return null;
    }

    private RailResult addHoldInvoice(Entry entry) {
        long expiry = entry.expiresAt() - clock.instant().getEpochSecond();
        if (expiry < 1) {
            return fail(entry, new RailError("FUND_BY_PASSED", "fundBy passed before the invoice could be added"));
        }
        byte[] hash = HEX.parseHex(entry.hash());
        try {
            String pr = lnd.addHoldInvoice(
                    hash,
                    entry.amount().minor(),
                    expiry,
                    config.cltvExpiry(),
                    "Holdfast escrow funding " + entry.transferId());
            return opened(entry, pr);
        } catch (LndException e) {
            if (e.says("already exists")) {
                // An earlier attempt whose answer was lost made it: the hash is ours, so adopt the invoice.
                try {
                    return opened(entry, lnd.lookupInvoice(hash).getPaymentRequest());
                } catch (LndException lookup) {
                    scheduleResume(entry.transferId(), 0);
                    return RailResult.unknown(error(lookup));
                }
            }
            if (e.outcomeUnknown()) {
                scheduleResume(entry.transferId(), 0);
                return RailResult.unknown(error(e));
            }
            return fail(entry, error(e));
        }
    }

    private RailResult opened(Entry entry, String paymentRequest) {
        Entry open = entry.withPayment(entry.hash(), paymentRequest).withStage(OPEN);
        log.update(open);
        watch(open, 0);
        return RailResult.pending(open.hash(), instruction(open));
    }

    private RailResult replayOpen(Entry entry) {
        if (entry.kind() == TOMBSTONE) {
            return RailResult.failed(new RailError("CANCELLED", "the funding was cancelled before it was opened"));
        }
        if (entry.kind() != FUNDING) {
            return RailResult.failed(new RailError("TRANSFER_ID_IN_USE", "the transfer id belongs to a payout"));
        }
        return fundingStatus(entry);
    }

    private PartyInstruction instruction(Entry funding) {
        return new PartyInstruction.PayInvoice(
                Role.BUYER, funding.paymentRequest(), funding.amount(), Instant.ofEpochSecond(funding.expiresAt()));
    }

    /** The funding's current outcome, read from LND. */
    private RailResult fundingStatus(Entry entry) {
        if (entry.stage() == FAILED) {
            return RailResult.failed(entry.error());
        }
        byte[] hash = HEX.parseHex(entry.hash());
        LightningApi.Invoice invoice;
        try {
            invoice = lnd.lookupInvoice(hash);
        } catch (LndException e) {
            if (e.outcomeUnknown()) {
                return RailResult.unknown(error(e));
            }
            if (entry.stage() == OPENING) {
                if (clock.instant().getEpochSecond() >= entry.expiresAt()) {
                    return fail(entry, new RailError("FUND_BY_PASSED", "the invoice could not be added by fundBy"));
                }
                scheduleResume(entry.transferId(), 0);
                return RailResult.pending(entry.hash(), null);
            }
            if (entry.cancelRequested() && e.says("unable to locate")) {
                return RailResult.failed(new RailError("CANCELLED", "the funding was cancelled"));
            }
            return RailResult.failed(error(e));
        }
        if (entry.stage() == OPENING) {
            entry = entry.withPayment(entry.hash(), invoice.getPaymentRequest()).withStage(OPEN);
            log.update(entry);
            watch(entry, 0);
        }
        return applyInvoice(entry, invoice);
    }

    /** Brings the log, the notifications and the answer in line with what LND says about a funding's invoice. */
    private RailResult applyInvoice(Entry entry, LightningApi.Invoice invoice) {
        TransferId id = entry.transferId();
        switch (invoice.getState()) {
            case OPEN:
                return RailResult.pending(entry.hash(), entry.cancelRequested() ? null : instruction(entry));
            case ACCEPTED:
                trackHold(entry, invoice);
                if (!entry.cancelRequested() && fundedNotified.add(id)) {
                    notify(new RailNotification.Funded(id, entry.hash(), entry.amount()));
                }
                // While our own cancel is under way the funds are on their way back: not held any more.
                return entry.cancelRequested() ? RailResult.pending(entry.hash(), null) : funded(entry);
            case SETTLED:
                forgetHold(id);
                markFunding(id, SETTLED);
                return funded(entry);
            case CANCELED:
                forgetHold(id);
                markFunding(id, CANCELED);
                RailError why = lapseReason(entry, invoice);
                if (!entry.cancelRequested() && lapseNotified.add(id)) {
                    notify(new RailNotification.FundingLapsed(id, why.toString()));
                }
                return RailResult.failed(why);
            default:
                return RailResult.unknown(
                        new RailError("LND_UNKNOWN_STATE", invoice.getState().name()));
        }
    }

    private static RailResult funded(Entry entry) {
        return RailResult.succeeded(entry.hash(), null);
    }

    private static RailError lapseReason(Entry entry, LightningApi.Invoice invoice) {
        if (entry.cancelRequested()) {
            return new RailError("CANCELLED", "the funding was cancelled; any HTLC went back to the buyer");
        }
        boolean wasPaid =
                invoice.getHtlcsList().stream().anyMatch(h -> h.getAcceptHeight() > 0) || invoice.getAmtPaidMsat() > 0;
        return wasPaid
                ? new RailError(
                        "HOLD_EXPIRED",
                        "LND cancelled the accepted hold near its CLTV expiry; the buyer's HTLC went back")
                : new RailError("INVOICE_EXPIRED", "the buyer did not pay before the invoice expired");
    }

    private void markFunding(TransferId id, Stage stage) {
        synchronized (lock(id)) {
            log.find(id).filter(e -> e.stage() != stage).ifPresent(e -> log.update(e.withStage(stage)));
        }
    }

    @Override
    public RailResult cancelFunding(TransferId fundingTransferId) {
        Objects.requireNonNull(fundingTransferId, "fundingTransferId");
        synchronized (lock(fundingTransferId)) {
            Optional<Entry> found = log.find(fundingTransferId);
            if (found.isEmpty()) {
                // A tombstone, so that a late openFunding with this id is refused rather than opened (RC-7).
                log.insertIfAbsent(new Entry(
                        fundingTransferId,
                        TOMBSTONE,
                        FAILED,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        0,
                        false,
                        null,
                        new RailError("CANCELLED", "cancelled before it was opened")));
                return RailResult.succeeded(null, null);
            }
            Entry entry = found.get();
            if (entry.kind() == TOMBSTONE || (entry.kind() == FUNDING && entry.stage() == FAILED)) {
                return RailResult.succeeded(entry.hash(), null);
            }
            if (entry.kind() != FUNDING) {
                return RailResult.failed(new RailError("NOT_A_FUNDING", "the transfer id belongs to a payout"));
            }
            if (entry.stage() == SETTLED) {
                return alreadySettled();
            }
            if (entry.stage() != CANCELED && drawnSoFar(fundingTransferId, null) > 0) {
                return RailResult.failed(new RailError("ALREADY_DRAWN", "a payout already draws on this funding"));
            }
            entry = entry.withCancelRequested(true);
            log.update(entry);
            return cancelInvoice(entry);
        }
    }

    private RailResult cancelInvoice(Entry entry) {
        try {
            lnd.cancelInvoice(HEX.parseHex(entry.hash()));
            forgetHold(entry.transferId());
            log.update(entry.withStage(CANCELED));
            return RailResult.succeeded(entry.hash(), null);
        } catch (LndException e) {
            if (e.says("already settled")) {
                log.update(entry.withCancelRequested(false).withStage(SETTLED));
                return alreadySettled();
            }
            if (e.says("unable to locate")) {
                // Never added (an open whose answer was lost and that did not happen): nothing is held.
                log.update(entry.failed(new RailError("CANCELLED", "cancelled before the invoice existed")));
                return RailResult.succeeded(entry.hash(), null);
            }
            if (e.outcomeUnknown()) {
                scheduleResume(entry.transferId(), 0);
                return RailResult.unknown(error(e));
            }
            log.update(entry.withCancelRequested(false));
            return RailResult.failed(error(e));
        }
    }

    private static RailResult alreadySettled() {
        return RailResult.failed(new RailError(
                RailError.ALREADY_SETTLED, "the hold was settled by a payout; refund the remainder by payout"));
    }

    // ================================================================================================ payouts

    @Override
    public RailResult payout(PayoutRequest request) {
        Objects.requireNonNull(request, "request");
        TransferId id = request.transferId();
        synchronized (lock(id)) {
            Optional<Entry> existing = log.find(id);
            if (existing.isPresent()) {
                // Same id: the recorded transfer's current outcome, whatever this request says (RC-1).
                return existing.get().kind() == FUNDING || existing.get().kind() == TOMBSTONE
                        ? RailResult.failed(new RailError("TRANSFER_ID_IN_USE", "the transfer id is a funding's"))
                        : payoutStatus(existing.get());
            }
            Kind kind = request.kind() == PayoutKind.WITHDRAWAL ? WITHDRAWAL : PAYOUT;
            String destination = destinationText(request.destination());
            Money fee = request.platformFee() == null ? Money.zero(MSAT) : request.platformFee();
            Entry entry = new Entry(
                    id,
                    kind,
                    PREPARING,
                    null,
                    request.amount(),
                    fee,
                    kind == PAYOUT ? request.fundingTransferId() : null,
                    destination,
                    null,
                    0,
                    false,
                    null,
                    null);
            RailError invalid = checkPayout(request, kind, destination, fee);
            if (invalid != null) {
                log.insertIfAbsent(entry.failed(invalid));
                return RailResult.failed(invalid);
            }
            log.insertIfAbsent(entry);
        }
        return runPayout(id, false);
    }

    private static RailError checkPayout(PayoutRequest request, Kind kind, String destination, Money fee) {
        if (request.amount() == null
                || !request.amount().asset().equals(MSAT)
                || !fee.asset().equals(MSAT)) {
            return new RailError("ASSET_MISMATCH", "Lightning pays BTC in millisatoshi (" + MSAT + ")");
        }
        if (!request.amount().isPositive()) {
            return new RailError("INVALID_AMOUNT", "a payout must be positive");
        }
        if (fee.isNegative()) {
            return new RailError("INVALID_AMOUNT", "a platform fee must not be negative");
        }
        if (kind == PAYOUT && request.fundingTransferId() == null) {
            return new RailError("UNKNOWN_FUNDING", "a release or refund needs its funding");
        }
        if (destination == null) {
            return new RailError("INVALID_DESTINATION", "not a BOLT11 invoice, node key or Lightning address");
        }
        if (kind == WITHDRAWAL && (destination.equals(INTERNAL) || destination.equals(FUNDING_SOURCE))) {
            return new RailError("INVALID_DESTINATION", "a withdrawal goes to a Lightning destination");
        }
        return null;
    }

    private static String destinationText(PayoutDestination destination) {
        if (destination instanceof PayoutDestination.InternalBalance) {
            return INTERNAL;
        }
        if (destination instanceof PayoutDestination.FundingSource) {
            return FUNDING_SOURCE;
        }
        if (destination instanceof PayoutDestination.RailAddress address) {
            String text = address.address().trim();
            if (text.regionMatches(true, 0, "lightning:", 0, 10)) {
                text = text.substring(10);
            }
            return destinationType(text) == null ? null : text;
        }
        return null;
    }

    private enum DestinationType {
        BOLT11,
        KEYSEND,
        ADDRESS
    }

    private static DestinationType destinationType(String text) {
        if (text.startsWith("holdfast:")) {
            return null;
        }
        if (NODE_KEY.matcher(text).matches()) {
            return DestinationType.KEYSEND;
        }
        if (LnurlPay.isAddress(text)) {
            return DestinationType.ADDRESS;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ln") && lower.length() > 20 && lower.indexOf('1') > 2) {
            return DestinationType.BOLT11;
        }
        return null;
    }

    /** Drives a payout as far as it goes now. Only one thread at a time works on one transfer. */
    private RailResult runPayout(TransferId id, boolean background) {
        if (!running.add(id)) {
            return payoutStatus(find(id));
        }
        try {
            Entry entry = find(id);
            if (entry.stage() == PREPARING) {
                RailResult result = prepare(entry);
                if (result != null) {
                    return finished(id, result, background);
                }
                entry = find(id);
            }
            if (entry.stage() == RESERVED) {
                RailResult result = settleFor(entry);
                if (result != null) {
                    return finished(id, result, background);
                }
                entry = find(id);
            }
            if (entry.stage() == SENT) {
                return finished(id, send(entry, background), background);
            }
            return payoutStatus(entry);
        } finally {
            running.remove(id);
        }
    }

    private RailResult finished(TransferId id, RailResult result, boolean background) {
        if (result.status() == RailStatus.UNKNOWN) {
            scheduleResume(id, 0);
        } else if (background && result.status() == RailStatus.SUCCEEDED) {
            notify(new RailNotification.PayoutSucceeded(id, result.railReference(), result.railFee()));
        } else if (background && result.status() == RailStatus.FAILED) {
            notify(new RailNotification.PayoutFailed(id, result.error()));
        }
        return result;
    }

    /** Checks the destination and draws on the funding. Null to go on, else the outcome. */
    private RailResult prepare(Entry entry) {
        String destination = entry.destination();
        String hash = null;
        String resolved = null;
        boolean payment = !destination.equals(INTERNAL) && !destination.equals(FUNDING_SOURCE);
        if (payment) {
            DestinationType type = destinationType(destination);
            String paymentRequest = destination;
            String metadataHash = null;
            if (type == DestinationType.ADDRESS) {
                try {
                    LnurlPay.Resolved r =
                            lnurl.resolve(destination, entry.amount().minor());
                    paymentRequest = r.paymentRequest();
                    metadataHash = r.metadataHash();
                    resolved = paymentRequest;
                } catch (LnurlPay.LnurlException e) {
                    return fail(entry, new RailError(e.code(), e.getMessage()));
                }
            }
            if (type == DestinationType.KEYSEND) {
                byte[] preimage = preimages.keysend(entry.transferId());
                hash = HEX.formatHex(Preimages.hash(preimage));
                Arrays.fill(preimage, (byte) 0);
            } else {
                LightningApi.PayReq decoded;
                try {
                    decoded = lnd.decodePayReq(paymentRequest);
                } catch (LndException e) {
                    return e.outcomeUnknown()
                            ? RailResult.unknown(error(e))
                            : fail(entry, new RailError("INVALID_DESTINATION", e.lndMessage()));
                }
                RailError wrong = checkInvoice(entry, decoded, metadataHash);
                if (wrong != null) {
                    return fail(entry, wrong);
                }
                hash = decoded.getPaymentHash();
            }
            String paymentHash = hash;
            boolean used = log.byPaymentHash(paymentHash).stream()
                    .anyMatch(other -> !other.transferId().equals(entry.transferId()) && other.stage() != FAILED);
            if (used) {
                return fail(entry, new RailError("DESTINATION_ALREADY_USED", "another payout pays this invoice"));
            }
        }
        if (entry.kind() == WITHDRAWAL) {
            log.update(entry.withPayment(hash, resolved).withStage(RESERVED));
            return null;
        }
        TransferId fundingId = entry.fundingTransferId();
        synchronized (lock(fundingId)) {
            Optional<Entry> found = log.find(fundingId);
            if (found.isEmpty() || found.get().kind() != FUNDING) {
                return fail(entry, new RailError("UNKNOWN_FUNDING", "no funding " + fundingId + " on this rail"));
            }
            Entry funding = found.get();
            if (funding.stage() == FAILED
                    || funding.stage() == CANCELED
                    || funding.stage() == OPENING
                    || funding.cancelRequested()) {
                return fail(
                        entry, new RailError("FUNDING_NOT_HELD", "the funding is not held (" + funding.stage() + ")"));
            }
            if (!funding.amount().asset().equals(entry.amount().asset())) {
                return fail(
                        entry,
                        new RailError(
                                "ASSET_MISMATCH",
                                "the funding is in " + funding.amount().asset()));
            }
            long drawn = drawnSoFar(fundingId, entry.transferId());
            long remaining = funding.amount().minor() - drawn;
            if (entry.drawn().minor() > remaining) {
                return fail(
                        entry,
                        new RailError(
                                "INSUFFICIENT_FUNDS",
                                "draws " + entry.drawn().minor() + " msat, " + remaining + " msat remain"));
            }
            if (destination.equals(FUNDING_SOURCE)) {
                if (drawn != 0 || entry.drawn().minor() != funding.amount().minor() || funding.stage() == SETTLED) {
                    return fail(entry, refundNeedsDestination());
                }
                // Set before CancelInvoice so that the watcher does not report our own cancel as a lapse.
                log.update(funding.withCancelRequested(true));
                hash = funding.hash();
            }
            if (destination.equals(INTERNAL)) {
                hash = funding.hash();
            }
            log.update(entry.withPayment(hash, resolved).withStage(RESERVED));
        }
        return null;
    }

    private RailError checkInvoice(Entry entry, LightningApi.PayReq decoded, String metadataHash) {
        if (decoded.getNumMsat() != entry.amount().minor()) {
            return new RailError(
                    "AMOUNT_MISMATCH",
                    "the invoice asks " + decoded.getNumMsat() + " msat, the payout is "
                            + entry.amount().minor() + " msat");
        }
        long expiresAt = decoded.getTimestamp() + decoded.getExpiry();
        if (clock.instant().getEpochSecond() >= expiresAt) {
            return new RailError("INVOICE_EXPIRED", "the invoice expired at " + Instant.ofEpochSecond(expiresAt));
        }
        if (metadataHash != null && !metadataHash.equalsIgnoreCase(decoded.getDescriptionHash())) {
            return new RailError("LNURL_INVALID", "the invoice does not commit to the Lightning address's metadata");
        }
        return null;
    }

    private static RailError refundNeedsDestination() {
        return new RailError(
                "REFUND_NEEDS_DESTINATION",
                "only a whole refund of an unsettled hold goes back to the funding source; after settlement a refund"
                        + " needs the buyer's Lightning destination");
    }

    /** Settles the funding's hold if needed (or cancels it for a refund to the source). Null to go on. */
    private RailResult settleFor(Entry entry) {
        if (entry.kind() == WITHDRAWAL) {
            log.update(entry.withStage(SENT));
            return null;
        }
        TransferId fundingId = entry.fundingTransferId();
        Entry funding = find(fundingId);
        byte[] fundingHash = HEX.parseHex(funding.hash());
        if (entry.destination().equals(FUNDING_SOURCE)) {
            return refundToSource(entry, funding, fundingHash);
        }
        if (funding.stage() != SETTLED) {
            byte[] preimage = preimages.funding(fundingId);
            try {
                lnd.settleInvoice(preimage);
            } catch (LndException e) {
                if (e.says("still open")) {
                    return fail(entry, new RailError("NOT_FUNDED", "the buyer has not paid the funding"));
                }
                if (e.says("already canceled")) {
                    markFunding(fundingId, CANCELED);
                    return fail(entry, new RailError("FUNDING_NOT_HELD", "the funding's hold was cancelled"));
                }
                if (e.outcomeUnknown()) {
                    return RailResult.unknown(error(e));
                }
                if (!e.says("already settled")) {
                    return fail(entry, error(e));
                }
            } finally {
                Arrays.fill(preimage, (byte) 0);
            }
            forgetHold(fundingId);
            markFunding(fundingId, SETTLED);
        }
        if (entry.destination().equals(INTERNAL)) {
            return succeed(entry, null);
        }
        log.update(entry.withStage(SENT));
        return null;
    }

    private RailResult refundToSource(Entry entry, Entry funding, byte[] fundingHash) {
        LightningApi.Invoice invoice;
        try {
            invoice = lnd.lookupInvoice(fundingHash);
            if (invoice.getState() == LightningApi.Invoice.InvoiceState.ACCEPTED) {
                lnd.cancelInvoice(fundingHash);
                invoice = invoice.toBuilder()
                        .setState(LightningApi.Invoice.InvoiceState.CANCELED)
                        .build();
            }
        } catch (LndException e) {
            if (e.outcomeUnknown()) {
                return RailResult.unknown(error(e));
            }
            clearCancelRequest(funding.transferId());
            return fail(entry, error(e));
        }
        switch (invoice.getState()) {
            case CANCELED -> {
                forgetHold(funding.transferId());
                markFunding(funding.transferId(), CANCELED);
                return succeed(entry, null);
            }
            case OPEN -> {
                clearCancelRequest(funding.transferId());
                return fail(entry, new RailError("NOT_FUNDED", "the buyer has not paid the funding"));
            }
            default -> {
                clearCancelRequest(funding.transferId());
                return fail(entry, refundNeedsDestination());
            }
        }
    }

    private void clearCancelRequest(TransferId fundingId) {
        synchronized (lock(fundingId)) {
            log.find(fundingId).ifPresent(f -> log.update(f.withCancelRequested(false)));
        }
    }

    /** Hands the payment to LND (or, when resuming, finds it there first) and answers its first known state. */
    private RailResult send(Entry entry, boolean resuming) {
        if (resuming) {
            RailResult tracked = streamPayment(entry, true);
            if (tracked != null) {
                return tracked;
            }
        }
        RailResult sent = streamPayment(entry, false);
        if (sent == null) {
            // LND says the payment exists although it did not a moment ago: follow it.
            RailResult tracked = streamPayment(entry, true);
            return tracked != null ? tracked : RailResult.pending(entry.hash(), null);
        }
        return sent;
    }

    /**
     * Starts SendPaymentV2 ({@code track == false}) or TrackPaymentV2 and waits for its first message; the stream
     * stays open and reports the final state later. Null when the payment exists already (send) or not yet (track).
     */
    private RailResult streamPayment(Entry entry, boolean track) {
        TransferId id = entry.transferId();
        CompletableFuture<LightningApi.Payment> first = new CompletableFuture<>();
        Context.CancellableContext context = Context.current().withCancellation();
        LndClient.Listener<LightningApi.Payment> listener = new LndClient.Listener<>() {
            @Override
            public void onNext(LightningApi.Payment payment) {
                if (!first.complete(payment)) {
                    applyPayment(id, payment, true);
                }
            }

            @Override
            public void onError(LndException error) {
                streams.remove(id, context);
                if (!first.completeExceptionally(error) && !closed) {
                    // The stream broke after the payment started: LND still owns it, follow it again.
                    scheduleResume(id, 0);
                }
            }

            @Override
            public void onCompleted() {
                streams.remove(id, context);
                first.completeExceptionally(new LndException(Status.Code.UNAVAILABLE, "stream ended without a state"));
            }
        };
        Context.CancellableContext previous = streams.put(id, context);
        if (previous != null) {
            previous.cancel(null);
        }
        if (track) {
            lnd.trackPayment(context, HEX.parseHex(entry.hash()), listener);
        } else {
            lnd.sendPayment(context, paymentRequest(entry), listener);
        }
        LightningApi.Payment payment;
        try {
            payment = first.get(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            first.completeExceptionally(e);
            return RailResult.unknown(new RailError(RailError.TIMEOUT, "LND did not answer in time"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.cancel(e);
            return RailResult.unknown(new RailError("INTERRUPTED", "interrupted while waiting for LND"));
        } catch (ExecutionException e) {
            LndException failure = LndException.from(e.getCause());
            if (!track && failure.code() == Status.Code.ALREADY_EXISTS) {
                return null;
            }
            if (track && failure.code() == Status.Code.NOT_FOUND) {
                return null;
            }
            if (failure.outcomeUnknown()) {
                return RailResult.unknown(error(failure));
            }
            return fail(find(id), error(failure));
        }
        return applyPayment(id, payment, false);
    }

    private RouterOuterClass.SendPaymentRequest paymentRequest(Entry entry) {
        RouterOuterClass.SendPaymentRequest.Builder request = RouterOuterClass.SendPaymentRequest.newBuilder()
                .setFeeLimitMsat(config.feeLimitMsat())
                .setTimeoutSeconds(Math.toIntExact(config.paymentTimeout().getSeconds()))
                .setNoInflightUpdates(false);
        String destination = entry.destination();
        if (destinationType(destination) == DestinationType.KEYSEND) {
            byte[] preimage = preimages.keysend(entry.transferId());
            try {
                request.setDest(com.google.protobuf.ByteString.copyFrom(HEX.parseHex(destination)))
                        .setAmtMsat(entry.amount().minor())
                        .setPaymentHash(com.google.protobuf.ByteString.copyFrom(HEX.parseHex(entry.hash())))
                        .putDestCustomRecords(KEYSEND_RECORD, com.google.protobuf.ByteString.copyFrom(preimage));
            } finally {
                Arrays.fill(preimage, (byte) 0);
            }
        } else {
            request.setPaymentRequest(entry.paymentRequest() != null ? entry.paymentRequest() : destination);
        }
        return request.build();
    }

    /** Records a payment state from LND; notifies when {@code notify} and the state is final and new. */
    private RailResult applyPayment(TransferId id, LightningApi.Payment payment, boolean notify) {
        Entry entry = find(id);
        switch (payment.getStatus()) {
            case SUCCEEDED -> {
                Money fee = Money.of(payment.getFeeMsat(), MSAT);
                boolean changed;
                synchronized (lock(id)) {
                    Entry now = find(id);
                    changed = now.stage() != SUCCEEDED;
                    if (changed) {
                        log.update(now.succeeded(fee));
                    }
                }
                streams.remove(id);
                if (notify && changed) {
                    notify(new RailNotification.PayoutSucceeded(id, entry.hash(), fee));
                }
                return RailResult.succeeded(entry.hash(), fee);
            }
            case FAILED -> {
                RailError why = new RailError(
                        payment.getFailureReason().name().replace("FAILURE_REASON_", "PAYMENT_"),
                        "LND could not pay: " + payment.getFailureReason().name());
                boolean changed;
                synchronized (lock(id)) {
                    Entry now = find(id);
                    changed = now.stage() != FAILED;
                    if (changed) {
                        log.update(now.failed(why));
                    }
                }
                streams.remove(id);
                if (notify && changed) {
                    notify(new RailNotification.PayoutFailed(id, why));
                }
                return RailResult.failed(why);
            }
            default -> {
                return RailResult.pending(entry.hash(), null);
            }
        }
    }

    private long drawnSoFar(TransferId fundingId, TransferId except) {
        long drawn = 0;
        for (Entry payout : log.drawsOn(fundingId)) {
            if (payout.transferId().equals(except)) {
                continue;
            }
            Stage s = payout.stage();
            if (s == RESERVED || s == SENT || s == SUCCEEDED) {
                drawn = Math.addExact(drawn, payout.drawn().minor());
            }
        }
        return drawn;
    }

    /** A payout's current outcome; for a payment in LND's hands, LND's word. */
    private RailResult payoutStatus(Entry entry) {
        return switch (entry.stage()) {
            case SUCCEEDED -> RailResult.succeeded(entry.hash(), entry.railFee());
            case FAILED -> RailResult.failed(entry.error());
            case SENT -> queryPayment(entry);
            default -> RailResult.pending(entry.hash(), null);
        };
    }

    private RailResult queryPayment(Entry entry) {
        if (streams.containsKey(entry.transferId()) || running.contains(entry.transferId())) {
            // A live stream reports the outcome the moment LND knows it.
            return RailResult.pending(entry.hash(), null);
        }
        RailResult tracked = streamPayment(entry, true);
        if (tracked == null) {
            scheduleResume(entry.transferId(), 0);
            return RailResult.pending(entry.hash(), null);
        }
        return tracked;
    }

    // ================================================================================================ query

    @Override
    public RailResult query(TransferId transferId) {
        Objects.requireNonNull(transferId, "transferId");
        Optional<Entry> found = log.find(transferId);
        if (found.isEmpty()) {
            return RailResult.failed(new RailError(RailError.NOT_FOUND, "this rail never saw " + transferId));
        }
        Entry entry = found.get();
        return switch (entry.kind()) {
            case TOMBSTONE -> RailResult.failed(entry.error());
            case FUNDING -> fundingStatus(entry);
            case PAYOUT, WITHDRAWAL -> payoutStatus(entry);
        };
    }

    /** Lightning asks no party to sign: a response changes nothing and gets the transfer's current outcome. */
    @Override
    public RailResult submitPartyResponse(TransferId transferId, Role party, String payload) {
        Objects.requireNonNull(transferId, "transferId");
        return query(transferId);
    }

    // ================================================================================================ background

    private void recover() {
        for (Entry entry : log.unresolved()) {
            if (entry.kind() == FUNDING && entry.stage() == OPEN && !entry.cancelRequested()) {
                watch(entry, 0);
            } else {
                scheduleResume(entry.transferId(), 0);
            }
        }
    }

    private void scheduleResume(TransferId id, int attempt) {
        if (closed || !resumeScheduled.add(id)) {
            return;
        }
        try {
            worker.schedule(() -> resume(id, attempt), backoff(attempt).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            resumeScheduled.remove(id);
        }
    }

    private void resume(TransferId id, int attempt) {
        resumeScheduled.remove(id);
        if (closed) {
            return;
        }
        try {
            Entry entry = find(id);
            RailResult result = null;
            if (entry.kind() == FUNDING) {
                synchronized (lock(id)) {
                    entry = find(id);
                    if (entry.stage() == OPENING) {
                        result = addHoldInvoice(entry);
                    } else if (entry.stage() == OPEN && entry.cancelRequested()) {
                        result = cancelInvoice(entry);
                    } else if (entry.stage() == OPEN) {
                        watch(entry, 0);
                    }
                }
            } else if (entry.stage().unresolved()) {
                result = runPayout(id, true);
            }
            if (result != null && result.status() == RailStatus.UNKNOWN) {
                resumeScheduled.remove(id);
                scheduleResume(id, attempt + 1);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "resuming transfer " + id + " failed; will retry", e);
            scheduleResume(id, attempt + 1);
        }
    }

    /** Subscribes to a funding's invoice; after a drop, catches up by LookupInvoice and subscribes again. */
    private void watch(Entry funding, int attempt) {
        TransferId id = funding.transferId();
        if (closed || !watched.add(id)) {
            return;
        }
        Context.CancellableContext context = Context.current().withCancellation();
        Context.CancellableContext previous = streams.put(id, context);
        if (previous != null) {
            previous.cancel(null);
        }
        lnd.subscribeSingleInvoice(context, HEX.parseHex(funding.hash()), new LndClient.Listener<>() {
            @Override
            public void onNext(LightningApi.Invoice invoice) {
                onInvoice(id, invoice);
            }

            @Override
            public void onError(LndException error) {
                ended(error.outcomeUnknown() ? attempt + 1 : -1);
            }

            @Override
            public void onCompleted() {
                ended(0);
            }

            private void ended(int nextAttempt) {
                watched.remove(id);
                streams.remove(id, context);
                if (!closed && nextAttempt >= 0) {
                    rewatchLater(id, nextAttempt);
                }
            }
        });
    }

    private void rewatchLater(TransferId id, int attempt) {
        try {
            worker.schedule(() -> rewatch(id, attempt), backoff(attempt).toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void rewatch(TransferId id, int attempt) {
        Entry entry = find(id);
        if (closed || entry.stage() != OPEN) {
            return;
        }
        try {
            // Catch up on whatever changed while the stream was down before listening again.
            LightningApi.Invoice invoice = lnd.lookupInvoice(HEX.parseHex(entry.hash()));
            onInvoice(id, invoice);
            if (invoice.getState() == LightningApi.Invoice.InvoiceState.SETTLED
                    || invoice.getState() == LightningApi.Invoice.InvoiceState.CANCELED) {
                return;
            }
        } catch (LndException e) {
            if (e.outcomeUnknown()) {
                rewatchLater(id, attempt + 1);
            }
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "catching up on funding " + id + " failed; will retry", e);
            rewatchLater(id, attempt + 1);
            return;
        }
        watch(find(id), attempt);
    }

    private void onInvoice(TransferId id, LightningApi.Invoice invoice) {
        try {
            applyInvoice(find(id), invoice);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "applying an invoice update of funding " + id + " failed", e);
        }
    }

    private void trackHold(Entry funding, LightningApi.Invoice invoice) {
        if (holds.containsKey(funding.transferId())) {
            return;
        }
        int expiryHeight = Integer.MAX_VALUE;
        int acceptHeight = 0;
        long acceptTime = 0;
        for (LightningApi.InvoiceHTLC htlc : invoice.getHtlcsList()) {
            if (htlc.getExpiryHeight() > 0 && htlc.getExpiryHeight() < expiryHeight) {
                expiryHeight = htlc.getExpiryHeight();
                acceptHeight = htlc.getAcceptHeight();
                acceptTime = htlc.getAcceptTime();
            }
        }
        if (expiryHeight == Integer.MAX_VALUE) {
            return;
        }
        int lapseHeight = expiryHeight - LightningRailConfig.LND_HOLD_EXPIRY_DELTA;
        // From the invoice alone, so every copy of HoldExpiring for this funding says the same (RC-6).
        Instant lapsesAt =
                Instant.ofEpochSecond(acceptTime).plus(BLOCK_INTERVAL.multipliedBy((long) lapseHeight - acceptHeight));
        holds.putIfAbsent(funding.transferId(), new Hold(lapseHeight, acceptHeight, acceptTime, lapsesAt));
    }

    private void forgetHold(TransferId id) {
        holds.remove(id);
    }

    private void checkHolds() {
        if (closed || holds.isEmpty()) {
            return;
        }
        List<Map.Entry<TransferId, Hold>> pending = holds.entrySet().stream()
                .filter(h -> !expiryWarned.contains(h.getKey()))
                .toList();
        if (pending.isEmpty()) {
            return;
        }
        Integer height = null;
        try {
            height = lnd.blockHeight();
        } catch (LndException e) {
            // Estimated from the clock below: a warning a little early or late beats none.
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "GetInfo failed", e);
        }
        for (Map.Entry<TransferId, Hold> h : pending) {
            Hold hold = h.getValue();
            long current = height != null ? height : hold.estimatedHeight(clock.instant());
            if (hold.lapseHeight() - current <= config.holdExpiryWarningBlocks() && expiryWarned.add(h.getKey())) {
                notify(new RailNotification.HoldExpiring(h.getKey(), hold.lapsesAt()));
            }
        }
    }

    /** An accepted hold: LND cancels it at {@code lapseHeight}. */
    private record Hold(int lapseHeight, int acceptHeight, long acceptTime, Instant lapsesAt) {
        long estimatedHeight(Instant now) {
            long elapsed = Math.max(0, now.getEpochSecond() - acceptTime);
            return acceptHeight + elapsed / BLOCK_INTERVAL.getSeconds();
        }
    }

    // ================================================================================================ helpers

    private Duration backoff(int attempt) {
        Duration delay = config.retryBackoff().multipliedBy(1L << Math.min(attempt, 16));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    private Object lock(TransferId id) {
        // One monitor per transfer id; entries are tiny and bounded by the transfers this instance saw.
        return locks.computeIfAbsent(id.value(), k -> new Object());
    }

    private Entry find(TransferId id) {
        return log.find(id).orElseThrow(() -> new IllegalStateException("no log entry for " + id));
    }

    private RailResult fail(Entry entry, RailError why) {
        synchronized (lock(entry.transferId())) {
            Entry now = log.find(entry.transferId()).orElse(entry);
            if (now.stage() != FAILED && now.stage() != SUCCEEDED) {
                log.update(now.failed(why));
            }
        }
        return RailResult.failed(why);
    }

    private RailResult succeed(Entry entry, Money fee) {
        synchronized (lock(entry.transferId())) {
            log.update(find(entry.transferId()).succeeded(fee));
        }
        return RailResult.succeeded(entry.hash(), fee);
    }

    private static RailError error(LndException e) {
        if (e.code() == Status.Code.DEADLINE_EXCEEDED) {
            return new RailError(RailError.TIMEOUT, "LND did not answer in time");
        }
        if (e.outcomeUnknown()) {
            return new RailError("LND_UNREACHABLE", e.code() + ": " + e.lndMessage());
        }
        String code;
        if (e.says("invoice expired")) {
            code = "INVOICE_EXPIRED";
        } else if (e.says("still open")) {
            code = "NOT_FUNDED";
        } else if (e.says("already canceled")) {
            code = "FUNDING_CANCELLED";
        } else if (e.says("already settled")) {
            code = RailError.ALREADY_SETTLED;
        } else if (e.says("unable to locate")) {
            code = "INVOICE_NOT_FOUND";
        } else if (e.code() == Status.Code.UNAUTHENTICATED
                || e.code() == Status.Code.PERMISSION_DENIED
                || e.says("verification failed")
                || e.says("macaroon")) {
            code = "LND_UNAUTHORIZED";
        } else {
            code = "LND_REFUSED";
        }
        return new RailError(code, e.lndMessage());
    }

    private void notify(RailNotification notification) {
        try {
            listener.onNotification(notification);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the rail listener threw on " + notification.getClass(), e);
        }
    }

    /** Stops the watchers and the background worker, and shuts down the channel if this rail opened it. */
    @Override
    public void close() {
        closed = true;
        streams.values().forEach(c -> c.cancel(null));
        streams.clear();
        worker.shutdownNow();
        lnd.close();
    }

    @Override
    public String toString() {
        return "LightningPaymentRail[" + config.railId() + " at " + config.host() + ":" + config.port() + "]";
    }

    /** @return the transfer log this rail keeps, for the provider's tests */
    LightningTransferLog transferLog() {
        return log;
    }
}
