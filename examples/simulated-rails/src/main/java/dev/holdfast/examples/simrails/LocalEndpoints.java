package dev.holdfast.examples.simrails;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.holdfast.spi.RailResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.json.Json;

/**
 * The small HTTP server that stands in for two things a real deployment has elsewhere: the payees' Lightning service
 * (LNURL-pay for {@code name@127.0.0.1}), and the host's Open Payments finish endpoint, which hands the redirect to
 * {@link OpenPaymentsReturn}. A host that serves its own finish endpoint configures that URL instead and the wallet's
 * browser goes there. Thread-safe.
 */
final class LocalEndpoints implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final String FINISH_PATH = "/holdfast/openpayments/finish";

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile LightningAddresses lightning;
    private volatile OpenPaymentsReturn openPayments;

    LocalEndpoints() throws IOException {
        server = HttpServer.create(new InetSocketAddress(HOST, 0), 64);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "simulated-rails-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/.well-known/lnurlp/", this::payRequest);
        server.createContext("/lnurlp/", this::callback);
        server.createContext(FINISH_PATH + "/", this::finish);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String baseUrl() {
        return "http://" + HOST + ":" + port();
    }

    void lightning(LightningAddresses addresses) {
        this.lightning = addresses;
    }

    void openPayments(OpenPaymentsReturn handler) {
        this.openPayments = handler;
    }

    private void payRequest(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring("/.well-known/lnurlp/".length());
        LightningAddresses addresses = lightning;
        if (addresses == null || !addresses.known(name)) {
            respond(exchange, 404, "application/json", lnurlError("unknown user"));
            return;
        }
        respond(
                exchange,
                200,
                "application/json",
                Json.createObjectBuilder()
                        .add("tag", "payRequest")
                        .add("callback", baseUrl() + "/lnurlp/" + name + "/callback")
                        .add("minSendable", 1_000L)
                        .add("maxSendable", 100_000_000_000L)
                        .add("metadata", LightningAddresses.metadata(name))
                        .build()
                        .toString());
    }

    private void callback(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        LightningAddresses addresses = lightning;
        if (addresses == null || !path.endsWith("/callback")) {
            respond(exchange, 404, "application/json", lnurlError("not found"));
            return;
        }
        String name = path.substring("/lnurlp/".length(), path.length() - "/callback".length());
        Map<String, String> query = OpenPaymentsReturn.query(exchange.getRequestURI());
        long amount;
        try {
            amount = Long.parseLong(query.getOrDefault("amount", ""));
        } catch (NumberFormatException e) {
            respond(exchange, 400, "application/json", lnurlError("amount missing"));
            return;
        }
        if (!addresses.known(name) || amount < 1_000) {
            respond(exchange, 400, "application/json", lnurlError("unknown user or amount too small"));
            return;
        }
        String pr = addresses.invoiceForLnurl(name, amount);
        respond(
                exchange,
                200,
                "application/json",
                Json.createObjectBuilder()
                        .add("pr", pr)
                        .add("routes", Json.createArrayBuilder())
                        .build()
                        .toString());
    }

    private void finish(HttpExchange exchange) throws IOException {
        OpenPaymentsReturn handler = openPayments;
        if (handler == null) {
            respond(exchange, 503, "text/plain", "not ready");
            return;
        }
        try {
            RailResult r = handler.handle(exchange.getRequestURI());
            String text = "Open Payments: " + r.status()
                    + (r.error() == null ? "" : " (" + r.error().code() + ")");
            respond(exchange, 200, "text/plain; charset=utf-8", text);
        } catch (IllegalArgumentException | IllegalStateException e) {
            respond(exchange, 400, "text/plain; charset=utf-8", e.getMessage());
        }
    }

    private static String lnurlError(String reason) {
        return Json.createObjectBuilder()
                .add("status", "ERROR")
                .add("reason", reason)
                .build()
                .toString();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
