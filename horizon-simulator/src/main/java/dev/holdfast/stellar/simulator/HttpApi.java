package dev.holdfast.stellar.simulator;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Horizon's HTTP surface on the JDK's {@link HttpServer}: routes, paging, server-sent-event streams and the queued
 * faults. Thread-safe; every request runs on its own pooled thread so that open streams do not block others.
 */
final class HttpApi {
    private static final Object CLOSE = new Object();
    private static final long KEEPALIVE_MILLIS = 5_000;

    private final Ledger ledger;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentLinkedDeque<Integer> failures = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<Duration> stalls = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<java.util.concurrent.CompletableFuture<Void>> holds =
            new ConcurrentLinkedDeque<>();
    private final Set<java.util.concurrent.CompletableFuture<Void>> held = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger lostAnswers =
            new java.util.concurrent.atomic.AtomicInteger();
    private final Set<BlockingQueue<Object>> streams = ConcurrentHashMap.newKeySet();
    private final String baseUrl;

    private enum Kind {
        TRANSACTIONS,
        OPERATIONS,
        PAYMENTS
    }

    private record Event(long token, JsonObject json) {}

    private record Reply(int status, JsonObject body) {}

    private record Request(
            String method,
            List<String> path,
            Map<String, String> query,
            String lastEventId,
            boolean stream,
            String body) {
        String param(String name) {
            String v = query.get(name);
            return v == null || v.isEmpty() ? null : v;
        }
    }

    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    HttpApi(Ledger ledger, String host, int port) throws IOException {
        this.ledger = ledger;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "horizon-simulator-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        this.baseUrl = "http://" + host + ":" + server.getAddress().getPort();
        ledger.setBaseUrl(baseUrl);
    }

    void start() {
        server.start();
    }

    String baseUrl() {
        return baseUrl;
    }

    void stop() {
        dropStreams();
        server.stop(0);
        executor.shutdownNow();
    }

    void failNext(int status) {
        failures.add(status);
    }

    void stallNext(Duration d) {
        stalls.add(d);
    }

    void holdNextSubmission() {
        holds.add(new java.util.concurrent.CompletableFuture<>());
    }

    void releaseHeld() {
        java.util.concurrent.CompletableFuture<Void> g;
        while ((g = holds.poll()) != null) {
            g.complete(null);
        }
        for (java.util.concurrent.CompletableFuture<Void> h : held) {
            h.complete(null);
        }
        held.clear();
    }

    int heldSubmissions() {
        return held.size();
    }

    void loseNextSubmissionAnswer() {
        lostAnswers.incrementAndGet();
    }

    /** Ends every open stream cleanly, as a Horizon restart or load balancer would; clients reconnect. */
    void dropStreams() {
        for (BlockingQueue<Object> q : streams) {
            q.add(CLOSE);
        }
    }

    int openStreams() {
        return streams.size();
    }

    // ---- dispatch -----------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try {
            Integer failure = failures.poll();
            Duration stall = stalls.poll();
            if (failure != null) {
                sleep(stall);
                send(ex, failure, HorizonJson.forStatus(failure));
                return;
            }
            Request r = parse(ex);
            if (r.stream()) {
                sleep(stall);
                stream(ex, r);
                return;
            }
            boolean submission = r.method().equals("POST")
                    && r.path().size() == 1
                    && r.path().get(0).equals("transactions");
            java.util.concurrent.CompletableFuture<Void> gate = submission ? holds.poll() : null;
            if (gate != null) {
                // Held before it reaches the ledger: nothing is applied until the test lets it go.
                held.add(gate);
                try {
                    gate.get(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // released by time: go on as if let go
                }
            }
            Reply reply;
            try {
                reply = route(r);
            } catch (BadRequest e) {
                reply = new Reply(400, HorizonJson.badRequest(e.getMessage()));
            }
            // A stalled answer is computed first: a submission is applied even if the client gives up waiting.
            sleep(stall);
            if (submission && lostAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                // Applied, but the answer is Horizon's 504: the client cannot tell whether it made it.
                send(ex, 504, HorizonJson.forStatus(504));
                return;
            }
            send(ex, reply.status(), reply.body());
        } catch (RuntimeException e) {
            send(ex, 500, HorizonJson.forStatus(500));
        } finally {
            ex.close();
        }
    }

    private static Request parse(HttpExchange ex) throws IOException {
        String rawPath = ex.getRequestURI().getRawPath();
        List<String> path = new ArrayList<>();
        for (String seg : rawPath.split("/")) {
            if (!seg.isEmpty()) {
                path.add(URLDecoder.decode(seg, StandardCharsets.UTF_8));
            }
        }
        Map<String, String> query = form(ex.getRequestURI().getRawQuery());
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String accept = ex.getRequestHeaders().getFirst("Accept");
        boolean stream = accept != null && accept.contains("text/event-stream");
        return new Request(
                ex.getRequestMethod(), path, query, ex.getRequestHeaders().getFirst("Last-Event-ID"), stream, body);
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    private Reply route(Request r) {
        List<String> p = r.path();
        String first = p.isEmpty() ? "" : p.get(0);
        if (r.method().equals("POST")) {
            if (p.size() == 1 && first.equals("transactions")) {
                String tx = form(r.body()).get("tx");
                if (tx == null || tx.isEmpty()) {
                    return new Reply(
                            400,
                            HorizonJson.problem(
                                    400,
                                    "transaction_malformed",
                                    "Transaction Malformed",
                                    "Horizon could not decode the transaction envelope in this request."));
                }
                Ledger.Submission s = ledger.submit(tx);
                return new Reply(s.status(), s.body());
            }
            return new Reply(404, HorizonJson.notFound());
        }
        if (!r.method().equals("GET")) {
            return new Reply(405, HorizonJson.problem(405, "method_not_allowed", "Method Not Allowed", r.method()));
        }
        switch (first) {
            case "" -> {
                return new Reply(200, root());
            }
            case "friendbot" -> {
                String addr = r.param("addr");
                if (addr == null) {
                    throw new BadRequest("addr is required");
                }
                Ledger.Submission s = ledger.friendbot(addr, 10_000 * Codec.STROOPS_PER_UNIT);
                return new Reply(s.status(), s.body());
            }
            case "accounts" -> {
                if (p.size() == 2) {
                    JsonObject a = ledger.accountJson(p.get(1));
                    return a == null ? new Reply(404, HorizonJson.notFound()) : new Reply(200, a);
                }
                if (p.size() == 3) {
                    Kind kind = kind(p.get(2));
                    if (kind != null) {
                        return new Reply(200, page(r, kind, p.get(1)));
                    }
                }
            }
            case "transactions" -> {
                if (p.size() == 1) {
                    return new Reply(200, page(r, Kind.TRANSACTIONS, null));
                }
                if (p.size() == 2) {
                    Ledger.TxRecord tx = ledger.transaction(p.get(1));
                    return tx == null ? new Reply(404, HorizonJson.notFound()) : new Reply(200, tx.json());
                }
            }
            case "payments", "operations" -> {
                if (p.size() == 1) {
                    return new Reply(200, page(r, kind(first), null));
                }
            }
            case "claimable_balances" -> {
                return claimableBalances(r);
            }
            case "fee_stats" -> {
                return new Reply(200, feeStats());
            }
            case "ledgers" -> {
                return ledgers(r);
            }
            default -> {}
        }
        return new Reply(404, HorizonJson.notFound());
    }

    private static Kind kind(String segment) {
        return switch (segment) {
            case "transactions" -> Kind.TRANSACTIONS;
            case "operations" -> Kind.OPERATIONS;
            case "payments" -> Kind.PAYMENTS;
            default -> null;
        };
    }

    // ---- collections --------------------------------------------------------------------------------------------

    private static List<Event> events(List<Ledger.TxRecord> txs, Kind kind, String account, boolean includeFailed) {
        List<Event> out = new ArrayList<>();
        for (Ledger.TxRecord tx : txs) {
            if (!tx.successful() && !includeFailed) {
                continue;
            }
            if (kind == Kind.TRANSACTIONS) {
                if (account == null || tx.participants().contains(account)) {
                    out.add(new Event(tx.pagingToken(), tx.json()));
                }
                continue;
            }
            for (Ledger.OpRecord op : tx.operations()) {
                if ((kind == Kind.OPERATIONS || op.payment())
                        && (account == null || op.participants().contains(account))) {
                    out.add(new Event(op.pagingToken(), op.json()));
                }
            }
        }
        return out;
    }

    private JsonObject page(Request r, Kind kind, String account) {
        boolean includeFailed = "true".equals(r.param("include_failed"));
        List<Event> all = events(ledger.history(), kind, account, includeFailed);
        boolean desc = order(r);
        int limit = limit(r);
        String cursorParam = r.param("cursor");
        long cursor;
        if (cursorParam == null) {
            cursor = desc ? Long.MAX_VALUE : Long.MIN_VALUE;
        } else if (cursorParam.equals("now")) {
            cursor = desc ? Long.MAX_VALUE : maxToken(all);
        } else {
            cursor = parseCursor(cursorParam);
        }
        if (desc) {
            Collections.reverse(all);
        }
        List<Event> records = new ArrayList<>();
        for (Event e : all) {
            if (records.size() < limit && (desc ? e.token() < cursor : e.token() > cursor)) {
                records.add(e);
            }
        }
        String path = baseUrl + "/" + String.join("/", r.path());
        String order = desc ? "desc" : "asc";
        String first = records.isEmpty()
                ? (cursorParam == null ? "" : cursorParam)
                : "" + records.get(0).token();
        String last = records.isEmpty()
                ? (cursorParam == null ? "" : cursorParam)
                : "" + records.get(records.size() - 1).token();
        JsonArray array = new JsonArray();
        records.forEach(e -> array.add(e.json()));
        return pageJson(
                path + "?cursor=" + (cursorParam == null ? "" : cursorParam) + "&limit=" + limit + "&order=" + order,
                path + "?cursor=" + last + "&limit=" + limit + "&order=" + order,
                path + "?cursor=" + first + "&limit=" + limit + "&order=" + (desc ? "asc" : "desc"),
                array);
    }

    private static JsonObject pageJson(String self, String next, String prev, JsonArray records) {
        JsonObject o = new JsonObject();
        JsonObject links = new JsonObject();
        links.add("self", HorizonJson.link(self));
        links.add("next", HorizonJson.link(next));
        links.add("prev", HorizonJson.link(prev));
        o.add("_links", links);
        JsonObject embedded = new JsonObject();
        embedded.add("records", records);
        o.add("_embedded", embedded);
        return o;
    }

    private static long maxToken(List<Event> events) {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).token();
    }

    private static long parseCursor(String cursor) {
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw new BadRequest("invalid cursor: " + cursor);
        }
    }

    private static boolean order(Request r) {
        String order = r.param("order");
        if (order == null || order.equals("asc")) {
            return false;
        }
        if (order.equals("desc")) {
            return true;
        }
        throw new BadRequest("order must be asc or desc");
    }

    private static int limit(Request r) {
        String limit = r.param("limit");
        if (limit == null) {
            return 10;
        }
        try {
            int n = Integer.parseInt(limit);
            if (n < 1 || n > 200) {
                throw new BadRequest("limit must be between 1 and 200");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest("limit must be a number");
        }
    }

    private Reply claimableBalances(Request r) {
        List<String> p = r.path();
        if (p.size() == 2) {
            for (LedgerState.ClaimableBalance cb : ledger.claimableBalances()) {
                if (cb.id().equals(p.get(1))) {
                    return new Reply(200, ledger.claimableBalanceJson(cb));
                }
            }
            return new Reply(404, HorizonJson.notFound());
        }
        if (p.size() != 1) {
            return new Reply(404, HorizonJson.notFound());
        }
        String claimant = r.param("claimant");
        String sponsor = r.param("sponsor");
        String asset = r.param("asset");
        List<LedgerState.ClaimableBalance> all = ledger.claimableBalances();
        if (order(r)) {
            Collections.reverse(all);
        }
        int limit = limit(r);
        JsonArray records = new JsonArray();
        for (LedgerState.ClaimableBalance cb : all) {
            boolean match = (claimant == null
                            || cb.claimants().stream()
                                    .anyMatch(c -> c.destination().equals(claimant)))
                    && (sponsor == null || cb.sponsor().equals(sponsor))
                    && (asset == null || cb.asset().canonical().equals(asset));
            if (match && records.size() < limit) {
                records.add(ledger.claimableBalanceJson(cb));
            }
        }
        String self = baseUrl + "/claimable_balances";
        return new Reply(200, pageJson(self, self, self, records));
    }

    private Reply ledgers(Request r) {
        List<String> p = r.path();
        List<Ledger.LedgerHeader> all = ledger.ledgers();
        long feePool = ledger.feePool();
        if (p.size() == 2) {
            for (Ledger.LedgerHeader h : all) {
                if (Integer.toString(h.sequence()).equals(p.get(1))) {
                    return new Reply(200, HorizonJson.ledger(baseUrl, h, feePool));
                }
            }
            return new Reply(404, HorizonJson.notFound());
        }
        boolean desc = order(r);
        int limit = limit(r);
        if (desc) {
            Collections.reverse(all);
        }
        String cursorParam = r.param("cursor");
        long cursor = cursorParam == null ? (desc ? Long.MAX_VALUE : Long.MIN_VALUE) : parseCursor(cursorParam);
        JsonArray records = new JsonArray();
        for (Ledger.LedgerHeader h : all) {
            long token = (long) h.sequence() << 32;
            if (records.size() < limit && (desc ? token < cursor : token > cursor)) {
                records.add(HorizonJson.ledger(baseUrl, h, feePool));
            }
        }
        String self = baseUrl + "/ledgers";
        return new Reply(200, pageJson(self, self, self, records));
    }

    private JsonObject root() {
        int latest = ledger.latestLedger();
        JsonObject o = new JsonObject();
        JsonObject links = new JsonObject();
        links.add("account", HorizonJson.templated(baseUrl + "/accounts/{account_id}"));
        links.add("accounts", HorizonJson.templated(baseUrl + "/accounts{?signer,sponsor,asset,cursor,limit,order}"));
        links.add(
                "claimable_balances",
                HorizonJson.templated(baseUrl + "/claimable_balances{?asset,sponsor,claimant,cursor,limit,order}"));
        links.add("fee_stats", HorizonJson.link(baseUrl + "/fee_stats"));
        links.add("friendbot", HorizonJson.templated(baseUrl + "/friendbot{?addr}"));
        links.add("ledger", HorizonJson.templated(baseUrl + "/ledgers/{sequence}"));
        links.add("ledgers", HorizonJson.templated(baseUrl + "/ledgers{?cursor,limit,order}"));
        links.add("payments", HorizonJson.templated(baseUrl + "/payments{?cursor,limit,order}"));
        links.add("self", HorizonJson.link(baseUrl + "/"));
        links.add("transaction", HorizonJson.templated(baseUrl + "/transactions/{hash}"));
        links.add("transactions", HorizonJson.templated(baseUrl + "/transactions{?cursor,limit,order}"));
        o.add("_links", links);
        o.addProperty("horizon_version", "holdfast-horizon-simulator");
        o.addProperty("core_version", "holdfast-horizon-simulator (stellar-core rules subset)");
        o.addProperty("ingest_latest_ledger", latest);
        o.addProperty("history_latest_ledger", latest);
        o.addProperty("history_latest_ledger_closed_at", Codec.time(ledger.lastCloseTime()));
        o.addProperty("history_elder_ledger", 1);
        o.addProperty("core_latest_ledger", latest);
        o.addProperty("network_passphrase", ledger.network().getNetworkPassphrase());
        o.addProperty("current_protocol_version", Ledger.PROTOCOL_VERSION);
        o.addProperty("supported_protocol_version", Ledger.PROTOCOL_VERSION);
        o.addProperty("core_supported_protocol_version", Ledger.PROTOCOL_VERSION);
        return o;
    }

    private JsonObject feeStats() {
        JsonObject o = new JsonObject();
        o.addProperty("last_ledger", Integer.toString(ledger.latestLedger()));
        o.addProperty("last_ledger_base_fee", Long.toString(Ledger.BASE_FEE));
        // The simulated network never fills a ledger, so every percentile is the base fee.
        o.addProperty("ledger_capacity_usage", "0.00");
        o.add("fee_charged", distribution());
        o.add("max_fee", distribution());
        return o;
    }

    private static JsonObject distribution() {
        JsonObject d = new JsonObject();
        String fee = Long.toString(Ledger.BASE_FEE);
        for (String k : new String[] {
            "max", "min", "mode", "p10", "p20", "p30", "p40", "p50", "p60", "p70", "p80", "p90", "p95", "p99"
        }) {
            d.addProperty(k, fee);
        }
        return d;
    }

    // ---- streaming ----------------------------------------------------------------------------------------------

    private void stream(HttpExchange ex, Request r) throws IOException {
        List<String> p = r.path();
        Kind kind;
        String account = null;
        if (p.size() == 1 && kind(p.get(0)) != null) {
            kind = kind(p.get(0));
        } else if (p.size() == 3 && p.get(0).equals("accounts") && kind(p.get(2)) != null) {
            kind = kind(p.get(2));
            account = p.get(1);
        } else {
            send(ex, 404, HorizonJson.notFound());
            return;
        }
        // Horizon resumes from Last-Event-ID when the client sends it, else from the cursor parameter.
        String cursorParam =
                r.lastEventId() != null && !r.lastEventId().isEmpty() ? r.lastEventId() : r.param("cursor");
        boolean includeFailed = "true".equals(r.param("include_failed"));
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        String who = account;
        long[] cursor = new long[1];
        Consumer<Ledger.TxRecord> listener = tx -> {
            for (Event e : events(List.of(tx), kind, who, includeFailed)) {
                queue.add(e);
            }
        };
        try {
            cursor[0] = cursorParam == null || cursorParam.equals("now") ? 0 : parseCursor(cursorParam);
        } catch (BadRequest e) {
            send(ex, 400, HorizonJson.badRequest(e.getMessage()));
            return;
        }
        boolean now = "now".equals(cursorParam);
        ledger.subscribe(
                backlog -> {
                    if (!now) {
                        for (Event e : events(backlog, kind, who, includeFailed)) {
                            if (e.token() > cursor[0]) {
                                queue.add(e);
                            }
                        }
                    }
                },
                listener);
        streams.add(queue);
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            write(out, "retry: 1000\nevent: open\ndata: \"hello\"\n\n");
            while (true) {
                Object item = queue.poll(KEEPALIVE_MILLIS, TimeUnit.MILLISECONDS);
                if (item == CLOSE) {
                    break;
                }
                if (item == null) {
                    // A comment line: lets a vanished client surface as a write error and free this thread.
                    write(out, ": keepalive\n\n");
                    continue;
                }
                Event e = (Event) item;
                write(out, "id: " + e.token() + "\ndata: " + e.json() + "\n\n");
            }
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            ledger.unsubscribe(listener);
            streams.remove(queue);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange ex, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        String type = status >= 400 ? "application/problem+json; charset=utf-8" : "application/hal+json; charset=utf-8";
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration d) {
        if (d == null) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
