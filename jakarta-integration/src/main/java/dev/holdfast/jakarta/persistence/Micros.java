package dev.holdfast.jakarta.persistence;

import java.time.Instant;

/**
 * Times as microseconds since the epoch: what PostgreSQL keeps, and a plain number compares the same on every
 * database and driver. Every time written is truncated here, and every comparison uses the truncated value, so a
 * lease or due time read back equals what the store compared against.
 */
final class Micros {
    private Micros() {}

    static long of(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    static Long ofNullable(Instant t) {
        return t == null ? null : of(t);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    static Instant instantOrNull(Long micros) {
        return micros == null ? null : instant(micros);
    }

    static Instant truncate(Instant t) {
        return t == null ? null : instant(of(t));
    }
}
