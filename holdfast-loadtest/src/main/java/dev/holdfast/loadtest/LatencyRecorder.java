package dev.holdfast.loadtest;

import java.util.Arrays;

/**
 * Keeps every recorded latency (nanoseconds) and answers exact percentiles by sorting a copy. A load run records a
 * few hundred thousand values at most, so exactness costs a few megabytes and no approximation has to be explained.
 * Thread-safe: {@link #record} is synchronized (a few hundred calls a second, never contended enough to matter).
 */
public final class LatencyRecorder {
    private long[] values = new long[1024];
    private int size;

    /** @param nanos one observed latency in nanoseconds, not negative */
    public synchronized void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative latency " + nanos);
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /** @return an immutable, sorted view of what was recorded so far */
    public synchronized Snapshot snapshot() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return new Snapshot(sorted);
    }

    /** Sorted latencies and the statistics read from them. Immutable. */
    public static final class Snapshot {
        private final long[] sorted;

        Snapshot(long[] sorted) {
            this.sorted = sorted;
        }

        public int count() {
            return sorted.length;
        }

        /**
         * Nearest-rank percentile: the smallest recorded value such that at least {@code p} percent of the values
         * are less than or equal to it (so p100 is the maximum and p50 of {1,2,3,4} is 2).
         *
         * @param p in (0, 100]
         * @return the value in nanoseconds, or 0 when nothing was recorded
         */
        public long percentile(double p) {
            if (!(p > 0 && p <= 100)) {
                throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
            }
            if (sorted.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(rank, 1) - 1];
        }

        public long max() {
            return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
        }

        /** @return the mean in nanoseconds, 0 when empty */
        public long mean() {
            if (sorted.length == 0) {
                return 0;
            }
            long sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return sum / sorted.length;
        }
    }
}
