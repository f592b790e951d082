package dev.holdfast.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load run: waits for the host to be ready, runs a warm-up that is thrown away, reads the database's counters
 * twice while idle (the host's own background work, per second), runs the measured window, waits for every
 * lifecycle started in it, reads the counters again, and prints per-endpoint and per-lifecycle latencies, errors,
 * and the commits the lifecycles caused. Usage: {@code java -cp ... dev.holdfast.loadtest.LoadDriver --base-url URL
 * --users N [--rate R] --duration 60s --warmup 20s --jdbc-url jdbc:postgresql://... --out summary.properties}.
 */
public final class LoadDriver {
    private static final Duration READY_WAIT = Duration.ofSeconds(180);
    private static final Duration BASELINE = Duration.ofSeconds(10);

    private final LoadSettings settings;
    private final HttpClient http = LifecycleClient.newHttpClient();
    private final LifecycleClient client;
    private final PrintStream out = System.out;

    LoadDriver(LoadSettings settings) {
        this.settings = settings;
        this.client = new LifecycleClient(http, settings.baseUrl());
    }

    public static void main(String[] args) throws Exception {
        LoadSettings settings = LoadSettings.parse(args);
        Result result = new LoadDriver(settings).run();
        // Non-zero exit when anything failed, so that a script or build notices; the figures are printed either way.
        System.exit(result.metrics.totalErrors() == 0 && result.metrics.completed.sum() > 0 ? 0 : 1);
    }

    record Result(Metrics metrics, double seconds, Long commitsCaused) {}

    Result run() throws Exception {
        out.printf(
                Locale.ROOT,
                "load: %s, %s, warm-up %ss, measured %ss%n",
                settings.baseUrl(),
                settings.closedLoop()
                        ? settings.users() + " virtual users, closed loop"
                        : settings.rate() + " lifecycles/s arrival rate, at most " + settings.users() + " in flight",
                settings.warmup().toSeconds(),
                settings.duration().toSeconds());
        awaitReady();

        if (!settings.warmup().isZero()) {
            Metrics warm = new Metrics();
            double s = phase(settings.warmup(), warm);
            out.printf(
                    Locale.ROOT,
                    "warm-up: %d lifecycles in %.1f s, %d errors (not counted below)%n",
                    warm.completed.sum(),
                    s,
                    warm.totalErrors());
            warm.firstErrors().forEach(e -> out.println("  warm-up error: " + e));
        }

        PgStats before = null;
        double idleCommitsPerSecond = 0;
        long beforeNanos = 0;
        if (settings.jdbcUrl() != null) {
            sleep(settings.settle());
            PgStats idle0 = PgStats.read(settings.jdbcUrl(), settings.dbUser());
            long idleNanos = System.nanoTime();
            sleep(BASELINE);
            before = PgStats.read(settings.jdbcUrl(), settings.dbUser());
            beforeNanos = System.nanoTime();
            // minus 1: idle0's own reading is a commit
            idleCommitsPerSecond = (before.commits() - idle0.commits() - 1) / ((beforeNanos - idleNanos) / 1e9);
            out.printf(Locale.ROOT, "idle background commits: %.2f/s%n", idleCommitsPerSecond);
        }

        Metrics m = new Metrics();
        java.time.Instant windowStart = java.time.Instant.now();
        long cpuBefore = serverCpuTicks();
        double seconds = phase(settings.duration(), m);
        long cpuTicks = serverCpuTicks() - cpuBefore;
        // wall-clock bounds, to cut the same window out of a database log (run-load.sh --log-statements)
        out.println("measured window: " + windowStart + " " + java.time.Instant.now());

        Long caused = null;
        PgStats after = null;
        double readSeconds = 0;
        if (before != null) {
            sleep(settings.settle());
            after = PgStats.read(settings.jdbcUrl(), settings.dbUser());
            readSeconds = (System.nanoTime() - beforeNanos) / 1e9;
            caused = Math.round(after.commits() - before.commits() - 1 - idleCommitsPerSecond * readSeconds);
        }
        if (settings.serverPid() > 0) {
            double cpu = cpuTicks / (double) settings.clockTicks();
            out.printf(
                    Locale.ROOT,
                    "server CPU in the measured window: %.1f s of %.1f s wall (%.0f %% of one core), %.1f ms per"
                            + " completed lifecycle%n",
                    cpu,
                    seconds,
                    100 * cpu / seconds,
                    1000 * cpu / Math.max(1, m.completed.sum()));
        }
        report(m, seconds, before, after, caused, idleCommitsPerSecond, readSeconds);
        return new Result(m, seconds, caused);
    }

    /** @return the phase's wall time in seconds, from its start until the last lifecycle started in it ended */
    double phase(Duration length, Metrics m) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        if (settings.closedLoop()) {
            List<Thread> users = new ArrayList<>();
            for (int u = 0; u < settings.users(); u++) {
                int user = u;
                Thread t = new Thread(
                        () -> {
                            while (System.nanoTime() < end) {
                                client.run(user, System.nanoTime(), m);
                            }
                        },
                        "vu-" + u);
                t.start();
                users.add(t);
            }
            for (Thread t : users) {
                t.join();
            }
        } else {
            // Fixed arrival rate: slot k starts at start + k / rate whatever the earlier ones are doing; a slot that
            // waits for a free user has that wait in its lifecycle latency (measured from the slot, not the start).
            ExecutorService pool = Executors.newFixedThreadPool(settings.users());
            double period = 1e9 / settings.rate();
            for (long k = 0; ; k++) {
                long slot = start + Math.round(k * period);
                if (slot >= end) {
                    break;
                }
                long wait;
                while ((wait = slot - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int user = (int) (k % Integer.MAX_VALUE);
                pool.execute(() -> {
                    m.startDelay.record(Math.max(0, System.nanoTime() - slot));
                    client.run(user, slot, m);
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("lifecycles still running 10 minutes after the phase");
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private void awaitReady() throws InterruptedException {
        URI ready = URI.create(settings.baseUrl().resolve("/health/ready").toString());
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(ready)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the host is not ready at " + ready + ": " + last);
    }

    private void report(
            Metrics m,
            double seconds,
            PgStats before,
            PgStats after,
            Long caused,
            double idlePerSecond,
            double readSeconds)
            throws IOException {
        long completed = m.completed.sum();
        double lifecyclesPerSecond = completed / seconds;
        out.printf(
                Locale.ROOT,
                "%nmeasured: %.1f s; lifecycles started %d, completed %d, failed %d: %.1f lifecycles/s%n",
                seconds,
                m.started.sum(),
                completed,
                m.failed.sum(),
                lifecyclesPerSecond);
        out.printf(
                Locale.ROOT,
                "%-10s %8s %7s %8s %8s %8s %8s %8s  (ms)%n",
                "",
                "count",
                "errors",
                "mean",
                "p50",
                "p95",
                "p99",
                "max");
        Map<String, LatencyRecorder.Snapshot> lat = m.latencies();
        for (Map.Entry<String, LatencyRecorder.Snapshot> e : lat.entrySet()) {
            LatencyRecorder.Snapshot s = e.getValue();
            out.printf(
                    Locale.ROOT,
                    "%-10s %8d %7d %8.2f %8.2f %8.2f %8.2f %8.2f%n",
                    e.getKey(),
                    s.count(),
                    e.getKey().equals(Metrics.LIFECYCLE) ? m.failed.sum() : m.errors(e.getKey()),
                    ms(s.mean()),
                    ms(s.percentile(50)),
                    ms(s.percentile(95)),
                    ms(s.percentile(99)),
                    ms(s.max()));
        }
        if (!settings.closedLoop()) {
            LatencyRecorder.Snapshot d = m.startDelay.snapshot();
            out.printf(
                    Locale.ROOT,
                    "start delay behind the arrival schedule: p50 %.2f, p99 %.2f, max %.2f ms%n",
                    ms(d.percentile(50)),
                    ms(d.percentile(99)),
                    ms(d.max()));
        }
        out.println("answers: " + m.outcomes());
        out.println("errors: " + m.totalErrors() + ", release polls: " + m.polls.sum());
        m.firstErrors().forEach(e -> out.println("  error: " + e));

        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("mode", settings.closedLoop() ? "closed" : "rate");
        summary.put("users", Integer.toString(settings.users()));
        summary.put("rate", fmt(settings.rate()));
        summary.put("seconds", fmt(seconds));
        summary.put("lifecycles", Long.toString(completed));
        summary.put("failed", Long.toString(m.failed.sum()));
        summary.put("errors", Long.toString(m.totalErrors()));
        summary.put("lifecycles_per_s", fmt(lifecyclesPerSecond));
        LatencyRecorder.Snapshot life = lat.getOrDefault(Metrics.LIFECYCLE, new LatencyRecorder().snapshot());
        summary.put("lifecycle_p50_ms", fmt(ms(life.percentile(50))));
        summary.put("lifecycle_p95_ms", fmt(ms(life.percentile(95))));
        summary.put("lifecycle_p99_ms", fmt(ms(life.percentile(99))));
        for (String endpoint : List.of("create", "fund", "delivered", "accept")) {
            LatencyRecorder.Snapshot s = lat.get(endpoint);
            if (s != null) {
                summary.put(endpoint + "_p95_ms", fmt(ms(s.percentile(95))));
            }
        }

        if (caused != null) {
            double perLifecycle = completed == 0 ? 0 : caused / (double) completed;
            double commitsPerSecond = caused / seconds;
            out.printf(
                    Locale.ROOT,
                    "%ndatabase: %d commits in %.1f s between readings, minus %.2f/s idle background = %d caused by"
                            + " the lifecycles: %.2f per lifecycle, %.1f commits/s over the measured %.1f s;"
                            + " rollbacks %d; backends %d%n",
                    after.commits() - before.commits() - 1,
                    readSeconds,
                    idlePerSecond,
                    caused,
                    perLifecycle,
                    commitsPerSecond,
                    seconds,
                    after.rollbacks() - before.rollbacks(),
                    after.backends());
            out.printf(
                    Locale.ROOT, "per lifecycle, by table: %-22s %7s %7s %7s %7s%n", "", "ins", "upd", "del", "scans");
            after.tableDelta(before).forEach((table, d) -> {
                if (d[0] + d[1] + d[2] + d[3] > 0) {
                    out.printf(
                            Locale.ROOT,
                            "  %-44s %7.2f %7.2f %7.2f %7.2f%n",
                            table,
                            d[0] / (double) Math.max(1, completed),
                            d[1] / (double) Math.max(1, completed),
                            d[2] / (double) Math.max(1, completed),
                            d[3] / (double) Math.max(1, completed));
                }
            });
            summary.put("commits", Long.toString(caused));
            summary.put("commits_per_lifecycle", fmt(perLifecycle));
            summary.put("commits_per_s", fmt(commitsPerSecond));
            summary.put("idle_commits_per_s", fmt(idlePerSecond));
            summary.put("backends", Integer.toString(after.backends()));
        }
        if (settings.out() != null) {
            StringBuilder b = new StringBuilder();
            summary.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
            Files.writeString(settings.out(), b);
        }
    }

    /** @return user + system CPU ticks of the server process so far ({@code /proc/<pid>/stat}), 0 without a pid */
    private long serverCpuTicks() throws IOException {
        if (settings.serverPid() <= 0) {
            return 0;
        }
        String stat = Files.readString(java.nio.file.Path.of("/proc/" + settings.serverPid() + "/stat"));
        // the command name in parentheses may hold spaces: count the fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15 of stat)
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    static {
        // Keep idle connections for the pause between warm-up and the measured window (the default is 20 minutes
        // already; stated so that nobody lowers it and measures connection set-up by accident).
        System.setProperty("jdk.httpclient.keepalive.timeout", "1200");
    }
}
