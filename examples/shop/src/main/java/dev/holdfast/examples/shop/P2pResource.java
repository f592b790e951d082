package dev.holdfast.examples.shop;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.BondTerms;
import dev.holdfast.api.BondView;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowPage;
import dev.holdfast.api.EscrowQuery;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.Role;
import dev.holdfast.spi.EvidenceStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The P2P desk (the OpenPleb flow) mapped onto escrows: a maker wants a bank payment made and pays bitcoin for it.
 * The maker is the escrow's buyer, the taker its seller; the bank payment is the one milestone.
 *
 * <ol>
 *   <li>The maker posts an offer (sats, the fiat amount, the bank QR / reference). Until claimed it is a shop record:
 *       an escrow names both parties, so it is created at the claim.
 *   <li>A taker claims it: the server creates a Lightning escrow (buyer = maker, seller = taker, deliver within the
 *       claim window) and requires a bond from the taker (10 %, forfeited to the maker if a dispute is decided against
 *       the taker). The maker pays the hold invoice, the taker pays the bond invoice.
 *   <li>Once FUNDED, the taker pays the bank out of band and uploads the receipt: stored in the plugin's evidence
 *       store, and the milestone is marked delivered.
 *   <li>The maker accepts (the taker is paid, the bond returned) or opens a dispute; the receipt goes in as evidence
 *       and the arbiter decides. A claim that is not delivered in time can be refunded or disputed by the maker.
 * </ol>
 *
 * Open offers and receipt references live in memory (a demo); claimed trades are escrows and survive restarts.
 */
@ApplicationScoped
@Path("shop/p2p")
@Produces(MediaType.APPLICATION_JSON)
public class P2pResource {
    /** The taker's time to pay the bank and upload the receipt. */
    static final Duration CLAIM_WINDOW = Duration.ofHours(1);
    /** The taker's bond, in basis points of the trade. */
    static final int BOND_BASIS_POINTS = 1_000;

    private static final long MIN_SATS = 1_000;
    private static final long MAX_SATS = 5_000_000;

    @Inject
    EscrowEngine engine;

    @Inject
    ShopSetup setup;

    @Inject
    EvidenceStore evidence;

    @Inject
    Clock clock;

    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final Map<String, EvidenceStore.StoredEvidence> receipts = new ConcurrentHashMap<>();

    /** Public for RESTEasy. */
    public P2pResource() {}

    record Offer(String id, String maker, long sats, String fiat, String bankQr, Instant createdAt) {}

    /**
     * @param security any user
     * @return open offers and the caller's trades (all trades for the arbiter and the operator)
     */
    @GET
    public Map<String, Object> desk(@Context SecurityContext security) {
        PartyId me = ShopResource.user(security);
        boolean all = security.isUserInRole("holdfast-operator") || security.isUserInRole("holdfast-arbiter");
        List<Map<String, Object>> trades = new ArrayList<>();
        String cursor = null;
        do {
            EscrowPage page = engine.list(new EscrowQuery(all ? null : me, Set.of(), cursor, EscrowQuery.MAX_LIMIT));
            for (EscrowView v : page.items()) {
                if ("true".equals(v.metadata().get("p2p"))) {
                    trades.add(trade(v));
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return Map.of(
                "offers",
                offers.values().stream()
                        .sorted(java.util.Comparator.comparing(Offer::createdAt))
                        .toList(),
                "trades",
                trades);
    }

    private Map<String, Object> trade(EscrowView v) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("escrowId", v.id().value());
        t.put("maker", v.buyer().value());
        t.put("taker", v.seller().value());
        t.put("sats", v.amount().minor() / 1_000);
        t.put("fiat", v.metadata().getOrDefault("fiat", ""));
        t.put("bankQr", v.metadata().getOrDefault("bankQr", ""));
        t.put("status", v.status().name());
        t.put("milestoneStatus", v.milestones().get(0).status().name());
        t.put(
                "bondStatus",
                v.bonds().stream()
                        .map(BondView::status)
                        .map(Enum::name)
                        .findFirst()
                        .orElse(""));
        EvidenceStore.StoredEvidence r = receipts.get(v.id().value());
        t.put("receipt", r == null ? "" : r.sha256());
        return t;
    }

    /**
     * A maker posts an offer.
     *
     * @param security the maker
     * @param body {@code {"sats": 20000, "fiat": "EUR 20.00", "bankQr": "..."}}
     * @return the offer
     */
    @POST
    @Path("offers")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response offer(@Context SecurityContext security, JsonObject body) {
        if (body == null) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "a JSON body {sats, fiat, bankQr} is required");
        }
        JsonValue sats = body.get("sats");
        if (!(sats instanceof JsonNumber n)
                || !n.isIntegral()
                || n.longValue() < MIN_SATS
                || n.longValue() > MAX_SATS) {
            throw new EscrowException(
                    ErrorCode.INVALID_REQUEST, "sats must be a whole number from " + MIN_SATS + " to " + MAX_SATS);
        }
        String fiat = text(body, "fiat", 40);
        String bankQr = text(body, "bankQr", 500);
        Offer o = new Offer(
                "offer-" + UUID.randomUUID().toString().substring(0, 8),
                ShopResource.user(security).value(),
                ((JsonNumber) sats).longValue(),
                fiat,
                bankQr,
                clock.instant());
        offers.put(o.id(), o);
        return Response.status(Response.Status.CREATED).entity(o).build();
    }

    private static String text(JsonObject body, String field, int max) {
        JsonValue v = body.get(field);
        if (!(v instanceof JsonString s)
                || s.getString().isBlank()
                || s.getString().length() > max) {
            throw new EscrowException(
                    ErrorCode.INVALID_REQUEST, field + " is required (at most " + max + " characters)");
        }
        return s.getString().strip();
    }

    /**
     * A taker claims an offer: the escrow and the taker's bond are created.
     *
     * @param security the taker
     * @param offerId the offer
     * @return the escrow id
     */
    @POST
    @Path("offers/{offerId}/claim")
    public Map<String, Object> claim(@Context SecurityContext security, @PathParam("offerId") String offerId) {
        PartyId taker = ShopResource.user(security);
        Offer o = offers.get(offerId);
        if (o == null) {
            throw new EscrowException(ErrorCode.RESOURCE_NOT_FOUND, "shop/p2p/offers/" + offerId);
        }
        PartyId maker = PartyId.of(o.maker());
        if (maker.equals(taker)) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "you cannot claim your own offer");
        }
        if (!offers.remove(offerId, o)) {
            throw new EscrowException(ErrorCode.INVALID_STATE, "claim", "offer " + offerId, "already claimed");
        }
        try {
            Instant now = clock.instant();
            PayoutDestination takerPayout = setup.payoutProfile(taker, Pricing.LIGHTNING)
                    .orElseThrow(() -> new EscrowException(
                            ErrorCode.INVALID_REQUEST, "you have no Lightning payout address in your profile"));
            PayoutDestination makerRefund =
                    setup.payoutProfile(maker, Pricing.LIGHTNING).orElse(PayoutDestination.fundingSource());
            Money amount = Money.of(Math.multiplyExact(o.sats(), 1_000L), Asset.BTC_MSAT);
            EscrowView created = engine.submit(
                    IdempotencyKey.of("p2p-claim-" + offerId),
                    new EscrowCommand.CreateEscrow(
                            Actor.buyer(maker),
                            maker,
                            taker,
                            Pricing.LIGHTNING,
                            amount,
                            List.of(new MilestoneSpec(
                                    MilestoneId.of("m1"),
                                    "Bank payment " + o.fiat(),
                                    amount.minor(),
                                    now.plus(CLAIM_WINDOW))),
                            Checkout.FEE,
                            now.plus(Duration.ofMinutes(30)),
                            Duration.ofHours(1),
                            Duration.ofHours(8),
                            takerPayout,
                            makerRefund,
                            "p2p:" + offerId,
                            Map.of("p2p", "true", "fiat", o.fiat(), "bankQr", o.bankQr())));
            engine.submit(
                    IdempotencyKey.of("p2p-bond-" + offerId),
                    new EscrowCommand.RequireBond(
                            Actor.platform(),
                            created.id(),
                            BondTerms.basisPoints(
                                    Role.SELLER, BOND_BASIS_POINTS, BondTerms.BondForfeit.toCounterparty())));
            return Map.of("escrowId", created.id().value());
        } catch (RuntimeException e) {
            offers.putIfAbsent(offerId, o);
            throw e;
        }
    }

    /**
     * The taker uploads the bank receipt: stored in the evidence store; the bank payment milestone is delivered.
     *
     * @param security the taker
     * @param escrowId the trade
     * @param contentType the receipt's media type
     * @param body the receipt, at most 5 MB
     * @return the stored receipt's hash
     */
    @POST
    @Path("trades/{escrowId}/receipt")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> receipt(
            @Context SecurityContext security,
            @PathParam("escrowId") String escrowId,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body)
            throws IOException {
        PartyId me = ShopResource.user(security);
        EscrowView v = engine.get(EscrowId.of(escrowId));
        if (!v.seller().equals(me) || !"true".equals(v.metadata().get("p2p"))) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, me.value(), "upload a receipt to", escrowId);
        }
        byte[] bytes = body.readNBytes(5 * 1024 * 1024 + 1);
        if (bytes.length == 0 || bytes.length > 5 * 1024 * 1024) {
            throw new EscrowException(ErrorCode.INVALID_EVIDENCE, "the receipt must be 1 byte to 5 MB");
        }
        String type = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        EvidenceStore.StoredEvidence stored = evidence.put(bytes, type.split(";")[0].trim());
        engine.submit(
                IdempotencyKey.of("p2p-delivered-" + escrowId + "-" + stored.sha256()),
                new EscrowCommand.MarkDelivered(Actor.seller(me), v.id(), MilestoneId.of("m1")));
        receipts.put(escrowId, stored);
        return Map.of("sha256", stored.sha256(), "reference", stored.reference(), "size", stored.size());
    }

    /**
     * @param security the maker, the taker, an arbiter or the operator
     * @param escrowId the trade
     * @return the receipt's bytes
     */
    @GET
    @Path("trades/{escrowId}/receipt")
    @Produces(MediaType.WILDCARD)
    public Response receiptBytes(@Context SecurityContext security, @PathParam("escrowId") String escrowId) {
        PartyId me = ShopResource.user(security);
        EscrowView v = engine.get(EscrowId.of(escrowId));
        boolean allowed = v.buyer().equals(me)
                || v.seller().equals(me)
                || security.isUserInRole("holdfast-arbiter")
                || security.isUserInRole("holdfast-operator");
        if (!allowed) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, me.value(), "read the receipt of", escrowId);
        }
        EvidenceStore.StoredEvidence r = receipts.get(escrowId);
        if (r == null) {
            throw new EscrowException(ErrorCode.RESOURCE_NOT_FOUND, "shop/p2p/trades/" + escrowId + "/receipt");
        }
        byte[] bytes = evidence.get(r.reference())
                .orElseThrow(() -> new EscrowException(ErrorCode.EVIDENCE_NOT_FOUND, r.reference()));
        return Response.ok(bytes, r.mediaType()).build();
    }
}
