package dev.holdfast.examples.shop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the harness on a page served by the JDK's own HTTP server, with no shop involved: waits instead of sleeps,
 * one screenshot per step, a separate profile (cookies) per persona, and a live update pushed over server-sent events
 * from one persona's action to another persona's open page, which is what the shop tests rely on.
 */
@ExtendWith(Chromium.class)
class HarnessE2E {

    private static final String PAGE =
            """
            <!doctype html><html><head><title>harness</title></head><body>
            <h1>Harness</h1>
            <input data-testid="name" placeholder="your name">
            <button data-testid="greet" onclick="setTimeout(() => {
              document.querySelector('[data-testid=greeting]').textContent =
                'Hello, ' + document.querySelector('[data-testid=name]').value;
              document.cookie = 'who=' + document.querySelector('[data-testid=name]').value;
            }, 400)">Greet</button>
            <p data-testid="greeting"></p>
            <p>Cookies: <span data-testid="cookies"></span></p>
            <p>Status: <strong data-testid="status">WAITING</strong></p>
            <script>
              document.querySelector('[data-testid=cookies]').textContent = document.cookie || '(none)';
              const events = new EventSource('/events');
              events.onopen = () => document.body.dataset.live = 'yes';
              events.onmessage = e => document.querySelector('[data-testid=status]').textContent = e.data;
            </script>
            </body></html>
            """;

    private static final String FIRE_PAGE =
            """
            <!doctype html><html><body>
            <button data-testid="fire" onclick="fetch('/fire', {method: 'POST'})
              .then(() => document.querySelector('[data-testid=fired]').textContent = 'sent')">Fire</button>
            <p data-testid="fired"></p>
            </body></html>
            """;

    private static HttpServer server;
    private static ExecutorService threads;
    private static final List<OutputStream> listeners = new CopyOnWriteArrayList<>();
    private static final CountDownLatch stopping = new CountDownLatch(1);
    private static String base;

    @BeforeAll
    static void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.createContext("/", ex -> html(ex, PAGE));
        server.createContext("/fire-page", ex -> html(ex, FIRE_PAGE));
        server.createContext("/events", HarnessE2E::events);
        server.createContext("/fire", ex -> {
            for (OutputStream out : listeners) {
                try {
                    out.write("data: FUNDED\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException gone) {
                    listeners.remove(out);
                }
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        stopping.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private static void html(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void events(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write(": open\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        listeners.add(out);
        try {
            stopping.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            listeners.remove(out);
            ex.close();
        }
    }

    @Test
    void waitsForALateUpdateAndSavesOneScreenshotPerStep(Chromium.Personas personas) throws IOException {
        Browser ana = personas.of("ana").open(base + "/");
        ana.shot("page");

        ana.type("name", "Ana").click("greet");
        assertThat(ana.text("greeting")).isEqualTo("Hello, Ana");
        Path shot = ana.shot("greeted");

        assertThat(shot.getFileName().toString()).isEqualTo("02-ana-greeted.png");
        assertThat(shot.getParent()).isEqualTo(personas.screens().dir());
        byte[] png = Files.readAllBytes(shot);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(png.length).isGreaterThan(1_000);
    }

    @Test
    void givesEachPersonaItsOwnCookies(Chromium.Personas personas) {
        Browser ana = personas.of("ana").open(base + "/");
        ana.type("name", "ana").click("greet");
        ana.waitText("greeting", "Hello, ana"::equals);
        ana.open(base + "/");
        assertThat(ana.text("cookies")).isEqualTo("who=ana");

        Browser ben = personas.of("ben").open(base + "/");
        assertThat(ben.text("cookies")).isEqualTo("(none)");
        ben.shot("no-cookies-of-ana");
    }

    @Test
    void seesAnotherPersonasActionLiveWithoutReload(Chromium.Personas personas) {
        Browser ana = personas.of("ana").open(base + "/");
        ana.until("event stream open", d -> "yes".equals(ana.script("return document.body.dataset.live")));
        ana.script("window.sameDocument = 'kept'");
        assertThat(ana.text("status")).isEqualTo("WAITING");

        Browser ben = personas.of("ben").open(base + "/fire-page");
        ben.click("fire");
        ben.waitText("fired", "sent"::equals);

        ana.waitText("status", "FUNDED"::equals);
        assertThat(ana.script("return window.sameDocument")).isEqualTo("kept");
        ana.shot("funded-live");
    }
}
