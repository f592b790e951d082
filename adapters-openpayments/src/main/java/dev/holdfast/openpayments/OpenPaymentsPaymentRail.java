package dev.holdfast.openpayments;

import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.Entry;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.Kind;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.Leg;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.LegStage;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.Stage;
import dev.holdfast.openpayments.internal.OpenPaymentsClient;
import dev.holdfast.openpayments.internal.OpenPaymentsClient.AccessToken;
import dev.holdfast.openpayments.internal.OpenPaymentsClient.GrantResponse;
import dev.holdfast.openpayments.internal.OpenPaymentsClient.WalletAddress;
import dev.holdfast.openpayments.internal.OpenPaymentsException;
import dev.holdfast.openpayments.internal.WalletAddresses;
import dev.holdfast.spi.AssetLimits;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCallback;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailListener;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailResult;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonObject;
import javax.json.JsonValue;

/**
 * The Open Payments rail: a <b>custodial</b> escrow wallet at an account servicing entity (ASE) holds the buyer's funds
 * between funding and payout, because Open Payments has no hold primitive. Whoever runs that ASE holds the money on
 * the platform's behalf; the capabilities say {@code custodial = true}.
 *
 * <p><b>Funding.</b> {@link #openFunding} creates an incoming payment on the escrow wallet (exact {@code
 * incomingAmount}, {@code expiresAt = fundBy}, the transfer id in {@code metadata}), a quote on the buyer's wallet for
 * it, and asks the buyer's authorization server for an interactive outgoing-payment grant limited to that quote. It
 * answers PENDING with {@link PartyInstruction.ApproveAt}: the buyer approves at their own wallet provider, whose
 * browser redirect comes back to the host's callback, which calls {@link #onInteractionFinished}. The rail verifies
 * the interaction hash, continues the grant, creates the buyer's outgoing payment and, once the incoming payment has
 * received the full amount, completes it and notifies {@link RailNotification.Funded}.
 *
 * <p><b>Payouts.</b> A release, refund or withdrawal is a <em>leg</em>: an incoming payment on the receiving wallet, a
 * quote and an outgoing payment from the escrow wallet (or the platform wallet for withdrawals) under the long-lived
 * escrow grant obtained once by {@link #requestEscrowGrant()}. The platform fee goes to the platform wallet as a second
 * leg; an internal-balance payout is one leg to the platform wallet. The quote's debit minus receive is the rail fee,
 * borne by the platform. A lost answer is resolved by looking the outgoing payment up by its metadata, never by
 * resending.
 *
 * <p>Thread-safe: every transfer id, and every funding's draws, are serialised by a lock of their own.
 *
 * @since 0.1
 */
public final class OpenPaymentsPaymentRail implements PaymentRail, AutoCloseable {
    private static final String META_TRANSFER = "holdfastTransferId";
    private static final String META_LEG = "holdfastLeg";
    private static final String INTERNAL = "internal";

    private final OpenPaymentsRailConfig config;
    private final OpenPaymentsTransferLog log;
    private final WalletAddressDirectory directory;
    private final OpenPaymentsClient client;
    private final Clock clock;
    private final String escrowWallet;
    private final String platformWallet;
    private final RailCapabilities capabilities;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, WalletAddress> wallets = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService poller;
    private volatile RailListener listener = n -> {};
    private volatile AccessToken escrowGrant;
    private volatile PendingGrant pendingEscrowGrant;

    private record PendingGrant(String continueUri, String continueToken, String clientNonce, String asNonce) {}

    /**
     * @param config the configuration
     * @param keys the platform's client key; its JWKS must be published at the escrow wallet address
     * @param log the transfer log
     * @param directory parties' wallet addresses
     * @param clock the clock
     */
    public OpenPaymentsPaymentRail(
            OpenPaymentsRailConfig config,
            OpenPaymentsKeys keys,
            OpenPaymentsTransferLog log,
            WalletAddressDirectory directory,
            Clock clock) {
        this.config = Objects.requireNonNull(config);
        this.log = Objects.requireNonNull(log);
        this.directory = Objects.requireNonNull(directory);
        this.clock = Objects.requireNonNull(clock);
        this.escrowWallet = WalletAddresses.parse(config.escrowWalletAddress(), config.allowInsecureHttp());
        this.platformWallet = WalletAddresses.parse(config.platformWalletAddress(), config.allowInsecureHttp());
        this.client = new OpenPaymentsClient(
                HttpClient.newBuilder().connectTimeout(config.callTimeout()).build(),
                keys.privateKey(),
                keys.keyId(),
                escrowWallet,
                clock,
                config.callTimeout());
        this.capabilities = new RailCapabilities(
                List.of(new AssetLimits(config.asset(), config.minMinor(), config.maxMinor())),
                null,
                true,
                true,
                false,
                true);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "openpayments-rail-poller");
            t.setDaemon(true);
            return t;
        });
        long every = config.pollInterval().toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
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
        this.listener = Objects.requireNonNull(listener);
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------ escrow grant

    /**
     * Starts the long-lived outgoing-payment grant on the escrow and platform wallets, which every payout uses. The
     * platform's operator approves it once at the URL; the finish redirect goes to {@code finishUriBase/escrow-grant}
     * and its parameters to {@link #completeEscrowGrant}.
     *
     * @return the URL where the operator approves
     */
    public String requestEscrowGrant() {
        WalletAddress escrow = wallet(escrowWallet);
        JsonObject limit = Json.createObjectBuilder()
                .add("debitAmount", amountJson(config.escrowGrantDebitLimit(), escrow))
                .build();
        JsonArray access = Json.createArrayBuilder()
                .add(outgoingAccess(escrowWallet, limit))
                .add(outgoingAccess(platformWallet, null))
                .build();
        String nonce = nonce();
        GrantResponse g = client.grant(escrow.authServer(), access, config.finishUriBase() + "/escrow-grant", nonce);
        pendingEscrowGrant = new PendingGrant(g.continueUri(), g.continueToken(), nonce, g.asNonce());
        return g.redirect();
    }

    /**
     * Finishes the escrow grant after the operator approved it.
     *
     * @param interactRef the redirect's {@code interact_ref}
     * @param hash the redirect's {@code hash}
     * @throws IllegalStateException when no grant was requested or the hash does not match
     */
    public void completeEscrowGrant(String interactRef, String hash) {
        PendingGrant p = pendingEscrowGrant;
        if (p == null) {
            throw new IllegalStateException("no escrow grant was requested");
        }
        String expected = OpenPaymentsClient.interactionHash(
                p.clientNonce(), p.asNonce(), interactRef, wallet(escrowWallet).authServer());
        if (!OpenPaymentsClient.hashMatches(expected, hash)) {
            throw new IllegalStateException("the interaction hash does not match: not our grant's redirect");
        }
        escrowGrant = client.continueGrant(p.continueUri(), p.continueToken(), interactRef)
                .token();
        pendingEscrowGrant = null;
    }

    // ------------------------------------------------------------------------------------------ funding

    @Override
    public RailResult openFunding(FundingRequest request) {
        Objects.requireNonNull(request, "request");
        Money amount = request.amount();
        synchronized (lock(request.transferId().value())) {
            Optional<Entry> existing = log.find(request.transferId());
            if (existing.isPresent()) {
                return existing.get().kind() == Kind.TOMBSTONE
                        ? RailResult.failed(new RailError("CANCELLED", "the funding was cancelled before it opened"))
                        : queryFunding(existing.get());
            }
            Entry.Builder b = new Entry.Builder(request.transferId(), Kind.FUNDING, Stage.OPEN);
            b.amount = amount;
            b.platformFee = Money.zero(amount.asset());
            b.expiresAt = request.fundBy();
            log.insertIfAbsent(b.build());
            RailError invalid = validateFunding(amount);
            if (invalid != null) {
                return fail(b, invalid);
            }
            try {
                String buyer = directory
                        .walletAddressOf(request.buyer())
                        .map(w -> WalletAddresses.parse(w, config.allowInsecureHttp()))
                        .orElseThrow(() -> new IllegalArgumentException("no wallet address for " + request.buyer()));
                WalletAddress escrow = checkedWallet(escrowWallet);
                WalletAddress buyerWallet = checkedWallet(buyer);
                JsonObject ip = withToken(
                        escrow.authServer(),
                        "incoming-payment",
                        null,
                        t -> client.post(
                                escrow.resourceServer() + "/incoming-payments",
                                t,
                                Json.createObjectBuilder()
                                        .add("walletAddress", escrowWallet)
                                        .add("incomingAmount", amountJson(amount.minor(), escrow))
                                        .add("expiresAt", request.fundBy().toString())
                                        .add(
                                                "metadata",
                                                Json.createObjectBuilder()
                                                        .add(
                                                                META_TRANSFER,
                                                                request.transferId()
                                                                        .value())
                                                        .add(
                                                                "holdfastEscrowId",
                                                                request.escrowId()
                                                                        .value()))
                                        .build()));
                b.incomingPayment = ip.getString("id");
                b.buyerWallet = buyer;
                log.update(b.build());
                JsonObject quote = quote(buyerWallet, b.incomingPayment);
                long receive = value(quote.getJsonObject("receiveAmount"), escrow);
                if (receive != amount.minor()) {
                    completeQuietly(escrow, b.incomingPayment);
                    return fail(b, new RailError("QUOTE_MISMATCH", "the quote delivers " + receive));
                }
                JsonObject limits = Json.createObjectBuilder()
                        .add("debitAmount", quote.getJsonObject("debitAmount"))
                        .add("receiveAmount", quote.getJsonObject("receiveAmount"))
                        .build();
                String nonce = nonce();
                GrantResponse g = client.grant(
                        buyerWallet.authServer(),
                        Json.createArrayBuilder()
                                .add(outgoingAccess(buyer, limits))
                                .build(),
                        config.finishUriBase() + "/"
                                + URLEncoder.encode(request.transferId().value(), StandardCharsets.UTF_8),
                        nonce);
                b.interactUrl = g.redirect();
                b.continueUri = g.continueUri();
                b.continueToken = g.continueToken();
                b.clientNonce = nonce;
                b.asNonce = g.asNonce();
                b.authServer = buyerWallet.authServer();
                log.update(b.build());
                return queryFunding(b.build());
            } catch (OpenPaymentsException e) {
                return fail(b, new RailError(e.code(), e.getMessage()));
            } catch (IllegalArgumentException e) {
                return fail(b, new RailError("INVALID_WALLET_ADDRESS", e.getMessage()));
            }
        }
    }

    /**
     * Handles the buyer's return from their wallet provider: the host's finish callback calls it with the redirect's
     * query parameters. Verifies the hash, continues the grant and creates the buyer's outgoing payment.
     *
     * @param transferId the funding (the last path segment of the finish URI)
     * @param interactRef the {@code interact_ref} parameter
     * @param hash the {@code hash} parameter
     * @return the funding's outcome: SUCCEEDED once held, PENDING while the payment is on its way or when the
     *     redirect was not genuine (with an error, the funding still waits), FAILED when consent was refused or came
     *     too late
     */
    public RailResult onInteractionFinished(TransferId transferId, String interactRef, String hash) {
        synchronized (lock(transferId.value())) {
            Optional<Entry> found = log.find(transferId);
            if (found.isEmpty() || found.get().kind() != Kind.FUNDING) {
                return RailResult.failed(new RailError(RailError.NOT_FOUND, "no funding " + transferId));
            }
            Entry e = found.get();
            if (e.stage() != Stage.OPEN) {
                return queryFunding(e);
            }
            if (!clock.instant().isBefore(e.expiresAt())) {
                return queryFunding(e);
            }
            String expected =
                    OpenPaymentsClient.interactionHash(e.clientNonce(), e.asNonce(), interactRef, e.authServer());
            if (!OpenPaymentsClient.hashMatches(expected, hash)) {
                // Anybody can call the callback; a wrong hash must not fail the funding, only be ignored.
                return new RailResult(
                        Stage.OPEN == e.stage() ? dev.holdfast.spi.RailStatus.PENDING : null,
                        e.incomingPayment(),
                        null,
                        new RailError("INTERACTION_HASH_MISMATCH", "the finish redirect's hash does not match"),
                        instruction(e));
            }
            try {
                GrantResponse g = client.continueGrant(e.continueUri(), e.continueToken(), interactRef);
                WalletAddress buyer = wallet(e.buyerWallet());
                JsonObject quote = quote(buyer, e.incomingPayment());
                client.post(
                        buyer.resourceServer() + "/outgoing-payments",
                        g.token(),
                        Json.createObjectBuilder()
                                .add("walletAddress", e.buyerWallet())
                                .add("quoteId", quote.getString("id"))
                                .add("metadata", Json.createObjectBuilder().add(META_TRANSFER, transferId.value()))
                                .build());
                Entry paying = e.withStage(Stage.PAYING);
                log.update(paying);
                revokeQuietly(g.token());
                return queryFunding(paying);
            } catch (OpenPaymentsException ex) {
                if (ex.outcomeUnknown()) {
                    Entry paying = e.withStage(Stage.PAYING);
                    log.update(paying);
                    return queryFunding(paying);
                }
                Entry failed = e.failed(new RailError(
                        ex.code().equals("OP_USER_DENIED") ? "CONSENT_DENIED" : ex.code(), ex.getMessage()));
                log.update(failed);
                completeQuietly(wallet(escrowWallet), e.incomingPayment());
                return queryFunding(failed);
            }
        }
    }

    /**
     * Handles a finish redirect that says the buyer refused ({@code result=grant_rejected}).
     *
     * @param transferId the funding
     * @return FAILED with {@code CONSENT_DENIED}, or the funding's outcome when it is past waiting for consent
     */
    public RailResult onInteractionRejected(TransferId transferId) {
        synchronized (lock(transferId.value())) {
            Optional<Entry> e = log.find(transferId);
            if (e.isPresent() && e.get().kind() == Kind.FUNDING && e.get().stage() == Stage.OPEN) {
                log.update(e.get().failed(new RailError("CONSENT_DENIED", "the buyer refused the grant")));
                completeQuietly(wallet(escrowWallet), e.get().incomingPayment());
            }
            return query(transferId);
        }
    }

    /**
     * The host's generic callback endpoint hands the finish redirects here ({@code finishUriBase} should be that
     * endpoint, e.g. {@code https://host/api/holdfast/v1/rails/openpayments/callback}): path {@code escrow-grant}
     * completes the escrow grant ({@link #completeEscrowGrant}); any other path is a funding's transfer id, whose
     * redirect carries {@code interact_ref} and {@code hash} ({@link #onInteractionFinished}) or {@code
     * result=grant_rejected} ({@link #onInteractionRejected}).
     *
     * @param callback the redirect's path after {@code /callback/} and its query
     * @return the funding's outcome (a redirect whose hash does not match answers PENDING with {@code
     *     INTERACTION_HASH_MISMATCH} and changes nothing); for the escrow grant SUCCEEDED with reference {@code
     *     escrow-grant}, or FAILED with {@code INTERACTION_HASH_MISMATCH}; FAILED {@link RailError#INVALID_CALLBACK}
     *     when the path or parameters are missing
     */
    @Override
    public RailResult onCallback(RailCallback callback) {
        String path = callback.path();
        Optional<String> result = callback.first("result");
        Optional<String> interactRef = callback.first("interact_ref");
        Optional<String> hash = callback.first("hash");
        if (path.isEmpty() || path.contains("/")) {
            return invalidCallback("expected the path /callback/<transfer id> or /callback/escrow-grant");
        }
        if (path.equals("escrow-grant")) {
            if (interactRef.isEmpty() || hash.isEmpty()) {
                return invalidCallback("the escrow grant's redirect needs interact_ref and hash");
            }
            try {
                completeEscrowGrant(interactRef.get(), hash.get());
                return RailResult.succeeded("escrow-grant", null);
            } catch (IllegalStateException e) {
                return RailResult.failed(new RailError("INTERACTION_HASH_MISMATCH", e.getMessage()));
            } catch (OpenPaymentsException e) {
                return RailResult.failed(new RailError(e.code(), e.getMessage()));
            }
        }
        TransferId transferId;
        try {
            transferId = TransferId.of(path);
        } catch (RuntimeException e) {
            return invalidCallback("not a transfer id: " + path);
        }
        if (result.filter("grant_rejected"::equals).isPresent()) {
            return onInteractionRejected(transferId);
        }
        if (interactRef.isEmpty()) {
            return invalidCallback("the finish redirect needs interact_ref and hash, or result=grant_rejected");
        }
        return onInteractionFinished(transferId, interactRef.get(), hash.orElse(null));
    }

    private static RailResult invalidCallback(String message) {
        return RailResult.failed(new RailError(RailError.INVALID_CALLBACK, message));
    }

    @Override
    public RailResult cancelFunding(TransferId fundingTransferId) {
        Objects.requireNonNull(fundingTransferId, "fundingTransferId");
        synchronized (lock(fundingTransferId.value())) {
            Optional<Entry> found = log.find(fundingTransferId);
            if (found.isEmpty()) {
                log.insertIfAbsent(new Entry.Builder(fundingTransferId, Kind.TOMBSTONE, Stage.CANCELLED).build());
                return RailResult.succeeded(null, null);
            }
            Entry e = found.get();
            if (e.kind() == Kind.TOMBSTONE) {
                return RailResult.succeeded(null, null);
            }
            if (e.kind() != Kind.FUNDING) {
                return RailResult.failed(new RailError("NOT_A_FUNDING", fundingTransferId + " is a payout"));
            }
            e = refresh(e);
            switch (e.stage()) {
                case OPEN, FAILED -> {
                    // Completing the incoming payment closes it to any payment; the grant is never continued.
                    if (e.incomingPayment() != null) {
                        completeQuietly(wallet(escrowWallet), e.incomingPayment());
                    }
                    log.update(e.withStage(Stage.CANCELLED));
                    return RailResult.succeeded(null, null);
                }
                case CANCELLED -> {
                    return RailResult.succeeded(null, null);
                }
                case PAYING -> {
                    return RailResult.pending(e.incomingPayment(), null);
                }
                default -> {
                    // FUNDED or CANCELLING
                }
            }
            boolean drawn = log.drawsOn(fundingTransferId).stream().anyMatch(p -> p.stage() != Stage.FAILED);
            if (drawn) {
                return RailResult.failed(
                        new RailError("ALREADY_DRAWN", "a payout drew on the funding; refund the rest by payout"));
            }
            Entry cancelling = e.withStage(Stage.CANCELLING);
            log.update(cancelling);
            Leg leg = leg("refund:" + fundingTransferId.value(), escrowWallet, e.buyerWallet(), e.amount());
            leg = advance(leg);
            return cancelOutcome(cancelling, leg);
        }
    }

    private RailResult cancelOutcome(Entry cancelling, Leg leg) {
        switch (leg.stage()) {
            case DONE -> {
                log.update(cancelling.withStage(Stage.CANCELLED));
                return RailResult.succeeded(leg.outgoingPayment(), leg.railFee());
            }
            case FAILED -> {
                // The refund did not happen: the funds are still held, and a new cancel may try again.
                log.update(cancelling.withStage(Stage.FUNDED));
                log.saveLeg(new Leg(
                        leg.legId() + "#" + random.nextInt(1_000_000),
                        leg.from(),
                        leg.to(),
                        leg.amount(),
                        LegStage.FAILED,
                        null,
                        null,
                        null,
                        leg.error()));
                return RailResult.failed(leg.error());
            }
            default -> {
                return leg.outgoingPayment() == null
                        ? RailResult.unknown(new RailError(RailError.TIMEOUT, "the refund's answer was lost"))
                        : RailResult.pending(leg.outgoingPayment(), null);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ payouts

    @Override
    public RailResult payout(PayoutRequest request) {
        Objects.requireNonNull(request, "request");
        String fingerprint = request.kind() + "|" + request.fundingTransferId() + "|" + request.amount() + "|"
                + request.platformFee() + "|" + request.destination();
        synchronized (lock(request.transferId().value())) {
            Optional<Entry> existing = log.find(request.transferId());
            if (existing.isPresent()) {
                if (!fingerprint.equals(existing.get().fingerprint())) {
                    return RailResult.failed(
                            new RailError("TRANSFER_ID_REUSED", "a different request under a used transfer id"));
                }
                return query(request.transferId());
            }
            Kind kind = request.kind() == PayoutKind.WITHDRAWAL ? Kind.WITHDRAWAL : Kind.PAYOUT;
            Entry.Builder b = new Entry.Builder(request.transferId(), kind, Stage.RESERVED);
            b.amount = request.amount();
            b.platformFee = request.platformFee();
            b.fundingTransferId = request.fundingTransferId();
            b.fingerprint = fingerprint;
            RailError invalid = validatePayout(request);
            String destination = null;
            if (invalid == null) {
                try {
                    destination = destination(request);
                } catch (IllegalArgumentException e) {
                    invalid = new RailError("INVALID_DESTINATION", e.getMessage());
                }
            }
            b.destination = destination;
            if (invalid != null) {
                log.insertIfAbsent(b.build());
                return fail(b, invalid);
            }
            String reservation = kind == Kind.WITHDRAWAL
                    ? "platform"
                    : request.fundingTransferId().value();
            synchronized (lock("draws:" + reservation)) {
                RailError refused = kind == Kind.WITHDRAWAL ? null : checkDraw(request);
                log.insertIfAbsent(b.build());
                if (refused != null) {
                    return fail(b, refused);
                }
            }
            return advancePayout(b.build());
        }
    }

    private RailResult advancePayout(Entry e) {
        if (e.stage() != Stage.RESERVED) {
            return payoutResult(e);
        }
        boolean internal = INTERNAL.equals(e.destination());
        String from = e.kind() == Kind.WITHDRAWAL ? platformWallet : escrowWallet;
        Money mainAmount = internal ? e.drawn() : e.amount();
        Leg main = advance(leg(e.transferId().value(), from, internal ? platformWallet : e.destination(), mainAmount));
        if (main.stage() == LegStage.FAILED) {
            Entry failed = e.failed(main.error());
            log.update(failed);
            return payoutResult(failed);
        }
        if (main.stage() != LegStage.DONE) {
            return main.outgoingPayment() == null
                    ? RailResult.unknown(new RailError(RailError.TIMEOUT, "the payment's answer was lost"))
                    : RailResult.pending(main.outgoingPayment(), null);
        }
        Money fee = main.railFee();
        if (!internal && e.kind() == Kind.PAYOUT && e.platformFee().isPositive()) {
            Leg feeLeg = advance(leg("fee:" + e.transferId().value(), escrowWallet, platformWallet, e.platformFee()));
            if (feeLeg.stage() != LegStage.DONE) {
                // The destination is paid; only the sweep of the platform's fee is outstanding, retried by query.
                if (feeLeg.stage() == LegStage.FAILED) {
                    log.saveLeg(new Leg(
                            feeLeg.legId(),
                            feeLeg.from(),
                            feeLeg.to(),
                            feeLeg.amount(),
                            LegStage.PREPARED,
                            null,
                            null,
                            null,
                            feeLeg.error()));
                }
                return RailResult.pending(main.outgoingPayment(), null);
            }
            fee = fee.plus(feeLeg.railFee());
        }
        Entry.Builder done = e.toBuilder();
        done.stage = Stage.SUCCEEDED;
        done.railFee = fee.isZero() ? null : fee;
        log.update(done.build());
        return payoutResult(done.build());
    }

    private RailResult payoutResult(Entry e) {
        String reference = INTERNAL.equals(e.destination())
                ? "internal:" + e.transferId().value()
                : log.leg(e.transferId().value()).map(Leg::outgoingPayment).orElse(null);
        return switch (e.stage()) {
            case SUCCEEDED -> RailResult.succeeded(reference, e.railFee());
            case FAILED -> RailResult.failed(e.error());
            default -> RailResult.pending(reference, null);
        };
    }

    private RailError checkDraw(PayoutRequest request) {
        Optional<Entry> funding = log.find(request.fundingTransferId()).map(this::refresh);
        if (funding.isEmpty() || funding.get().kind() != Kind.FUNDING) {
            return new RailError("FUNDING_NOT_FOUND", "no funding " + request.fundingTransferId());
        }
        Entry f = funding.get();
        if (f.stage() != Stage.FUNDED) {
            return new RailError("FUNDING_NOT_HELD", "the funding is " + f.stage());
        }
        if (!f.amount().asset().equals(request.amount().asset())) {
            return new RailError(
                    "ASSET_MISMATCH", "the funding is in " + f.amount().asset());
        }
        long drawn = 0;
        for (Entry p : log.drawsOn(f.transferId())) {
            if (p.stage() != Stage.FAILED) {
                drawn = Math.addExact(drawn, p.drawn().minor());
            }
        }
        long remaining = f.amount().minor() - drawn;
        if (request.drawn().minor() > remaining) {
            return new RailError("INSUFFICIENT_FUNDS", "drawing " + request.drawn() + " of " + remaining + " left");
        }
        return null;
    }

    private RailError validatePayout(PayoutRequest request) {
        if (!request.amount().isPositive()) {
            return new RailError("INVALID_AMOUNT", "a payout must be positive");
        }
        if (request.platformFee().isNegative()
                || !request.platformFee().asset().equals(request.amount().asset())) {
            return new RailError("INVALID_FEE", "the platform fee must be >= 0 in the payout's asset");
        }
        if (!request.amount().asset().equals(config.asset())) {
            return new RailError("ASSET_MISMATCH", "the rail holds " + config.asset());
        }
        if (request.kind() != PayoutKind.WITHDRAWAL && request.fundingTransferId() == null) {
            return new RailError("FUNDING_NOT_FOUND", "a release or refund needs a funding");
        }
        return null;
    }

    private String destination(PayoutRequest request) {
        PayoutDestination d = request.destination();
        if (d instanceof PayoutDestination.InternalBalance) {
            if (request.kind() == PayoutKind.WITHDRAWAL) {
                throw new IllegalArgumentException("a withdrawal cannot go to the internal balance");
            }
            return INTERNAL;
        }
        if (d instanceof PayoutDestination.FundingSource) {
            return log.find(request.fundingTransferId())
                    .map(Entry::buyerWallet)
                    .orElseThrow(() -> new IllegalArgumentException("the funding source is unknown"));
        }
        return WalletAddresses.parse(((PayoutDestination.RailAddress) d).address(), config.allowInsecureHttp());
    }

    // ------------------------------------------------------------------------------------------ query

    @Override
    public RailResult query(TransferId transferId) {
        Objects.requireNonNull(transferId, "transferId");
        synchronized (lock(transferId.value())) {
            Optional<Entry> found = log.find(transferId);
            if (found.isEmpty()) {
                return RailResult.failed(new RailError(RailError.NOT_FOUND, "never saw " + transferId));
            }
            Entry e = found.get();
            return switch (e.kind()) {
                case TOMBSTONE -> RailResult.failed(new RailError("CANCELLED", "cancelled before it opened"));
                case FUNDING -> {
                    if (e.stage() == Stage.CANCELLING) {
                        Leg leg =
                                advance(log.leg("refund:" + transferId.value()).orElseThrow());
                        RailResult r = cancelOutcome(e, leg);
                        yield r.status() == dev.holdfast.spi.RailStatus.SUCCEEDED
                                ? RailResult.failed(new RailError("CANCELLED", "the buyer was refunded"))
                                : r.status() == dev.holdfast.spi.RailStatus.FAILED
                                        ? queryFunding(log.find(transferId).orElseThrow())
                                        : RailResult.pending(e.incomingPayment(), null);
                    }
                    yield queryFunding(refresh(e));
                }
                default -> advancePayout(e);
            };
        }
    }

    @Override
    public RailResult submitPartyResponse(TransferId transferId, Role party, String payload) {
        // This rail never asks for signatures: a response changes nothing (RC-11).
        return query(transferId);
    }

    private RailResult queryFunding(Entry e) {
        return switch (e.stage()) {
            case OPEN -> clock.instant().isBefore(e.expiresAt())
                    ? RailResult.pending(e.incomingPayment(), instruction(e))
                    : RailResult.failed(new RailError("EXPIRED", "not paid by " + e.expiresAt()));
            case PAYING -> RailResult.pending(e.incomingPayment(), null);
            case FUNDED -> RailResult.succeeded(e.incomingPayment(), null);
            case CANCELLING -> RailResult.pending(e.incomingPayment(), null);
            case CANCELLED -> RailResult.failed(new RailError("CANCELLED", "the funding was cancelled"));
            default -> RailResult.failed(e.error() == null ? new RailError("FAILED", "") : e.error());
        };
    }

    private PartyInstruction instruction(Entry e) {
        return e.interactUrl() == null
                ? null
                : new PartyInstruction.ApproveAt(Role.BUYER, e.interactUrl(), e.expiresAt());
    }

    /** Brings a funding's stage up to date with the escrow wallet's incoming payment. */
    private Entry refresh(Entry e) {
        if (e.kind() != Kind.FUNDING || (e.stage() != Stage.PAYING && e.stage() != Stage.OPEN)) {
            return e;
        }
        if (e.stage() == Stage.OPEN) {
            if (!clock.instant().isBefore(e.expiresAt())) {
                Entry lapsed = e.failed(new RailError("EXPIRED", "not paid by " + e.expiresAt()));
                log.update(lapsed);
                return lapsed;
            }
            return e;
        }
        try {
            WalletAddress escrow = wallet(escrowWallet);
            JsonObject ip =
                    withToken(escrow.authServer(), "incoming-payment", null, t -> client.get(e.incomingPayment(), t));
            long received = value(ip.getJsonObject("receivedAmount"), escrow);
            if (received >= e.amount().minor()) {
                if (!ip.getBoolean("completed", false)) {
                    completeQuietly(escrow, e.incomingPayment());
                }
                Entry funded = e.withStage(Stage.FUNDED);
                log.update(funded);
                listener.onNotification(new RailNotification.Funded(e.transferId(), e.incomingPayment(), e.amount()));
                return funded;
            }
            if (!clock.instant().isBefore(e.expiresAt())) {
                Entry lapsed = e.failed(new RailError("EXPIRED", "not paid by " + e.expiresAt()));
                log.update(lapsed);
                return lapsed;
            }
        } catch (OpenPaymentsException ignored) {
            // Unreachable for now: the funding stays as it was and the next query or poll looks again.
        }
        return e;
    }

    private void poll() {
        try {
            for (Entry e : log.unresolved()) {
                if (e.kind() == Kind.FUNDING && e.stage() == Stage.PAYING) {
                    synchronized (lock(e.transferId().value())) {
                        log.find(e.transferId()).ifPresent(this::refresh);
                    }
                }
            }
        } catch (RuntimeException ignored) {
            // The poller must survive anything; queries make up for a missed round.
        }
    }

    // ------------------------------------------------------------------------------------------ legs

    private Leg leg(String legId, String from, String to, Money amount) {
        Optional<Leg> existing = log.leg(legId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Leg leg = new Leg(legId, from, to, amount, LegStage.PREPARED, null, null, null, null);
        log.saveLeg(leg);
        return leg;
    }

    /** Moves a leg as far as it goes now: creates what is missing, or looks up what was sent. */
    private Leg advance(Leg leg) {
        Leg l = leg;
        try {
            if (l.stage() == LegStage.PREPARED) {
                final Leg cur = l;
                if (escrowGrant == null) {
                    return save(l, LegStage.FAILED, new RailError("NO_ESCROW_GRANT", "requestEscrowGrant first"));
                }
                WalletAddress to = checkedWallet(l.to());
                WalletAddress from = wallet(l.from());
                JsonObject ip = withToken(
                        to.authServer(),
                        "incoming-payment",
                        null,
                        t -> client.post(
                                to.resourceServer() + "/incoming-payments",
                                t,
                                Json.createObjectBuilder()
                                        .add("walletAddress", cur.to())
                                        .add(
                                                "incomingAmount",
                                                amountJson(cur.amount().minor(), to))
                                        .add(
                                                "metadata",
                                                Json.createObjectBuilder().add(META_LEG, cur.legId()))
                                        .build()));
                JsonObject quote = quote(from, ip.getString("id"));
                long receive = value(quote.getJsonObject("receiveAmount"), to);
                long debit = value(quote.getJsonObject("debitAmount"), from);
                if (receive != l.amount().minor()) {
                    return save(l, LegStage.FAILED, new RailError("QUOTE_MISMATCH", "the quote delivers " + receive));
                }
                Money railFee = Money.of(debit - receive, l.amount().asset());
                l = new Leg(
                        l.legId(),
                        l.from(),
                        l.to(),
                        l.amount(),
                        LegStage.SENT,
                        ip.getString("id"),
                        null,
                        railFee,
                        null);
                log.saveLeg(l);
                try {
                    JsonObject op = escrowCall(t -> client.post(
                            from.resourceServer() + "/outgoing-payments",
                            t,
                            Json.createObjectBuilder()
                                    .add("walletAddress", leg.from())
                                    .add("quoteId", quote.getString("id"))
                                    .add("metadata", Json.createObjectBuilder().add(META_LEG, leg.legId()))
                                    .build()));
                    l = withOutgoing(l, op.getString("id"));
                } catch (OpenPaymentsException e) {
                    if (!e.outcomeUnknown()) {
                        return save(l, LegStage.FAILED, new RailError(e.code(), e.getMessage()));
                    }
                    return l;
                }
            }
            if (l.stage() == LegStage.SENT) {
                WalletAddress from = wallet(l.from());
                final String sentUrl = l.outgoingPayment();
                JsonObject op = l.outgoingPayment() == null
                        ? findOutgoing(from, l.legId())
                        : escrowCall(t -> client.get(sentUrl, t));
                if (op == null) {
                    return save(l, LegStage.FAILED, new RailError("NOT_SENT", "the outgoing payment was never made"));
                }
                l = withOutgoing(l, op.getString("id"));
                if (op.getBoolean("failed", false)) {
                    return save(l, LegStage.FAILED, new RailError("PAYMENT_FAILED", "the outgoing payment failed"));
                }
                WalletAddress to = wallet(l.to());
                String ipUrl = l.incomingPayment();
                JsonObject ip = withToken(to.authServer(), "incoming-payment", null, t -> client.get(ipUrl, t));
                if (value(ip.getJsonObject("receivedAmount"), to) >= l.amount().minor()) {
                    return save(l, LegStage.DONE, null);
                }
            }
            return l;
        } catch (OpenPaymentsException e) {
            if (l.stage() == LegStage.PREPARED) {
                // Nothing that moves money was created yet: failing is final and safe.
                return save(l, LegStage.FAILED, new RailError(e.code(), e.getMessage()));
            }
            return l;
        } catch (IllegalArgumentException e) {
            return save(l, LegStage.FAILED, new RailError("INVALID_DESTINATION", e.getMessage()));
        }
    }

    private Leg withOutgoing(Leg l, String url) {
        Leg next = new Leg(
                l.legId(), l.from(), l.to(), l.amount(), l.stage(), l.incomingPayment(), url, l.railFee(), l.error());
        log.saveLeg(next);
        return next;
    }

    private Leg save(Leg l, LegStage stage, RailError error) {
        Leg next = new Leg(
                l.legId(),
                l.from(),
                l.to(),
                l.amount(),
                stage,
                l.incomingPayment(),
                l.outgoingPayment(),
                l.railFee(),
                error);
        log.saveLeg(next);
        return next;
    }

    private JsonObject findOutgoing(WalletAddress from, String legId) {
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            String url = from.resourceServer() + "/outgoing-payments?wallet-address="
                    + URLEncoder.encode(from.id(), StandardCharsets.UTF_8) + "&first=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonObject list = escrowCall(t -> client.get(url, t));
            for (JsonValue v : list.getJsonArray("result")) {
                JsonObject op = v.asJsonObject();
                JsonObject meta = op.getJsonObject("metadata");
                if (meta != null && legId.equals(meta.getString(META_LEG, null))) {
                    return op;
                }
            }
            JsonObject pagination = list.getJsonObject("pagination");
            if (pagination == null || !pagination.getBoolean("hasNextPage", false)) {
                return null;
            }
            cursor = pagination.getString("endCursor");
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ calls

    private JsonObject quote(WalletAddress from, String receiver) {
        return withToken(
                from.authServer(),
                "quote",
                null,
                t -> client.post(
                        from.resourceServer() + "/quotes",
                        t,
                        Json.createObjectBuilder()
                                .add("walletAddress", from.id())
                                .add("receiver", receiver)
                                .add("method", "ilp")
                                .build()));
    }

    /** Calls with a cached non-interactive token; an expired token is rotated, a lost one replaced by a new grant. */
    private JsonObject withToken(
            String authServer, String type, String identifier, Function<AccessToken, JsonObject> call) {
        String key = authServer + "|" + type + "|" + identifier;
        AccessToken token = tokens.computeIfAbsent(key, k -> newToken(authServer, type, identifier));
        try {
            return call.apply(token);
        } catch (OpenPaymentsException e) {
            if (e.status() != 401 || !e.code().equals("OP_INVALID_TOKEN")) {
                throw e;
            }
            // A 401 means the request was not acted on, so one retry with a fresh token is safe.
            AccessToken fresh;
            try {
                fresh = client.rotate(token);
            } catch (OpenPaymentsException rotation) {
                fresh = newToken(authServer, type, identifier);
            }
            tokens.put(key, fresh);
            return call.apply(fresh);
        }
    }

    private JsonObject escrowCall(Function<AccessToken, JsonObject> call) {
        AccessToken token = escrowGrant;
        if (token == null) {
            throw new OpenPaymentsException(0, "NO_ESCROW_GRANT", "requestEscrowGrant first", false);
        }
        try {
            return call.apply(token);
        } catch (OpenPaymentsException e) {
            if (e.status() != 401 || !e.code().equals("OP_INVALID_TOKEN")) {
                throw e;
            }
            synchronized (this) {
                if (escrowGrant == token) {
                    escrowGrant = client.rotate(token);
                }
            }
            return call.apply(escrowGrant);
        }
    }

    private AccessToken newToken(String authServer, String type, String identifier) {
        var access = Json.createObjectBuilder()
                .add("type", type)
                .add(
                        "actions",
                        type.equals("quote")
                                ? Json.createArrayBuilder().add("create").add("read")
                                : Json.createArrayBuilder()
                                        .add("create")
                                        .add("read")
                                        .add("complete"));
        if (identifier != null) {
            access.add("identifier", identifier);
        }
        return client.grant(authServer, Json.createArrayBuilder().add(access).build(), null, null)
                .token();
    }

    private void completeQuietly(WalletAddress escrow, String incomingPayment) {
        try {
            withToken(
                    escrow.authServer(),
                    "incoming-payment",
                    null,
                    t -> client.post(incomingPayment + "/complete", t, null));
        } catch (OpenPaymentsException ignored) {
            // Best effort: an uncompleted incoming payment still expires at fundBy, and the grant is never continued.
        }
    }

    private void revokeQuietly(AccessToken token) {
        try {
            if (token != null && token.manage() != null) {
                client.revoke(token);
            }
        } catch (OpenPaymentsException ignored) {
            // The platform keeps no standing access to the buyer's wallet; a failed revoke only lets it expire.
        }
    }

    private WalletAddress wallet(String url) {
        return wallets.computeIfAbsent(url, client::walletAddress);
    }

    private WalletAddress checkedWallet(String url) {
        WalletAddress w = wallet(url);
        if (!w.assetCode().equals(config.asset().code())
                || w.assetScale() != config.asset().scale()) {
            throw new OpenPaymentsException(
                    0, "ASSET_MISMATCH", url + " holds " + w.assetCode() + "/" + w.assetScale(), false);
        }
        return w;
    }

    private static JsonObject outgoingAccess(String wallet, JsonObject limits) {
        var a = Json.createObjectBuilder()
                .add("type", "outgoing-payment")
                .add(
                        "actions",
                        Json.createArrayBuilder().add("create").add("read").add("list"))
                .add("identifier", wallet);
        if (limits != null) {
            a.add("limits", limits);
        }
        return a.build();
    }

    private static JsonObject amountJson(long minor, WalletAddress w) {
        return Json.createObjectBuilder()
                .add("value", Long.toString(minor))
                .add("assetCode", w.assetCode())
                .add("assetScale", w.assetScale())
                .build();
    }

    private static long value(JsonObject amount, WalletAddress w) {
        if (amount == null
                || !w.assetCode().equals(amount.getString("assetCode", null))
                || w.assetScale() != amount.getInt("assetScale", -1)) {
            throw new OpenPaymentsException(0, "ASSET_MISMATCH", "amount not in " + w.assetCode(), false);
        }
        String v = amount.getString("value", "");
        if (!v.matches("[0-9]{1,18}")) {
            throw new OpenPaymentsException(0, "BAD_RESPONSE", "amount value " + v, false);
        }
        return Long.parseLong(v);
    }

    private RailError validateFunding(Money amount) {
        if (!amount.asset().equals(config.asset())) {
            return new RailError("UNSUPPORTED_ASSET", amount.asset() + " is not " + config.asset());
        }
        if (!capabilities.assets().get(0).accepts(amount)) {
            return new RailError("INVALID_AMOUNT", amount + " is outside the rail's limits");
        }
        return null;
    }

    private RailResult fail(Entry.Builder b, RailError error) {
        b.stage = Stage.FAILED;
        b.error = error;
        log.update(b.build());
        return RailResult.failed(error);
    }

    private String nonce() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private Object lock(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    /** @return the transfer log this rail keeps, for the provider's tests */
    OpenPaymentsTransferLog transferLog() {
        return log;
    }
}
