package dev.holdfast.openpayments.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonArrayBuilder;
import javax.json.JsonObject;
import javax.json.JsonObjectBuilder;
import javax.json.JsonReader;
import javax.json.JsonString;
import javax.json.JsonValue;

/**
 * A local Open Payments account servicing entity, playing what Rafiki plays in production: wallet addresses, a GNAP
 * authorization server and a resource server on one JDK {@link HttpServer}.
 *
 * <p><b>What it enforces, as a real one does.</b> Every request that carries a token or asks for a grant must be signed
 * (RFC 9421, {@code sig1}, Ed25519) by a key published in the client's JWKS, which the simulator fetches over HTTP from
 * {@code <client wallet address>/jwks.json}; bodies must carry a matching RFC 9530 {@code Content-Digest}. Tokens are
 * bound to the key that obtained the grant; they expire, rotate and can be revoked. Access is checked by type, action
 * ({@code read} vs {@code read-all}: own resources only), identifier and limits (debit and receive amounts spent across
 * the grant's payments). Outgoing-payment grants need interaction: the {@code interact.redirect} page redirects the
 * test's "browser" to the client's {@code finish} URI with {@code hash} and {@code interact_ref}.
 *
 * <p><b>Money.</b> Each wallet has a balance in its asset. An outgoing payment to an incoming payment on this simulator
 * debits the quote's {@code debitAmount} from the sender, credits {@code receiveAmount} to the receiving wallet and
 * the incoming payment's {@code receivedAmount}, and keeps the difference as the ASE's fee ({@link Builder#quoteFee}).
 * Payments to completed or expired incoming payments, beyond an incoming amount, or without balance fail
 * ({@code failed: true}) and move nothing. Cross-currency quotes are refused (no FX in this simulator).
 *
 * <p><b>Steering.</b> {@link #approveNext()}/{@link #denyNext()} decide the next consent; {@link #failNext},
 * {@link #loseNextAnswer} and {@link #stallNext} inject the faults a real server shows.
 *
 * <p>Thread-safe: one lock guards the books; JWKS fetches happen outside it (they may call this very server).
 */
public final class OpenPaymentsSimulator implements AutoCloseable {
    private static final String GNAP = "GNAP ";
    private static final Set<String> RESERVED = Set.of("auth", "incoming-payments", "outgoing-payments", "quotes");

    private final Clock clock;
    private final int requestedPort;
    private final String host;
    private final long feeFixed;
    private final int feeBasisPoints;
    private final Duration tokenLifetime;
    private final Duration quoteLifetime;
    private final Duration interactionLifetime;
    private final SecureRandom random = new SecureRandom();
    private final HttpClient jwksClient =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Object lock = new Object();
    private final Map<String, Wallet> wallets = new LinkedHashMap<>();
    private final Map<String, Grant> grants = new HashMap<>();
    private final Map<String, Token> tokensByValue = new HashMap<>();
    private final Map<String, Token> tokensById = new HashMap<>();
    private final Map<String, Incoming> incoming = new LinkedHashMap<>();
    private final Map<String, Quote> quotes = new LinkedHashMap<>();
    private final Map<String, Outgoing> outgoing = new LinkedHashMap<>();
    private final Deque<Boolean> consents = new ArrayDeque<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Duration> stalls = new ArrayDeque<>();
    private long feesCollected;
    private int requests;

    private HttpServer server;
    private ExecutorService executor;
    private String base;

    private OpenPaymentsSimulator(Builder b) {
        this.clock = b.clock;
        this.requestedPort = b.port;
        this.host = b.host;
        this.feeFixed = b.feeFixed;
        this.feeBasisPoints = b.feeBasisPoints;
        this.tokenLifetime = b.tokenLifetime;
        this.quoteLifetime = b.quoteLifetime;
        this.interactionLifetime = b.interactionLifetime;
    }

    /** @return a builder with the system clock, port 0 (any free port) and no fees */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Configures a simulator. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private int port;
        private String host = "127.0.0.1";
        private long feeFixed;
        private int feeBasisPoints;
        private Duration tokenLifetime = Duration.ofMinutes(10);
        private Duration quoteLifetime = Duration.ofMinutes(5);
        private Duration interactionLifetime = Duration.ofHours(1);

        private Builder() {}

        /** @param clock the clock for expiries @return this */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** @param port the port, 0 for any free one @return this */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** @param host the address to bind and to name in URLs @return this */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /**
         * The ASE's fee on every quote: {@code debitAmount = receiveAmount + fixed + floor(receiveAmount × bp /
         * 10 000)}.
         *
         * @param fixedMinor fixed part, in the sender's minor units
         * @param basisPoints proportional part, 0 to 10 000
         * @return this
         */
        public Builder quoteFee(long fixedMinor, int basisPoints) {
            if (fixedMinor < 0 || basisPoints < 0 || basisPoints > 10_000) {
                throw new IllegalArgumentException("fee must be >= 0 and bp in 0..10000");
            }
            this.feeFixed = fixedMinor;
            this.feeBasisPoints = basisPoints;
            return this;
        }

        /** @param lifetime how long an access token lives ({@code expires_in}) @return this */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = lifetime;
            return this;
        }

        /** @param lifetime how long a quote is valid @return this */
        public Builder quoteLifetime(Duration lifetime) {
            this.quoteLifetime = lifetime;
            return this;
        }

        /** @param lifetime how long an interaction stays open @return this */
        public Builder interactionLifetime(Duration lifetime) {
            this.interactionLifetime = lifetime;
            return this;
        }

        /** @return the simulator, not started */
        public OpenPaymentsSimulator build() {
            return new OpenPaymentsSimulator(this);
        }
    }

    // ------------------------------------------------------------------------------------------ control API

    /**
     * Starts serving.
     *
     * @return this
     * @throws IOException when the port cannot be bound
     */
    public OpenPaymentsSimulator start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
        // Several threads: verifying a signature fetches the client's JWKS, possibly from this very server.
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "openpayments-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        base = "http://" + host + ":" + server.getAddress().getPort();
        return this;
    }

    /** @return {@code http://host:port}, the base of every URL the simulator serves */
    public String baseUrl() {
        return base;
    }

    /** @return the authorization server's grant endpoint, as wallet addresses name it */
    public String authServerUrl() {
        return base + "/auth";
    }

    /**
     * @param name a wallet name
     * @return its wallet address URL
     */
    public String walletAddressUrl(String name) {
        return base + "/" + name;
    }

    /**
     * Opens a wallet (an account with a wallet address).
     *
     * @param name the path segment of its wallet address
     * @param assetCode its asset code
     * @param assetScale its asset scale
     * @param balance its opening balance, in minor units
     * @return its wallet address URL
     */
    public String createWallet(String name, String assetCode, int assetScale, long balance) {
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,62}") || RESERVED.contains(name)) {
            throw new IllegalArgumentException("bad wallet name " + name);
        }
        synchronized (lock) {
            if (wallets.containsKey(name)) {
                throw new IllegalArgumentException("wallet exists: " + name);
            }
            wallets.put(name, new Wallet(name, assetCode, assetScale, balance));
        }
        return walletAddressUrl(name);
    }

    /**
     * Publishes a client key in a wallet's JWKS ({@code GET /{name}/jwks.json}), as an ASE lets a wallet holder do.
     *
     * @param walletName the wallet
     * @param jwk the public JWK ({@code kty OKP}, {@code crv Ed25519}, {@code kid}, {@code x})
     */
    public void addKey(String walletName, String jwk) {
        JsonObject key = parse(jwk.getBytes(StandardCharsets.UTF_8));
        synchronized (lock) {
            wallet(walletName).keys.add(key);
        }
    }

    /** @param walletName the wallet; its published keys are withdrawn */
    public void removeKeys(String walletName) {
        synchronized (lock) {
            wallet(walletName).keys.clear();
        }
    }

    /**
     * @param name a wallet
     * @return its balance in minor units
     */
    public long balance(String name) {
        synchronized (lock) {
            processDue();
            return wallet(name).balance;
        }
    }

    /** @return what quote fees the ASE has kept, in minor units of whatever assets */
    public long feesCollected() {
        synchronized (lock) {
            return feesCollected;
        }
    }

    /** The account holder approves the next interaction that is opened in the "browser". */
    public void approveNext() {
        synchronized (lock) {
            consents.add(Boolean.TRUE);
        }
    }

    /** The account holder denies the next interaction that is opened in the "browser". */
    public void denyNext() {
        synchronized (lock) {
            consents.add(Boolean.FALSE);
        }
    }

    /**
     * The next POST or DELETE is refused with this status and moves nothing.
     *
     * @param status an HTTP status, e.g. 500 or 503
     */
    public void failNext(int status) {
        failNext(status, null, "/");
    }

    /**
     * The next request matching method and path prefix is refused with this status and moves nothing.
     *
     * @param status an HTTP status
     * @param method the method to match, or null for POST and DELETE
     * @param pathPrefix the path prefix to match, e.g. {@code /outgoing-payments}
     */
    public void failNext(int status, String method, String pathPrefix) {
        synchronized (lock) {
            faults.add(new Fault(false, status, method, pathPrefix));
        }
    }

    /**
     * The next request matching method and path prefix takes effect, but its answer is lost: the connection is
     * closed without a response.
     *
     * @param method the method to match, or null for POST and DELETE
     * @param pathPrefix the path prefix to match
     */
    public void loseNextAnswer(String method, String pathPrefix) {
        synchronized (lock) {
            faults.add(new Fault(true, 0, method, pathPrefix));
        }
    }

    /**
     * The next outgoing payment is accepted but sends nothing for {@code duration} of the simulator's clock (or
     * until {@link #releaseStalled()}).
     *
     * @param duration how long it hangs
     */
    public void stallNext(Duration duration) {
        synchronized (lock) {
            stalls.add(duration);
        }
    }

    /** Lets every stalled outgoing payment go on now. */
    public void releaseStalled() {
        synchronized (lock) {
            for (Outgoing o : outgoing.values()) {
                if (o.stalledUntil != null) {
                    o.stalledUntil = clock.instant();
                }
            }
            processDue();
        }
    }

    /** Applies the clock: stalled payments whose time has come are sent. */
    public void tick() {
        synchronized (lock) {
            processDue();
        }
    }

    /** @return how many HTTP requests the simulator has answered */
    public int requestCount() {
        synchronized (lock) {
            return requests;
        }
    }

    /**
     * What an incoming payment looks like in the ASE's books.
     *
     * @param id its URL
     * @param wallet the wallet name
     * @param incomingAmount the amount it expects, or null
     * @param receivedAmount what it received
     * @param completed whether it is completed
     * @param expiresAt when it expires, or null
     * @param metadata its metadata, string values only
     */
    public record IncomingPaymentView(
            String id,
            String wallet,
            Long incomingAmount,
            long receivedAmount,
            boolean completed,
            Instant expiresAt,
            Map<String, String> metadata) {}

    /**
     * What an outgoing payment looks like in the ASE's books.
     *
     * @param id its URL
     * @param wallet the sending wallet's name
     * @param receiver the incoming payment it pays
     * @param debitAmount what it debits
     * @param receiveAmount what it delivers
     * @param sentAmount what it has sent so far
     * @param failed whether it failed
     * @param metadata its metadata, string values only
     */
    public record OutgoingPaymentView(
            String id,
            String wallet,
            String receiver,
            long debitAmount,
            long receiveAmount,
            long sentAmount,
            boolean failed,
            Map<String, String> metadata) {}

    /** @param walletName a wallet @return its incoming payments, oldest first */
    public List<IncomingPaymentView> incomingPayments(String walletName) {
        synchronized (lock) {
            processDue();
            List<IncomingPaymentView> out = new ArrayList<>();
            for (Incoming i : incoming.values()) {
                if (i.wallet.name.equals(walletName)) {
                    out.add(new IncomingPaymentView(
                            i.id,
                            i.wallet.name,
                            i.incomingAmount,
                            i.received,
                            i.completed,
                            i.expiresAt,
                            strings(i.metadata)));
                }
            }
            return out;
        }
    }

    /** @param walletName a wallet @return its outgoing payments, oldest first */
    public List<OutgoingPaymentView> outgoingPayments(String walletName) {
        synchronized (lock) {
            processDue();
            List<OutgoingPaymentView> out = new ArrayList<>();
            for (Outgoing o : outgoing.values()) {
                if (o.wallet.name.equals(walletName)) {
                    out.add(new OutgoingPaymentView(
                            o.id,
                            o.wallet.name,
                            o.receiver,
                            o.debit,
                            o.receive,
                            o.sent,
                            o.failed,
                            strings(o.metadata)));
                }
            }
            return out;
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------ HTTP

    private void handle(HttpExchange ex) throws IOException {
        Request req;
        try (InputStream in = ex.getRequestBody()) {
            req = new Request(ex, in.readAllBytes());
        }
        Fault fault = takeFault(req);
        Response response;
        if (fault != null && !fault.lose) {
            response = error(fault.status, "simulated_failure", "the simulator was told to fail this request");
        } else {
            try {
                response = route(req);
            } catch (Refused r) {
                response = r.response;
            } catch (RuntimeException e) {
                response = error(500, "internal_error", String.valueOf(e));
            }
        }
        synchronized (lock) {
            requests++;
        }
        if (fault != null && fault.lose) {
            // Closing before any header is written drops the connection: the client never learns the outcome.
            ex.close();
            return;
        }
        byte[] body = response.body == null ? new byte[0] : response.body.getBytes(StandardCharsets.UTF_8);
        response.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (response.body != null && !response.headers.containsKey("Content-Type")) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(response.status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    private Fault takeFault(Request req) {
        synchronized (lock) {
            for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
                Fault f = it.next();
                boolean methodMatches = f.method == null
                        ? req.method.equals("POST") || req.method.equals("DELETE")
                        : f.method.equals(req.method);
                if (methodMatches && req.path.startsWith(f.pathPrefix)) {
                    it.remove();
                    return f;
                }
            }
            return null;
        }
    }

    private Response route(Request req) {
        List<String> s = req.segments;
        String m = req.method;
        if (s.isEmpty()) {
            throw refused(404, "not_found", "no wallet address here");
        }
        switch (s.get(0)) {
            case "auth":
                if (s.size() == 1 && m.equals("POST")) {
                    return grantRequest(req);
                }
                if (s.size() == 3 && s.get(1).equals("continue") && m.equals("POST")) {
                    return continueGrant(req, s.get(2));
                }
                if (s.size() == 3 && s.get(1).equals("token") && m.equals("POST")) {
                    return rotate(req, s.get(2));
                }
                if (s.size() == 3 && s.get(1).equals("token") && m.equals("DELETE")) {
                    return revoke(req, s.get(2));
                }
                if (s.size() == 4 && s.get(1).equals("interact") && m.equals("GET")) {
                    return interact(s.get(2), s.get(3));
                }
                break;
            case "incoming-payments":
                if (s.size() == 1 && m.equals("POST")) {
                    return createIncoming(req);
                }
                if (s.size() == 1 && m.equals("GET")) {
                    return list(req, "incoming-payment");
                }
                if (s.size() == 2 && m.equals("GET")) {
                    return getIncoming(req, s.get(1));
                }
                if (s.size() == 3 && s.get(2).equals("complete") && m.equals("POST")) {
                    return completeIncoming(req, s.get(1));
                }
                break;
            case "quotes":
                if (s.size() == 1 && m.equals("POST")) {
                    return createQuote(req);
                }
                if (s.size() == 2 && m.equals("GET")) {
                    return getQuote(req, s.get(1));
                }
                break;
            case "outgoing-payments":
                if (s.size() == 1 && m.equals("POST")) {
                    return createOutgoing(req);
                }
                if (s.size() == 1 && m.equals("GET")) {
                    return list(req, "outgoing-payment");
                }
                if (s.size() == 2 && m.equals("GET")) {
                    return getOutgoing(req, s.get(1));
                }
                break;
            default:
                if (s.size() == 1 && m.equals("GET")) {
                    return walletAddress(s.get(0));
                }
                if (s.size() == 2 && s.get(1).equals("jwks.json") && m.equals("GET")) {
                    return jwks(s.get(0));
                }
        }
        throw refused(404, "not_found", m + " " + req.path);
    }

    // ------------------------------------------------------------------------------------------ wallet addresses

    private Response walletAddress(String name) {
        synchronized (lock) {
            Wallet w = wallets.get(name);
            if (w == null) {
                throw refused(404, "not_found", "no wallet address " + name);
            }
            return ok(Json.createObjectBuilder()
                    .add("id", walletAddressUrl(name))
                    .add("publicName", name)
                    .add("assetCode", w.assetCode)
                    .add("assetScale", w.scale)
                    .add("authServer", authServerUrl())
                    .add("resourceServer", base)
                    .build());
        }
    }

    private Response jwks(String name) {
        synchronized (lock) {
            Wallet w = wallets.get(name);
            if (w == null) {
                throw refused(404, "not_found", "no wallet address " + name);
            }
            JsonArrayBuilder keys = Json.createArrayBuilder();
            w.keys.forEach(keys::add);
            return ok(Json.createObjectBuilder().add("keys", keys).build());
        }
    }

    // ------------------------------------------------------------------------------------------ authorization server

    private Response grantRequest(Request req) {
        JsonObject body = req.json();
        String client =
                body.containsKey("client") && body.get("client") instanceof JsonString js ? js.getString() : null;
        if (client == null) {
            throw refused(400, "invalid_client", "client must be the client's wallet address");
        }
        HttpSignatures.Verified signer = verifyClient(req, client);
        JsonObject accessToken = body.getJsonObject("access_token");
        if (accessToken == null || accessToken.getJsonArray("access") == null) {
            throw refused(400, "invalid_request", "access_token.access is required");
        }
        JsonArray accessJson = accessToken.getJsonArray("access");
        List<Access> access = new ArrayList<>();
        boolean needsInteraction = false;
        for (JsonValue v : accessJson) {
            Access a = Access.parse(v.asJsonObject());
            needsInteraction |= a.type.equals("outgoing-payment");
            access.add(a);
        }
        JsonObject interact = body.getJsonObject("interact");
        synchronized (lock) {
            Grant g = new Grant(id(), client, signer.keyId(), access, accessJson, id());
            grants.put(g.id, g);
            if (!needsInteraction) {
                g.state = GrantState.FINALIZED;
                return ok(Json.createObjectBuilder()
                        .add("access_token", issueToken(g))
                        .add("continue", continueJson(g, false))
                        .build());
            }
            if (interact == null
                    || interact.getJsonArray("start") == null
                    || !interact.getJsonArray("start").contains(Json.createValue("redirect"))) {
                grants.remove(g.id);
                throw refused(400, "invalid_request", "outgoing-payment grants need interact.start [redirect]");
            }
            JsonObject finish = interact.getJsonObject("finish");
            if (finish == null
                    || !"redirect".equals(finish.getString("method", null))
                    || finish.getString("uri", null) == null
                    || finish.getString("nonce", null) == null) {
                grants.remove(g.id);
                throw refused(400, "invalid_request", "interact.finish {method: redirect, uri, nonce} is required");
            }
            g.finishUri = finish.getString("uri");
            g.clientNonce = finish.getString("nonce");
            g.asNonce = id();
            g.interactId = id();
            g.interactNonce = id();
            g.interactionExpiresAt = clock.instant().plus(interactionLifetime);
            return ok(Json.createObjectBuilder()
                    .add(
                            "interact",
                            Json.createObjectBuilder()
                                    .add(
                                            "redirect",
                                            authServerUrl() + "/interact/" + g.interactId + "/" + g.interactNonce)
                                    .add("finish", g.asNonce))
                    .add("continue", continueJson(g, true))
                    .build());
        }
    }

    private Response interact(String interactId, String nonce) {
        synchronized (lock) {
            Grant g = grants.values().stream()
                    .filter(x -> interactId.equals(x.interactId) && nonce.equals(x.interactNonce))
                    .findFirst()
                    .orElseThrow(() -> refused(404, "unknown_interaction", "no such interaction"));
            if (g.state != GrantState.PENDING || clock.instant().isAfter(g.interactionExpiresAt)) {
                throw refused(400, "unknown_interaction", "the interaction is over or expired");
            }
            Boolean decision = consents.poll();
            if (decision == null) {
                Response page = new Response(200, "<html><body>Approve this payment?</body></html>");
                page.headers.put("Content-Type", "text/html");
                return page;
            }
            String location;
            if (decision) {
                g.state = GrantState.APPROVED;
                g.interactRef = id();
                String hash = interactionHash(g.clientNonce, g.asNonce, g.interactRef, authServerUrl());
                location = g.finishUri + (g.finishUri.contains("?") ? "&" : "?") + "hash=" + enc(hash)
                        + "&interact_ref=" + enc(g.interactRef);
            } else {
                g.state = GrantState.DENIED;
                location = g.finishUri + (g.finishUri.contains("?") ? "&" : "?") + "result=grant_rejected";
            }
            Response redirect = new Response(302, null);
            redirect.headers.put("Location", location);
            return redirect;
        }
    }

    /**
     * The interaction hash of GNAP as Open Payments uses it.
     *
     * @param clientNonce the client's {@code finish.nonce}
     * @param asNonce the AS's {@code interact.finish}
     * @param interactRef the {@code interact_ref}
     * @param grantEndpoint the URL the grant request was sent to
     * @return base64 of SHA-256 over the four values joined by newlines
     */
    public static String interactionHash(String clientNonce, String asNonce, String interactRef, String grantEndpoint) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((clientNonce + "\n" + asNonce + "\n" + interactRef + "\n" + grantEndpoint)
                            .getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response continueGrant(Request req, String grantId) {
        String client;
        String kid;
        synchronized (lock) {
            Grant g = grants.get(grantId);
            if (g == null || !(GNAP + g.continueToken).equals(req.header("authorization"))) {
                throw refused(401, "invalid_continuation", "unknown grant or wrong continuation token");
            }
            client = g.client;
            kid = g.kid;
        }
        requireKey(verifyClient(req, client), kid);
        JsonObject body = req.body.length == 0 ? JsonValue.EMPTY_JSON_OBJECT : req.json();
        synchronized (lock) {
            Grant g = grants.get(grantId);
            switch (g.state) {
                case DENIED:
                    throw refused(401, "user_denied", "the account holder denied the grant");
                case PENDING:
                    throw refused(400, "too_fast", "the interaction has not finished");
                case FINALIZED:
                case REVOKED:
                    throw refused(400, "invalid_continuation", "the grant is already finalized");
                case APPROVED:
                default:
                    break;
            }
            if (!Objects.equals(g.interactRef, body.getString("interact_ref", null))) {
                throw refused(400, "invalid_request", "wrong interact_ref");
            }
            g.state = GrantState.FINALIZED;
            return ok(Json.createObjectBuilder()
                    .add("access_token", issueToken(g))
                    .add("continue", continueJson(g, false))
                    .build());
        }
    }

    private Response rotate(Request req, String tokenId) {
        Token t = boundToken(req, tokenId);
        synchronized (lock) {
            if (t.revoked) {
                throw refused(401, "invalid_rotation", "the token was revoked");
            }
            revokeToken(t);
            return ok(Json.createObjectBuilder()
                    .add("access_token", issueToken(t.grant))
                    .build());
        }
    }

    private Response revoke(Request req, String tokenId) {
        Token t = boundToken(req, tokenId);
        synchronized (lock) {
            revokeToken(t);
            return new Response(204, null);
        }
    }

    private Token boundToken(Request req, String tokenId) {
        Token t;
        synchronized (lock) {
            t = tokensById.get(tokenId);
            if (t == null || !(GNAP + t.value).equals(req.header("authorization"))) {
                throw refused(401, "invalid_rotation", "unknown token or wrong token value");
            }
        }
        requireKey(verifyClient(req, t.grant.client), t.grant.kid);
        return t;
    }

    private void revokeToken(Token t) {
        t.revoked = true;
        tokensByValue.remove(t.value);
        tokensById.remove(t.id);
    }

    private JsonObject issueToken(Grant g) {
        Token t = new Token(id(), id(), g, clock.instant().plus(tokenLifetime));
        tokensByValue.put(t.value, t);
        tokensById.put(t.id, t);
        return Json.createObjectBuilder()
                .add("value", t.value)
                .add("manage", authServerUrl() + "/token/" + t.id)
                .add("access", g.accessJson)
                .add("expires_in", tokenLifetime.toSeconds())
                .build();
    }

    private JsonObject continueJson(Grant g, boolean withWait) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("access_token", Json.createObjectBuilder().add("value", g.continueToken))
                .add("uri", authServerUrl() + "/continue/" + g.id);
        if (withWait) {
            b.add("wait", 5);
        }
        return b.build();
    }

    // ------------------------------------------------------------------------------------------ resource server

    private Response createIncoming(Request req) {
        Token t = authorize(req);
        JsonObject body = req.json();
        synchronized (lock) {
            Wallet w = walletOf(body.getString("walletAddress", ""));
            check(t, "incoming-payment", "create", w);
            Long amount = null;
            if (body.containsKey("incomingAmount")) {
                amount = amount(body.getJsonObject("incomingAmount"), w);
                if (amount <= 0) {
                    throw refused(400, "invalid_request", "incomingAmount must be positive");
                }
            }
            Instant expiresAt = null;
            if (body.containsKey("expiresAt")) {
                expiresAt = Instant.parse(body.getString("expiresAt"));
                if (!expiresAt.isAfter(clock.instant())) {
                    throw refused(400, "invalid_request", "expiresAt is in the past");
                }
            }
            Incoming i = new Incoming(
                    base + "/incoming-payments/" + UUID.randomUUID(),
                    w,
                    amount,
                    expiresAt,
                    body.getJsonObject("metadata"),
                    clock.instant(),
                    t.grant.client);
            incoming.put(i.id, i);
            return new Response(201, incomingJson(i, true).toString());
        }
    }

    private Response getIncoming(Request req, String id) {
        String url = base + "/incoming-payments/" + id;
        if (req.header("authorization") == null) {
            synchronized (lock) {
                processDue();
                Incoming i = incoming.get(url);
                if (i == null) {
                    throw refused(404, "not_found", "no incoming payment " + url);
                }
                // The public view: what a sender may know before it gets a grant from the receiver's AS.
                JsonObjectBuilder b = Json.createObjectBuilder().add("authServer", authServerUrl());
                if (!i.completed && !expired(i)) {
                    b.add("receivedAmount", amountJson(i.received, i.wallet));
                    if (i.incomingAmount != null) {
                        b.add("incomingAmount", amountJson(i.incomingAmount, i.wallet));
                    }
                }
                return ok(b.build());
            }
        }
        Token t = authorize(req);
        synchronized (lock) {
            processDue();
            Incoming i = incoming.get(url);
            if (i == null) {
                throw refused(404, "not_found", "no incoming payment " + url);
            }
            checkRead(t, "incoming-payment", i.wallet, i.client);
            return ok(incomingJson(i, true));
        }
    }

    private Response completeIncoming(Request req, String id) {
        Token t = authorize(req);
        synchronized (lock) {
            Incoming i = incoming.get(base + "/incoming-payments/" + id);
            if (i == null) {
                throw refused(404, "not_found", "no incoming payment " + id);
            }
            check(t, "incoming-payment", "complete", i.wallet);
            if (expired(i)) {
                throw refused(400, "invalid_state", "the incoming payment expired");
            }
            i.completed = true;
            return ok(incomingJson(i, false));
        }
    }

    private Response createQuote(Request req) {
        Token t = authorize(req);
        JsonObject body = req.json();
        synchronized (lock) {
            processDue();
            Wallet w = walletOf(body.getString("walletAddress", ""));
            check(t, "quote", "create", w);
            if (!"ilp".equals(body.getString("method", null))) {
                throw refused(400, "invalid_request", "method must be ilp");
            }
            Incoming receiver = incoming.get(body.getString("receiver", ""));
            if (receiver == null || receiver.completed || expired(receiver)) {
                throw refused(400, "invalid_receiver", "the receiver is unknown, completed or expired");
            }
            if (!receiver.wallet.assetCode.equals(w.assetCode) || receiver.wallet.scale != w.scale) {
                throw refused(
                        400,
                        "invalid_receiver",
                        "no exchange rate " + w.assetCode + " -> " + receiver.wallet.assetCode);
            }
            long receive;
            long debit;
            if (body.containsKey("debitAmount") && body.containsKey("receiveAmount")) {
                throw refused(400, "invalid_request", "give debitAmount or receiveAmount, not both");
            } else if (body.containsKey("debitAmount")) {
                debit = amount(body.getJsonObject("debitAmount"), w);
                receive = receivableFor(debit);
            } else {
                if (body.containsKey("receiveAmount")) {
                    receive = amount(body.getJsonObject("receiveAmount"), receiver.wallet);
                } else if (receiver.incomingAmount != null) {
                    receive = receiver.incomingAmount - receiver.received;
                } else {
                    throw refused(400, "invalid_request", "the receiver has no incomingAmount: give an amount");
                }
                debit = Math.addExact(receive, fee(receive));
            }
            if (receive <= 0) {
                throw refused(400, "invalid_amount", "nothing would be received");
            }
            Quote q = new Quote(
                    base + "/quotes/" + UUID.randomUUID(),
                    w,
                    receiver.id,
                    debit,
                    receive,
                    clock.instant(),
                    clock.instant().plus(quoteLifetime),
                    t.grant.client);
            quotes.put(q.id, q);
            return new Response(201, quoteJson(q).toString());
        }
    }

    private Response getQuote(Request req, String id) {
        Token t = authorize(req);
        synchronized (lock) {
            Quote q = quotes.get(base + "/quotes/" + id);
            if (q == null) {
                throw refused(404, "not_found", "no quote " + id);
            }
            checkRead(t, "quote", q.wallet, q.client);
            return ok(quoteJson(q));
        }
    }

    private Response createOutgoing(Request req) {
        Token t = authorize(req);
        JsonObject body = req.json();
        synchronized (lock) {
            processDue();
            Wallet w = walletOf(body.getString("walletAddress", ""));
            Access a = check(t, "outgoing-payment", "create", w);
            Quote q = quotes.get(body.getString("quoteId", ""));
            if (q == null || q.wallet != w) {
                throw refused(400, "invalid_quote", "unknown quote for this wallet address");
            }
            if (q.used) {
                throw refused(400, "invalid_quote", "the quote was used");
            }
            if (clock.instant().isAfter(q.expiresAt)) {
                throw refused(400, "invalid_quote", "the quote expired");
            }
            Grant g = t.grant;
            if (a.limitDebit != null && Math.addExact(g.spentDebit, q.debit) > a.limitDebit) {
                throw refused(403, "insufficient_grant", "debitAmount exceeds what the grant allows");
            }
            if (a.limitReceive != null && Math.addExact(g.spentReceive, q.receive) > a.limitReceive) {
                throw refused(403, "insufficient_grant", "receiveAmount exceeds what the grant allows");
            }
            if (a.receiver != null && !a.receiver.equals(q.receiver)) {
                throw refused(403, "insufficient_grant", "the grant is for another receiver");
            }
            g.spentDebit += q.debit;
            g.spentReceive += q.receive;
            q.used = true;
            Outgoing o = new Outgoing(
                    base + "/outgoing-payments/" + UUID.randomUUID(),
                    w,
                    q,
                    body.getJsonObject("metadata"),
                    clock.instant(),
                    t.grant);
            outgoing.put(o.id, o);
            Duration stall = stalls.poll();
            if (stall != null) {
                o.stalledUntil = clock.instant().plus(stall);
            } else {
                send(o);
            }
            JsonObjectBuilder json = Json.createObjectBuilder(outgoingJson(o))
                    .add("grantSpentDebitAmount", amountJson(g.spentDebit, w))
                    .add("grantSpentReceiveAmount", amountJson(g.spentReceive, incoming.get(o.receiver).wallet));
            return new Response(201, json.build().toString());
        }
    }

    private Response getOutgoing(Request req, String id) {
        Token t = authorize(req);
        synchronized (lock) {
            processDue();
            Outgoing o = outgoing.get(base + "/outgoing-payments/" + id);
            if (o == null) {
                throw refused(404, "not_found", "no outgoing payment " + id);
            }
            checkRead(t, "outgoing-payment", o.wallet, o.client);
            return ok(outgoingJson(o));
        }
    }

    private Response list(Request req, String type) {
        Token t = authorize(req);
        String walletUrl = req.query.getOrDefault("wallet-address", "");
        int first = Integer.parseInt(req.query.getOrDefault("first", "10"));
        if (first < 1 || first > 100) {
            throw refused(400, "invalid_request", "first must be 1..100");
        }
        String cursor = req.query.get("cursor");
        synchronized (lock) {
            processDue();
            Wallet w = walletOf(walletUrl);
            Access a = access(t, type, w, "list", "list-all");
            boolean all = a.actions.contains("list-all");
            List<JsonObject> visible = new ArrayList<>();
            Map<String, ?> source = type.equals("incoming-payment") ? incoming : outgoing;
            for (Object r : source.values()) {
                if (r instanceof Incoming i && i.wallet == w && (all || i.client.equals(t.grant.client))) {
                    visible.add(incomingJson(i, false));
                } else if (r instanceof Outgoing o && o.wallet == w && (all || o.client.equals(t.grant.client))) {
                    visible.add(outgoingJson(o));
                }
            }
            int start = 0;
            if (cursor != null) {
                for (int k = 0; k < visible.size(); k++) {
                    if (visible.get(k).getString("id").endsWith("/" + cursor)) {
                        start = k + 1;
                    }
                }
            }
            List<JsonObject> page =
                    visible.subList(Math.min(start, visible.size()), Math.min(start + first, visible.size()));
            JsonArrayBuilder result = Json.createArrayBuilder();
            page.forEach(result::add);
            JsonObjectBuilder pagination = Json.createObjectBuilder()
                    .add("hasPreviousPage", start > 0)
                    .add("hasNextPage", start + first < visible.size());
            if (!page.isEmpty()) {
                pagination.add("startCursor", lastSegment(page.get(0).getString("id")));
                pagination.add(
                        "endCursor", lastSegment(page.get(page.size() - 1).getString("id")));
            }
            return ok(Json.createObjectBuilder()
                    .add("pagination", pagination)
                    .add("result", result)
                    .build());
        }
    }

    // ------------------------------------------------------------------------------------------ money

    private void processDue() {
        Instant now = clock.instant();
        for (Outgoing o : outgoing.values()) {
            if (o.stalledUntil != null && !now.isBefore(o.stalledUntil)) {
                o.stalledUntil = null;
                send(o);
            }
        }
    }

    private void send(Outgoing o) {
        Incoming target = incoming.get(o.receiver);
        boolean refused = target == null
                || target.completed
                || expired(target)
                || (target.incomingAmount != null && target.received + o.receive > target.incomingAmount)
                || o.wallet.balance < o.debit;
        if (refused) {
            o.failed = true;
            // What a failed payment did not send is no longer spent under its grant.
            o.grant.spentDebit -= o.debit;
            o.grant.spentReceive -= o.receive;
            return;
        }
        o.wallet.balance -= o.debit;
        target.wallet.balance += o.receive;
        target.received += o.receive;
        feesCollected += o.debit - o.receive;
        o.sent = o.receive;
        if (target.incomingAmount != null && target.received == target.incomingAmount) {
            target.completed = true;
        }
    }

    private long fee(long receive) {
        long whole = receive / 10_000;
        long rest = receive % 10_000;
        return Math.addExact(
                feeFixed, Math.addExact(Math.multiplyExact(whole, feeBasisPoints), rest * feeBasisPoints / 10_000));
    }

    private long receivableFor(long debit) {
        // The largest receive whose receive + fee(receive) fits in debit; fee is monotone, so search.
        long lo = 0;
        long hi = debit;
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (Math.addExact(mid, fee(mid)) <= debit) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private boolean expired(Incoming i) {
        return i.expiresAt != null && !clock.instant().isBefore(i.expiresAt);
    }

    // ------------------------------------------------------------------------------------------ auth checks

    private Token authorize(Request req) {
        String auth = req.header("authorization");
        if (auth == null || !auth.startsWith(GNAP)) {
            throw refused(401, "unauthorized", "a GNAP access token is required");
        }
        Token t;
        synchronized (lock) {
            t = tokensByValue.get(auth.substring(GNAP.length()));
            if (t == null || t.revoked) {
                throw refused(401, "invalid_token", "unknown or revoked access token");
            }
        }
        requireKey(verifyClient(req, t.grant.client), t.grant.kid);
        synchronized (lock) {
            if (!clock.instant().isBefore(t.expiresAt)) {
                throw refused(401, "invalid_token", "the access token expired");
            }
        }
        return t;
    }

    private static void requireKey(HttpSignatures.Verified signer, String boundKid) {
        if (!signer.keyId().equals(boundKid)) {
            throw refused(401, "invalid_signature", "the token is bound to another key");
        }
    }

    private Access check(Token t, String type, String action, Wallet w) {
        return access(t, type, w, action, null);
    }

    private void checkRead(Token t, String type, Wallet w, String owner) {
        Access a = access(t, type, w, "read", "read-all");
        if (!a.actions.contains("read-all") && !owner.equals(t.grant.client)) {
            throw refused(403, "insufficient_grant", "read covers only this client's own resources");
        }
    }

    private Access access(Token t, String type, Wallet w, String action, String orAction) {
        for (Access a : t.grant.access) {
            boolean actionOk = a.actions.contains(action) || (orAction != null && a.actions.contains(orAction));
            boolean identifierOk = a.identifier == null || a.identifier.equals(walletAddressUrl(w.name));
            if (a.type.equals(type) && actionOk && identifierOk) {
                return a;
            }
        }
        throw refused(
                403,
                "insufficient_grant",
                "the token does not allow " + action + " on " + type + " of " + walletAddressUrl(w.name));
    }

    private HttpSignatures.Verified verifyClient(Request req, String clientWalletAddress) {
        Map<String, PublicKey> keys = fetchJwks(clientWalletAddress);
        try {
            return HttpSignatures.verify(req.method, req.targetUri, req::header, req.body, keys::get);
        } catch (HttpSignatures.InvalidSignature e) {
            throw refused(401, "invalid_signature", e.getMessage());
        }
    }

    private Map<String, PublicKey> fetchJwks(String walletAddress) {
        try {
            HttpResponse<String> r = jwksClient.send(
                    HttpRequest.newBuilder(URI.create(walletAddress + "/jwks.json"))
                            .timeout(Duration.ofSeconds(5))
                            .header("Accept", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw refused(401, "invalid_client", "the client's JWKS is not available: " + r.statusCode());
            }
            Map<String, PublicKey> keys = new HashMap<>();
            for (JsonValue v : parse(r.body().getBytes(StandardCharsets.UTF_8)).getJsonArray("keys")) {
                JsonObject k = v.asJsonObject();
                if ("OKP".equals(k.getString("kty", null)) && "Ed25519".equals(k.getString("crv", null))) {
                    keys.put(k.getString("kid"), HttpSignatures.publicKeyFromJwkX(k.getString("x")));
                }
            }
            return keys;
        } catch (IOException | IllegalArgumentException e) {
            throw refused(401, "invalid_client", "the client's JWKS is not available: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused(503, "unavailable", "interrupted");
        }
    }

    // ------------------------------------------------------------------------------------------ JSON

    private JsonObject incomingJson(Incoming i, boolean withMethods) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("id", i.id)
                .add("walletAddress", walletAddressUrl(i.wallet.name))
                .add("completed", i.completed)
                .add("receivedAmount", amountJson(i.received, i.wallet))
                .add("createdAt", i.createdAt.toString());
        if (i.incomingAmount != null) {
            b.add("incomingAmount", amountJson(i.incomingAmount, i.wallet));
        }
        if (i.expiresAt != null) {
            b.add("expiresAt", i.expiresAt.toString());
        }
        if (i.metadata != null) {
            b.add("metadata", i.metadata);
        }
        if (withMethods) {
            JsonArrayBuilder methods = Json.createArrayBuilder();
            if (!i.completed && !expired(i)) {
                methods.add(Json.createObjectBuilder()
                        .add("type", "ilp")
                        .add("ilpAddress", "test.holdfast-sim." + lastSegment(i.id))
                        .add("sharedSecret", i.sharedSecret));
            }
            b.add("methods", methods);
        }
        return b.build();
    }

    private JsonObject quoteJson(Quote q) {
        return Json.createObjectBuilder()
                .add("id", q.id)
                .add("walletAddress", walletAddressUrl(q.wallet.name))
                .add("receiver", q.receiver)
                .add("receiveAmount", amountJson(q.receive, incoming.get(q.receiver).wallet))
                .add("debitAmount", amountJson(q.debit, q.wallet))
                .add("method", "ilp")
                .add("expiresAt", q.expiresAt.toString())
                .add("createdAt", q.createdAt.toString())
                .build();
    }

    private JsonObject outgoingJson(Outgoing o) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("id", o.id)
                .add("walletAddress", walletAddressUrl(o.wallet.name))
                .add("quoteId", o.quoteId)
                .add("failed", o.failed)
                .add("receiver", o.receiver)
                .add("receiveAmount", amountJson(o.receive, incoming.get(o.receiver).wallet))
                .add("debitAmount", amountJson(o.debit, o.wallet))
                .add("sentAmount", amountJson(o.sent, o.wallet))
                .add("createdAt", o.createdAt.toString());
        if (o.metadata != null) {
            b.add("metadata", o.metadata);
        }
        return b.build();
    }

    private static JsonObject amountJson(long value, Wallet w) {
        return Json.createObjectBuilder()
                .add("value", Long.toString(value))
                .add("assetCode", w.assetCode)
                .add("assetScale", w.scale)
                .build();
    }

    private static long amount(JsonObject json, Wallet w) {
        if (json == null) {
            throw refused(400, "invalid_request", "amount missing");
        }
        String code = json.getString("assetCode", null);
        int scale = json.getInt("assetScale", -1);
        if (!w.assetCode.equals(code) || w.scale != scale) {
            throw refused(
                    400,
                    "invalid_amount",
                    "amount in " + code + "/" + scale + ", wallet holds " + w.assetCode + "/" + w.scale);
        }
        String value = json.getString("value", "");
        if (!value.matches("[0-9]{1,19}")) {
            throw refused(400, "invalid_amount", "value must be an unsigned integer string");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw refused(400, "invalid_amount", "value out of range");
        }
    }

    private static JsonObject parse(byte[] body) {
        try (JsonReader r = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8)))) {
            return r.readObject();
        } catch (RuntimeException e) {
            throw refused(400, "invalid_request", "body is not a JSON object");
        }
    }

    private static Map<String, String> strings(JsonObject metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (v instanceof JsonString s) {
                    out.put(k, s.getString());
                }
            });
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private Wallet wallet(String name) {
        Wallet w = wallets.get(name);
        if (w == null) {
            throw new IllegalArgumentException("no wallet " + name);
        }
        return w;
    }

    private Wallet walletOf(String walletAddressUrl) {
        if (walletAddressUrl.startsWith(base + "/")) {
            Wallet w = wallets.get(walletAddressUrl.substring(base.length() + 1));
            if (w != null) {
                return w;
            }
        }
        throw refused(400, "invalid_wallet_address", "unknown wallet address " + walletAddressUrl);
    }

    private String id() {
        byte[] b = new byte[18];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Response ok(JsonObject json) {
        return new Response(200, json.toString());
    }

    private static Response error(int status, String code, String description) {
        Response r = new Response(
                status,
                Json.createObjectBuilder()
                        .add(
                                "error",
                                Json.createObjectBuilder().add("code", code).add("description", description))
                        .build()
                        .toString());
        if (status == 401) {
            r.headers.put("WWW-Authenticate", "GNAP");
        }
        return r;
    }

    private static Refused refused(int status, String code, String description) {
        return new Refused(error(status, code, description));
    }

    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Response response;

        Refused(Response response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    private static final class Response {
        final int status;
        final String body;
        final Map<String, String> headers = new LinkedHashMap<>();

        Response(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private final class Request {
        final String method;
        final String path;
        final List<String> segments = new ArrayList<>();
        final Map<String, String> query = new HashMap<>();
        final String targetUri;
        final byte[] body;
        private final HttpExchange ex;

        Request(HttpExchange ex, byte[] body) {
            this.ex = ex;
            this.method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            URI uri = ex.getRequestURI();
            this.path = uri.getRawPath();
            for (String seg : path.split("/")) {
                if (!seg.isEmpty()) {
                    segments.add(URLDecoder.decode(seg, StandardCharsets.UTF_8));
                }
            }
            if (uri.getRawQuery() != null) {
                for (String pair : uri.getRawQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        query.put(
                                URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
            }
            this.targetUri = base + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            this.body = body;
        }

        String header(String name) {
            List<String> values = ex.getRequestHeaders().get(name);
            return values == null || values.isEmpty() ? null : String.join(", ", values);
        }

        JsonObject json() {
            return parse(body);
        }
    }

    private record Fault(boolean lose, int status, String method, String pathPrefix) {}

    private enum GrantState {
        PENDING,
        APPROVED,
        DENIED,
        FINALIZED,
        REVOKED
    }

    private static final class Wallet {
        final String name;
        final String assetCode;
        final int scale;
        final List<JsonObject> keys = new ArrayList<>();
        long balance;

        Wallet(String name, String assetCode, int scale, long balance) {
            this.name = name;
            this.assetCode = assetCode;
            this.scale = scale;
            this.balance = balance;
        }
    }

    private static final class Access {
        final String type;
        final Set<String> actions = new HashSet<>();
        final String identifier;
        final Long limitDebit;
        final Long limitReceive;
        final String receiver;

        private Access(String type, String identifier, Long limitDebit, Long limitReceive, String receiver) {
            this.type = type;
            this.identifier = identifier;
            this.limitDebit = limitDebit;
            this.limitReceive = limitReceive;
            this.receiver = receiver;
        }

        static Access parse(JsonObject json) {
            String type = json.getString("type", "");
            if (!Set.of("incoming-payment", "quote", "outgoing-payment").contains(type)) {
                throw refused(400, "invalid_request", "unknown access type " + type);
            }
            JsonArray actions = json.getJsonArray("actions");
            if (actions == null || actions.isEmpty()) {
                throw refused(400, "invalid_request", "actions are required");
            }
            String identifier = json.getString("identifier", null);
            if (type.equals("outgoing-payment") && identifier == null) {
                throw refused(400, "invalid_request", "outgoing-payment access needs an identifier");
            }
            JsonObject limits = json.getJsonObject("limits");
            Long debit = null;
            Long receive = null;
            String receiver = null;
            if (limits != null) {
                debit = limits.containsKey("debitAmount") ? limitValue(limits.getJsonObject("debitAmount")) : null;
                receive =
                        limits.containsKey("receiveAmount") ? limitValue(limits.getJsonObject("receiveAmount")) : null;
                receiver = limits.getString("receiver", null);
            }
            Access a = new Access(type, identifier, debit, receive, receiver);
            for (JsonValue v : actions) {
                a.actions.add(((JsonString) v).getString());
            }
            return a;
        }

        private static long limitValue(JsonObject amount) {
            String value = amount.getString("value", "");
            if (!value.matches("[0-9]{1,18}")) {
                throw refused(400, "invalid_request", "limit value must be an unsigned integer string");
            }
            return Long.parseLong(value);
        }
    }

    private static final class Grant {
        final String id;
        final String client;
        final String kid;
        final List<Access> access;
        final JsonArray accessJson;
        final String continueToken;
        GrantState state = GrantState.PENDING;
        String finishUri;
        String clientNonce;
        String asNonce;
        String interactId;
        String interactNonce;
        String interactRef;
        Instant interactionExpiresAt;
        long spentDebit;
        long spentReceive;

        Grant(String id, String client, String kid, List<Access> access, JsonArray accessJson, String continueToken) {
            this.id = id;
            this.client = client;
            this.kid = kid;
            this.access = access;
            this.accessJson = accessJson;
            this.continueToken = continueToken;
        }
    }

    private static final class Token {
        final String id;
        final String value;
        final Grant grant;
        final Instant expiresAt;
        boolean revoked;

        Token(String id, String value, Grant grant, Instant expiresAt) {
            this.id = id;
            this.value = value;
            this.grant = grant;
            this.expiresAt = expiresAt;
        }
    }

    private final class Incoming {
        final String id;
        final Wallet wallet;
        final Long incomingAmount;
        final Instant expiresAt;
        final JsonObject metadata;
        final Instant createdAt;
        final String client;
        final String sharedSecret = id();
        long received;
        boolean completed;

        Incoming(
                String id,
                Wallet wallet,
                Long incomingAmount,
                Instant expiresAt,
                JsonObject metadata,
                Instant createdAt,
                String client) {
            this.id = id;
            this.wallet = wallet;
            this.incomingAmount = incomingAmount;
            this.expiresAt = expiresAt;
            this.metadata = metadata;
            this.createdAt = createdAt;
            this.client = client;
        }
    }

    private static final class Quote {
        final String id;
        final Wallet wallet;
        final String receiver;
        final long debit;
        final long receive;
        final Instant createdAt;
        final Instant expiresAt;
        final String client;
        boolean used;

        Quote(
                String id,
                Wallet wallet,
                String receiver,
                long debit,
                long receive,
                Instant createdAt,
                Instant expiresAt,
                String client) {
            this.id = id;
            this.wallet = wallet;
            this.receiver = receiver;
            this.debit = debit;
            this.receive = receive;
            this.createdAt = createdAt;
            this.expiresAt = expiresAt;
            this.client = client;
        }
    }

    private static final class Outgoing {
        final String id;
        final Wallet wallet;
        final String quoteId;
        final String receiver;
        final long debit;
        final long receive;
        final JsonObject metadata;
        final Instant createdAt;
        final String client;
        final Grant grant;
        long sent;
        boolean failed;
        Instant stalledUntil;

        Outgoing(String id, Wallet wallet, Quote q, JsonObject metadata, Instant createdAt, Grant grant) {
            this.id = id;
            this.wallet = wallet;
            this.quoteId = q.id;
            this.receiver = q.receiver;
            this.debit = q.debit;
            this.receive = q.receive;
            this.metadata = metadata;
            this.createdAt = createdAt;
            this.client = grant.client;
            this.grant = grant;
        }
    }
}
