package dev.holdfast.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
    @Property(tries = 5000)
    void writesExactlyWhatInstantToStringWrites(
            @ForAll @LongRange(min = -70_000_000_000L, max = 260_000_000_000L) long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
            @ForAll @IntRange(min = 0, max = 3) int precision) {
        int n =
                switch (precision) {
                    case 0 -> 0;
                    case 1 -> nanos / 1_000_000 * 1_000_000;
                    case 2 -> nanos / 1000 * 1000;
                    default -> nanos;
                };
        Instant t = Instant.ofEpochSecond(seconds, n);
        assertThat(CanonicalJson.instant(t)).isEqualTo(t.toString());
    }

    @Test
    void edgesOfTheCalendarMatchToo() {
        for (String s : new String[] {
            "0000-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59.999Z",
            "2024-12-31T12:00:00.000001Z",
            "9999-12-31T23:59:59.999999999Z",
            "1969-12-31T23:59:59Z"
        }) {
            Instant t = Instant.parse(s);
            assertThat(CanonicalJson.instant(t)).isEqualTo(t.toString());
        }
        Instant far = Instant.parse("+12000-01-01T00:00:00Z");
        assertThat(CanonicalJson.instant(far)).isEqualTo(far.toString());
    }
}
