package dev.holdfast.jakarta.rest;

import dev.holdfast.jakarta.rest.Http.Resp;
import dev.holdfast.jakarta.rest.Http.User;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The authorization matrix: for every endpoint, every role and an escrow of the caller's own or someone else's, the
 * status (and code) the API must answer. The table is {@value #RESOURCE}, one row per cell; this class reads it,
 * lists the endpoints the resources declare, builds the world every row runs in, and sends each row's request.
 *
 * <p>Everything here speaks HTTP only, except funding, which the caller supplies (a sandbox rail's {@code fund}), so
 * the same table and world can be replayed against the plugin deployed in a real container.
 *
 * <p><b>Roles</b>: {@code buyer}, {@code seller}, {@code arbiter} (assigned to the own escrow's dispute), {@code
 * operator}, {@code stranger} (authenticated, part of nothing), {@code anonymous} (not authenticated). <b>Scopes</b>:
 * {@code own} is the world's escrow E of buyer/seller (or, for party endpoints, the caller's own party, and for
 * creation the caller as buyer); {@code foreign} is escrow F of other-buyer/other-seller with another arbiter (or
 * another party's money, or creating for someone else).
 */
final class AuthorizationMatrix {
    static final String RESOURCE = "/dev/holdfast/jakarta/rest/authorization-matrix.csv";
    static final List<String> ROLES = List.of("buyer", "seller", "arbiter", "operator", "stranger", "anonymous");
    static final List<String> SCOPES = List.of("own", "foreign");
    static final String API = "holdfast/v1";

    private AuthorizationMatrix() {}

    /**
     * One cell.
     *
     * @param endpoint method and path template, e.g. {@code POST /holdfast/v1/escrows/{escrowId}/accept}
     * @param role who calls
     * @param scope own or foreign
     * @param status the expected status
     * @param code the expected problem code, or empty for a success
     * @param line the row's line in the table
     */
    record Row(String endpoint, String role, String scope, int status, String code, int line) {
        @Override
        public String toString() {
            return endpoint + " as " + role + " on " + scope + " -> " + status + (code.isEmpty() ? "" : " " + code);
        }
    }

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        try (InputStream in =
                        Objects.requireNonNull(AuthorizationMatrix.class.getResourceAsStream(RESOURCE), RESOURCE);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 5) {
                    throw new IllegalStateException(RESOURCE + ":" + n + " needs 5 columns: " + line);
                }
                rows.add(new Row(f[0].trim(), f[1].trim(), f[2].trim(), Integer.parseInt(f[3].trim()), f[4].trim(), n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** @return every endpoint the resources declare, as "METHOD /path" */
    static TreeSet<String> declaredEndpoints() {
        TreeSet<String> out = new TreeSet<>();
        for (Class<?> resource : HoldfastRest.resources()) {
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                String verb = m.isAnnotationPresent(jakarta.ws.rs.GET.class)
                        ? "GET"
                        : m.isAnnotationPresent(jakarta.ws.rs.POST.class)
                                ? "POST"
                                : m.isAnnotationPresent(jakarta.ws.rs.PUT.class)
                                        ? "PUT"
                                        : m.isAnnotationPresent(jakarta.ws.rs.DELETE.class)
                                                ? "DELETE"
                                                : m.isAnnotationPresent(jakarta.ws.rs.PATCH.class) ? "PATCH" : null;
                if (verb == null) {
                    continue;
                }
                jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                out.add(verb + " /" + base + (sub == null ? "" : "/" + sub.value()));
            }
        }
        return out;
    }

    /** The escrows, disputes and money every row runs against; built through the API. */
    static final class World {
        final Map<String, String> own = new LinkedHashMap<>();
        final Map<String, String> foreign = new LinkedHashMap<>();
        String arbiter;
        final Map<String, String> withdrawals = new LinkedHashMap<>();

        /**
         * @param http the API
         * @param now the engine's time
         * @param fund pays a funding transfer on the rail
         */
        static World build(Http http, Instant now, Consumer<String> fund) {
            World w = new World();
            escrow(http, now, fund, "buyer", "seller", w.own);
            escrow(http, now, fund, "other-buyer", "other-seller", w.foreign);
            w.arbiter = w.own.get("arbiter");
            if (w.arbiter.equals(w.foreign.get("arbiter"))) {
                throw new IllegalStateException("the two escrows need different arbiters");
            }
            // money on both parties' internal balances, and one withdrawal each
            Map<String, Object> body =
                    Bodies.create("buyer", "seller", now, Bodies.INTERNAL_BALANCE, Bodies.INTERNAL_BALANCE, 500, 500);
            Map<String, Object> h = ok(http.post(User.party("buyer"), API + "/escrows", key(), body));
            String hid = h.get("id").toString();
            fund.accept(h.get("fundingTransfer").toString());
            ok(http.post(User.party("buyer"), API + "/escrows/" + hid + "/release?milestone=m1", key(), null));
            ok(http.post(
                    User.party("seller"),
                    API + "/escrows/" + hid + "/refund",
                    key(),
                    Map.of("milestone", "m2", "reason", "matrix")));
            for (String party : List.of("buyer", "seller")) {
                Map<String, Object> wd = ok(http.post(
                        User.party(party), API + "/parties/" + party + "/withdrawals", key(), withdrawal(party)));
                w.withdrawals.put(party, wd.get("transferId").toString());
            }
            return w;
        }

        @SuppressWarnings("unchecked")
        private static void escrow(
                Http http, Instant now, Consumer<String> fund, String buyer, String seller, Map<String, String> ids) {
            User b = User.party(buyer);
            User s = User.party(seller);
            Map<String, Object> created = ok(http.post(
                    b,
                    API + "/escrows",
                    key(),
                    Bodies.create(
                            buyer,
                            seller,
                            now,
                            Bodies.INTERNAL_BALANCE,
                            Bodies.INTERNAL_BALANCE,
                            1_000,
                            2_000,
                            3_000)));
            String id = created.get("id").toString();
            ids.put("escrow", id);
            ids.put("fundingTransfer", created.get("fundingTransfer").toString());
            fund.accept(ids.get("fundingTransfer"));
            String e = API + "/escrows/" + id;
            ok(http.post(s, e + "/delivered?milestone=m1", key(), null));
            Map<String, Object> opened =
                    ok(http.post(b, e + "/disputes", key(), Map.of("milestone", "m3", "reason", "matrix")));
            String dispute = ((List<Map<String, Object>>) opened.get("disputes"))
                    .get(0)
                    .get("id")
                    .toString();
            ids.put("dispute", dispute);
            String d = e + "/disputes/" + dispute;
            Map<String, Object> upload = ok(http.postRaw(
                    b,
                    d + "/attachments",
                    key(),
                    "text/plain",
                    ("evidence of " + id).getBytes(StandardCharsets.UTF_8),
                    Map.of()));
            ids.put("sha256", upload.get("sha256").toString());
            ok(http.post(
                    b,
                    d + "/evidence",
                    key(),
                    Map.of(
                            "statement",
                            "matrix",
                            "attachments",
                            List.of(Map.of(
                                    "reference", upload.get("reference"),
                                    "mediaType", upload.get("mediaType"),
                                    "size", upload.get("size"),
                                    "sha256", upload.get("sha256"))))));
            ok(http.post(
                    s,
                    d + "/offers",
                    key(),
                    Map.of("outcome", Map.of("kind", "SPLIT_BASIS_POINTS", "toSellerBasisPoints", 5_000))));
            ok(http.post(b, d + "/escalate", key(), null));
            Map<String, Object> view = ok(http.get(b, d));
            ids.put("arbiter", view.get("arbiter").toString());
            ids.put(
                    "offer",
                    ((List<Map<String, Object>>) view.get("openOffers"))
                            .get(0)
                            .get("offer")
                            .toString());
        }

        private static Map<String, Object> ok(Resp r) {
            if (r.status() >= 300) {
                throw new IllegalStateException("building the world failed: " + r);
            }
            return r.json();
        }
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    static Map<String, Object> withdrawal(String party) {
        return Map.of("amount", Bodies.money(100), "rail", "sandbox", "destination", "sandbox:" + party + "-bank");
    }

    static User user(World w, String role) {
        return switch (role) {
            case "buyer" -> User.party("buyer");
            case "seller" -> User.party("seller");
            case "arbiter" -> User.party(w.arbiter);
            case "operator" -> User.operator("operator");
            case "stranger" -> User.party("stranger");
            case "anonymous" -> User.ANONYMOUS;
            default -> throw new IllegalArgumentException("no role " + role);
        };
    }

    /** The party a caller acts for on the party endpoints: their own, or another's. */
    static String party(World w, String role, String scope) {
        String self =
                switch (role) {
                    case "arbiter" -> w.arbiter;
                    case "anonymous" -> "buyer";
                    default -> role;
                };
        if (scope.equals("own")) {
            return self;
        }
        return self.equals("seller") ? "buyer" : "seller";
    }

    /** Sends the request of one row in a world. */
    static Resp send(Http http, World w, Row row, Instant now) {
        User user = user(w, row.role());
        Map<String, String> ids = row.scope().equals("own") ? w.own : w.foreign;
        String party = party(w, row.role(), row.scope());
        String[] parts = row.endpoint().split(" ", 2);
        String method = parts[0];
        String path = parts[1].substring(1)
                .replace("{escrowId}", ids.get("escrow"))
                .replace("{disputeId}", ids.get("dispute"))
                .replace("{sha256}", ids.get("sha256"))
                .replace("{offer}", ids.get("offer"))
                .replace("{party}", party)
                .replace("{transferId}", w.withdrawals.getOrDefault(party, w.withdrawals.get("seller")));
        String template = parts[1];
        if (method.equals("GET")) {
            if (template.endsWith("/escrows") && row.scope().equals("foreign")) {
                path += "?party=other-buyer";
            }
            if (template.endsWith("/balances")) {
                path += "?asset=USD";
            }
            return http.get(user, path);
        }
        String k = key();
        return switch (template.substring(template.indexOf("/escrows") < 0 ? 0 : template.indexOf("/escrows"))) {
            case "/escrows" -> {
                String buyer =
                        row.scope().equals("own") ? (user.name() == null ? "buyer" : user.name()) : "other-buyer";
                String seller = buyer.equals("seller") ? "buyer" : "seller";
                yield http.post(user, path, k, Bodies.create(buyer, seller, now, 700));
            }
            case "/escrows/{escrowId}/delivered" -> http.post(user, path + "?milestone=m2", k, null);
            case "/escrows/{escrowId}/accept" -> http.post(user, path + "?milestone=m1", k, null);
            case "/escrows/{escrowId}/release" -> http.post(user, path + "?milestone=m2", k, null);
            case "/escrows/{escrowId}/refund" -> http.post(
                    user, path, k, Map.of("milestone", "m2", "amountMinor", 500, "reason", "matrix"));
            case "/escrows/{escrowId}/cancel" -> http.post(user, path, k, Map.of("reason", "matrix"));
            case "/escrows/{escrowId}/party-responses" -> http.post(
                    user, path, k, Map.of("transferId", ids.get("fundingTransfer"), "payload", "signed"));
            case "/escrows/{escrowId}/bonds" -> http.post(user, path, k, Map.of("party", "SELLER", "fixedMinor", 100));
            case "/escrows/{escrowId}/disputes" -> http.post(
                    user, path, k, Map.of("milestone", "m2", "reason", "matrix"));
            case "/escrows/{escrowId}/disputes/{disputeId}/attachments" -> http.postRaw(
                    user, path, k, "text/plain", "more".getBytes(StandardCharsets.UTF_8), Map.of());
            case "/escrows/{escrowId}/disputes/{disputeId}/evidence" -> http.post(
                    user, path, k, Map.of("statement", "more"));
            case "/escrows/{escrowId}/disputes/{disputeId}/messages" -> http.post(
                    user, path, k, Map.of("text", "hello"));
            case "/escrows/{escrowId}/disputes/{disputeId}/offers" -> http.post(
                    user, path, k, Map.of("outcome", Map.of("kind", "REFUND")));
            case "/escrows/{escrowId}/disputes/{disputeId}/offers/{offer}/accept",
                    "/escrows/{escrowId}/disputes/{disputeId}/escalate" -> http.post(user, path, k, null);
            case "/escrows/{escrowId}/disputes/{disputeId}/decision" -> http.post(
                    user, path, k, Map.of("outcome", Map.of("kind", "RELEASE"), "reason", "matrix"));
            case "/escrows/{escrowId}/disputes/{disputeId}/appeal" -> http.post(
                    user, path, k, Map.of("reason", "matrix"));
            default -> {
                if (template.endsWith("/withdrawals")) {
                    yield http.post(user, path, k, withdrawal(party));
                }
                throw new IllegalStateException("no request for " + row.endpoint() + "; add one here");
            }
        };
    }
}
