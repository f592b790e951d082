package dev.holdfast.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What one load run does, from the command line ({@code --name value}).
 *
 * @param baseUrl the host WAR's root, e.g. {@code http://127.0.0.1:9080/holdfast} (the API is under {@code /api})
 * @param users closed loop: the number of virtual users, each running lifecycles back to back; rate mode: the most
 *     lifecycles in flight at once (and so the most connections)
 * @param rate lifecycles started per second at fixed intervals, whatever the answers take ("steady load"); 0 for the
 *     closed loop
 * @param warmup run first and thrown away (JIT, connection pools, caches)
 * @param duration the measured window: lifecycles started in it are measured, and all of them are waited for
 * @param settle idle time before each reading of the database statistics: PostgreSQL backends publish their counters
 *     up to 10 s late when idle, so a reading right after the load would miss commits
 * @param jdbcUrl the host's database, to read its commit counters; null to skip them
 * @param out where to write a key=value summary (for run-load.sh); null for none
 * @param serverPid the host's process on this machine, to read the CPU time it spent in the measured window from
 *     {@code /proc}; 0 for none
 * @param clockTicks the kernel's clock ticks per second ({@code getconf CLK_TCK}), the unit of that CPU time
 */
public record LoadSettings(
        URI baseUrl,
        int users,
        double rate,
        Duration warmup,
        Duration duration,
        Duration settle,
        String jdbcUrl,
        String dbUser,
        Path out,
        long serverPid,
        int clockTicks) {

    public LoadSettings {
        if (users < 1) {
            throw new IllegalArgumentException("--users must be at least 1");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("--rate must not be negative");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
    }

    public boolean closedLoop() {
        return rate == 0;
    }

    /** @return the settings the arguments give, defaults for the rest */
    public static LoadSettings parse(String... args) {
        URI base = URI.create("http://127.0.0.1:9080/holdfast");
        int users = 4;
        double rate = 0;
        Duration warmup = Duration.ofSeconds(20);
        Duration duration = Duration.ofSeconds(60);
        Duration settle = Duration.ofSeconds(11);
        String jdbc = null;
        String dbUser = "postgres";
        Path out = null;
        long pid = 0;
        int ticks = 100;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--base-url" -> base = URI.create(value.replaceAll("/+$", ""));
                case "--users" -> users = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--warmup" -> warmup = duration(value);
                case "--duration" -> duration = duration(value);
                case "--settle" -> settle = duration(value);
                case "--jdbc-url" -> jdbc = value.isBlank() ? null : value;
                case "--db-user" -> dbUser = value;
                case "--out" -> out = Path.of(value);
                case "--server-pid" -> pid = Long.parseLong(value);
                case "--clock-ticks" -> ticks = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new LoadSettings(base, users, rate, warmup, duration, settle, jdbc, dbUser, out, pid, ticks);
    }

    /** {@code 60} and {@code 60s} are seconds; also {@code 500ms}, {@code 2m} and ISO-8601 ({@code PT1M}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }
}
