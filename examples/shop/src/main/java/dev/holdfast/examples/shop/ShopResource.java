package dev.holdfast.examples.shop;

import dev.holdfast.api.DisputeView;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowPage;
import dev.holdfast.api.EscrowQuery;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.RailId;
import io.nayuki.qrcodegen.QrCode;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The shop's own endpoints: who am I, the catalog, checkout, QR codes, the arbiter's and operator's case lists. */
@RequestScoped
@Path("shop")
@Produces(MediaType.APPLICATION_JSON)
public class ShopResource {
    /** The only fields a checkout request may carry: everything else (an amount, a fee) is the server's. */
    static final Set<String> CHECKOUT_FIELDS = Set.of("listing", "rail");

    @Inject
    EscrowEngine engine;

    @Inject
    ShopSetup setup;

    /** Public for RESTEasy, which wants a constructor it can call before CDI injects. */
    public ShopResource() {}

    /**
     * Who is logged in.
     *
     * @param security the caller
     * @return user, roles, whether the rails are simulated, the rails
     */
    @GET
    @Path("me")
    public Map<String, Object> me(@Context SecurityContext security) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("user", user(security).value());
        me.put("arbiter", security.isUserInRole("holdfast-arbiter"));
        me.put("operator", security.isUserInRole("holdfast-operator"));
        me.put("simulated", setup.simulated());
        me.put("rails", setup.enabledRails().stream().map(RailId::value).toList());
        return me;
    }

    /** @return the listings with their price on every rail the shop sells on */
    @GET
    @Path("catalog")
    public List<Map<String, Object>> catalog() {
        List<Map<String, Object>> out = new ArrayList<>();
        List<RailId> rails =
                setup.enabledRails().stream().filter(Pricing::supports).toList();
        for (Listing l : Catalog.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", l.id());
            m.put("kind", l.kind().name());
            m.put("title", l.title());
            m.put("description", l.description());
            m.put("seller", l.seller().value());
            m.put("priceCents", l.priceCents());
            Map<String, Object> prices = new LinkedHashMap<>();
            for (RailId rail : rails) {
                var p = Pricing.price(l.priceCents(), rail);
                prices.put(
                        rail.value(),
                        Map.of(
                                "minor",
                                p.minor(),
                                "asset",
                                p.asset().code(),
                                "scale",
                                p.asset().scale()));
            }
            m.put("prices", prices);
            m.put(
                    "milestones",
                    l.milestones().stream()
                            .map(s -> Map.of("id", s.id(), "title", s.title(), "percent", s.percent()))
                            .toList());
            out.add(m);
        }
        return out;
    }

    /**
     * Checkout: the logged-in buyer orders a listing on a rail; the server prices it and creates the escrow.
     *
     * @param security the buyer
     * @param idempotencyKey optional; a retry with the same key answers the same escrow
     * @param body {@code {"listing": "...", "rail": "..."}} and nothing else
     * @return 201 with {@code escrowId}, Location the escrow page
     */
    @POST
    @Path("checkout")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response checkout(
            @Context SecurityContext security, @HeaderParam("Idempotency-Key") String idempotencyKey, JsonObject body) {
        if (body == null) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "a JSON body {listing, rail} is required");
        }
        refuseForeignFields(body.keySet());
        var command =
                setup.checkout().order(user(security), text(body, "listing"), text(body, "rail"), setup.enabledRails());
        IdempotencyKey key = IdempotencyKey.of(
                idempotencyKey == null || idempotencyKey.isBlank()
                        ? "checkout-" + UUID.randomUUID()
                        : "checkout-" + user(security).value() + "-" + idempotencyKey);
        EscrowView view = engine.submit(key, command);
        return Response.created(URI.create("/escrow.html?id=" + view.id().value()))
                .entity(Map.of(
                        "escrowId",
                        view.id().value(),
                        "status",
                        view.status().name(),
                        "rail",
                        view.rail().value()))
                .build();
    }

    /**
     * Refuses a checkout request that carries anything but the listing and the rail: a browser that sends an amount,
     * a fee or a payout address is told so instead of being silently ignored.
     *
     * @param fields the request's field names
     * @throws EscrowException INVALID_REQUEST naming the first foreign field
     */
    static void refuseForeignFields(Set<String> fields) {
        for (String field : fields) {
            if (!CHECKOUT_FIELDS.contains(field)) {
                throw new EscrowException(
                        ErrorCode.INVALID_REQUEST,
                        "unexpected field '" + field + "': the shop computes prices, fees and deadlines itself");
            }
        }
    }

    private static String text(JsonObject body, String field) {
        JsonValue v = body.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, field + " must be a string");
        }
        return s.getString();
    }

    /**
     * A QR code of a text (a BOLT11 invoice), drawn on the server.
     *
     * @param text the text, at most 4,000 characters
     * @return an SVG image
     */
    @GET
    @Path("qr")
    @Produces("image/svg+xml")
    public Response qr(@QueryParam("text") String text) {
        if (text == null || text.isEmpty() || text.length() > 4_000) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "text is required (at most 4000 characters)");
        }
        QrCode code = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        return Response.ok(svg(code, 4))
                .header("Cache-Control", "private, max-age=3600")
                .build();
    }

    static String svg(QrCode qr, int border) {
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M')
                            .append(x + border)
                            .append(',')
                            .append(y + border)
                            .append("h1v1h-1z");
                }
            }
        }
        int dim = qr.size + border * 2;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + dim + " " + dim
                + "\" stroke=\"none\"><rect width=\"100%\" height=\"100%\" fill=\"#FFFFFF\"/><path d=\"" + path
                + "\" fill=\"#000000\"/></svg>";
    }

    /**
     * Escrows with a dispute, for the arbiter (the ones assigned to them or waiting for arbitration) and the operator
     * (all).
     *
     * @param security an arbiter or the operator
     * @return one row per escrow: ids, statuses, the latest dispute
     */
    @GET
    @Path("cases")
    public List<Map<String, Object>> cases(@Context SecurityContext security) {
        boolean operator = security.isUserInRole("holdfast-operator");
        if (!operator && !security.isUserInRole("holdfast-arbiter")) {
            throw new EscrowException(
                    ErrorCode.PARTY_NOT_ALLOWED, user(security).value(), "list the cases of", "any");
        }
        PartyId me = user(security);
        List<Map<String, Object>> out = new ArrayList<>();
        for (EscrowView v : all()) {
            if (v.disputes().isEmpty()) {
                continue;
            }
            DisputeView d = v.disputes().get(v.disputes().size() - 1);
            boolean mine = me.equals(d.arbiter()) || me.equals(d.appealArbiter()) || d.arbiter() == null;
            if (!operator && !mine) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("escrowId", v.id().value());
            row.put("status", v.status().name());
            row.put("buyer", v.buyer().value());
            row.put("seller", v.seller().value());
            row.put("disputeId", d.id().value());
            row.put("disputeStatus", d.status().name());
            row.put("arbiter", d.arbiter() == null ? "" : d.arbiter().value());
            row.put("reason", d.reason());
            out.add(row);
        }
        return out;
    }

    private List<EscrowView> all() {
        List<EscrowView> out = new ArrayList<>();
        String cursor = null;
        do {
            EscrowPage page = engine.list(new EscrowQuery(null, Set.of(), cursor, EscrowQuery.MAX_LIMIT));
            out.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }

    static PartyId user(SecurityContext security) {
        if (security.getUserPrincipal() == null) {
            throw new EscrowException(ErrorCode.UNAUTHENTICATED);
        }
        return PartyId.of(security.getUserPrincipal().getName());
    }
}
