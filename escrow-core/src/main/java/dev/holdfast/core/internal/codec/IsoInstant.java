package dev.holdfast.core.internal.codec;

import java.time.Instant;

/**
 * Writes an {@link Instant} exactly as {@link Instant#toString()} does, without going through {@code
 * DateTimeFormatter}, which showed up as a tenth of the engine's time in the lifecycle benchmark. Years outside
 * 0000..9999 fall back to {@code toString()}. Stateless and thread-safe.
 */
final class IsoInstant {
    private static final long SECONDS_PER_DAY = 86_400;
    private static final long MIN = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private IsoInstant() {}

    static void write(StringBuilder out, Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN || seconds > MAX) {
            out.append(instant);
            return;
        }
        long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        // civil-from-days (Howard Hinnant's algorithm), valid for the proleptic Gregorian calendar
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(out, (int) year, 4).append('-');
        pad(out, month, 2).append('-');
        pad(out, day, 2).append('T');
        pad(out, secondOfDay / 3600, 2).append(':');
        pad(out, (secondOfDay / 60) % 60, 2).append(':');
        pad(out, secondOfDay % 60, 2);
        int nano = instant.getNano();
        if (nano != 0) {
            out.append('.');
            if (nano % 1_000_000 == 0) {
                pad(out, nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                pad(out, nano / 1000, 6);
            } else {
                pad(out, nano, 9);
            }
        }
        out.append('Z');
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        // every value here fits its width (years 0..9999, nanos < 10^9): write digits without a temporary String
        int divisor = 1;
        for (int i = 1; i < width; i++) {
            divisor *= 10;
        }
        for (; divisor > 0; divisor /= 10) {
            out.append((char) ('0' + (value / divisor) % 10));
        }
        return out;
    }
}
