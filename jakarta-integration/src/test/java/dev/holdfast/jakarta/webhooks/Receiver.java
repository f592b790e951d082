package dev.holdfast.jakarta.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** A webhook receiver on the JDK HTTP server: answers the queued statuses, then 200, and records every request. */
final class Receiver implements AutoCloseable {
    record Request(Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();
    private int always;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int status;
            synchronized (this) {
                requests.add(new Request(Map.copyOf(exchange.getRequestHeaders()), body));
                status = always != 0 ? always : statuses.isEmpty() ? 200 : statuses.poll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    synchronized Receiver failNext(int... codes) {
        for (int c : codes) {
            statuses.add(c);
        }
        return this;
    }

    synchronized Receiver alwaysAnswer(int status) {
        always = status;
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
