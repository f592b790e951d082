package dev.holdfast.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one phase of a run observed: latencies per endpoint and per lifecycle, outcomes per endpoint and status, and
 * the first few error answers verbatim (so a failing run says why). Thread-safe.
 */
public final class Metrics {
    /** The lifecycle as a whole: from its (intended) start to the escrow being RELEASED. */
    public static final String LIFECYCLE = "lifecycle";

    private static final int KEPT_ERRORS = 10;

    private final Map<String, LatencyRecorder> latencies = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final List<String> firstErrors = new ArrayList<>();
    final LongAdder started = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder polls = new LongAdder();
    final LatencyRecorder startDelay = new LatencyRecorder();

    public void latency(String what, long nanos) {
        latencies.computeIfAbsent(what, k -> new LatencyRecorder()).record(nanos);
    }

    /** Counts one answer of an endpoint by its status (or the exception's name when there was none). */
    public void outcome(String endpoint, String status) {
        outcomes.computeIfAbsent(endpoint + " " + status, k -> new LongAdder()).increment();
    }

    /** Counts an error of an endpoint and keeps its description if it is one of the first few. */
    public void error(String endpoint, String description) {
        errors.computeIfAbsent(endpoint, k -> new LongAdder()).increment();
        synchronized (firstErrors) {
            if (firstErrors.size() < KEPT_ERRORS) {
                firstErrors.add(endpoint + ": " + description);
            }
        }
    }

    public Map<String, LatencyRecorder.Snapshot> latencies() {
        Map<String, LatencyRecorder.Snapshot> out = new TreeMap<>();
        latencies.forEach((k, v) -> out.put(k, v.snapshot()));
        return out;
    }

    public Map<String, Long> outcomes() {
        Map<String, Long> out = new TreeMap<>();
        outcomes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long errors(String endpoint) {
        LongAdder a = errors.get(endpoint);
        return a == null ? 0 : a.sum();
    }

    public long totalErrors() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public List<String> firstErrors() {
        synchronized (firstErrors) {
            return List.copyOf(firstErrors);
        }
    }
}
