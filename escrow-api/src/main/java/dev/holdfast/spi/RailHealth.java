package dev.holdfast.spi;

import java.util.Objects;

/**
 * The answer of a cheap rail health probe, for readiness checks. Immutable and thread-safe.
 *
 * @param up whether the rail can take calls now
 * @param detail a short human-readable detail; never a secret
 * @since 0.5
 */
public record RailHealth(boolean up, String detail) {
    public RailHealth {
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * @param detail a short detail
     * @return a healthy answer
     */
    public static RailHealth up(String detail) {
        return new RailHealth(true, detail);
    }

    /**
     * @param detail why the rail cannot take calls
     * @return an unhealthy answer
     */
    public static RailHealth down(String detail) {
        return new RailHealth(false, detail);
    }
}
