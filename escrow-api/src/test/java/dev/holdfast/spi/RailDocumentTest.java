package dev.holdfast.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.TransferId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RailDocumentTest {

    @Test
    void everyTypedFieldRoundTripsExactly() {
        Instant at = Instant.parse("2026-03-01T10:15:30.123456789Z");
        RailDocument doc = RailDocument.builder()
                .put("text", "a=b\nc\\d\re\u20ac")
                .put("empty", "")
                .put("long", Long.MIN_VALUE)
                .put("flag", true)
                .put("at", at)
                .put("amount", Money.of(-42, Asset.BTC_MSAT))
                .put("id", TransferId.of("t-1"))
                .put("error", new RailError("tx_bad_seq", "line\nbreak"))
                .put("missing", (String) null)
                .put("noError", (RailError) null)
                .build();

        RailDocument back = RailDocument.parse(doc.text());

        assertThat(back).isEqualTo(doc);
        assertThat(back.string("text")).isEqualTo("a=b\nc\\d\re\u20ac");
        assertThat(back.string("empty")).isEmpty();
        assertThat(back.longValue("long")).isEqualTo(Long.MIN_VALUE);
        assertThat(back.booleanValue("flag")).isTrue();
        assertThat(back.instant("at")).isEqualTo(at);
        assertThat(back.money("amount")).isEqualTo(Money.of(-42, Asset.BTC_MSAT));
        assertThat(back.transferId("id")).isEqualTo(TransferId.of("t-1"));
        assertThat(back.error("error")).isEqualTo(new RailError("tx_bad_seq", "line\nbreak"));
        assertThat(back.string("missing")).isNull();
        assertThat(back.error("noError")).isNull();
        assertThat(back.money("nothing")).isNull();
        assertThat(back.instant("nothing")).isNull();
        assertThat(doc.text()).startsWith(RailDocument.FORMAT + "\n").doesNotContain("\r");
    }

    @Test
    void malformedTextAndMissingRequiredFieldsAreRefused() {
        assertThatThrownBy(() -> RailDocument.parse("something else\n")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RailDocument.parse(RailDocument.FORMAT + "\nno equals\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RailDocument.parse(RailDocument.FORMAT + "\na=1\na=2\n"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RailDocument.parse(RailDocument.FORMAT + "\na=x\\q\n"))
                .isInstanceOf(IllegalArgumentException.class);
        RailDocument empty = RailDocument.parse(RailDocument.FORMAT + "\n");
        assertThatThrownBy(() -> empty.longValue("a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RailDocument.builder().put("a b", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fitKeepsShortKeysAndHashesLongOnesDistinctly() {
        String shortKey = "transfer:" + "a".repeat(191);
        String long1 = "transfer:" + "a".repeat(200);
        String long2 = "transfer:" + "a".repeat(199) + "b";

        assertThat(RailRecords.fit(shortKey)).isEqualTo(shortKey);
        assertThat(RailRecords.fit(long1)).hasSizeLessThanOrEqualTo(RailRecords.MAX_KEY_LENGTH);
        assertThat(RailRecords.fit(long1)).isEqualTo(RailRecords.fit(long1)).isNotEqualTo(RailRecords.fit(long2));
        assertThatThrownBy(() -> RailRecords.fit("")).isInstanceOf(IllegalArgumentException.class);
    }
}
