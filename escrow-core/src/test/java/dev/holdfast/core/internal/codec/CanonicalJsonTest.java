package dev.holdfast.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.HoldfastEvent;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneTerms;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");
    private static final Asset USD = Asset.USD;

    static EscrowEvent.EscrowCreated created() {
        return new EscrowEvent.EscrowCreated(
                EscrowId.of("esc_1"),
                T,
                Actor.platform(),
                PartyId.of("alice"),
                PartyId.of("bob"),
                RailId.of("sandbox"),
                Money.of(10_000, USD),
                List.of(new MilestoneTerms(
                        MilestoneId.of("m1"),
                        "logo \"v2\"\n",
                        Money.of(10_000, USD),
                        T.plusSeconds(3600),
                        Money.of(100, USD),
                        Money.zero(USD))),
                new FeeSchedule(100, 0, FeePayer.BUYER),
                T.plusSeconds(600),
                Duration.ofDays(3),
                Duration.ofDays(7),
                PayoutDestination.internalBalance(),
                PayoutDestination.railAddress("acct:bob"),
                "order-7",
                Map.of("z", "last", "a", "first"));
    }

    @Test
    void eventsSurviveARoundTrip() {
        EscrowEvent.EscrowCreated e = created();
        String json = CanonicalJson.encode(e);
        assertThat(CanonicalJson.decode(json, HoldfastEvent.class)).isEqualTo(e);
        assertThat(CanonicalJson.decode(json, EscrowEvent.class)).isEqualTo(e);
    }

    @Test
    void sealedValuesInsideRecordsAreTagged() {
        var e = new EscrowEvent.InstructionIssued(
                EscrowId.of("esc_1"),
                T,
                TransferId.of("esc_1:fund"),
                new PartyInstruction.PayInvoice(Role.BUYER, "lnbc1...", Money.of(5, Asset.BTC_MSAT), T));
        String json = CanonicalJson.encode(e);
        assertThat(json).contains("\"@type\":\"PayInvoice\"");
        assertThat(CanonicalJson.decode(json, EscrowEvent.class)).isEqualTo(e);
    }

    @Test
    void encodingIsCanonicalIdsAreStringsAndMapKeysSorted() {
        String json = CanonicalJson.encode(created());
        assertThat(json)
                .startsWith("{\"@type\":\"EscrowCreated\",\"escrowId\":\"esc_1\",\"at\":\"2026-11-22T10:00:00Z\"");
        assertThat(json).contains("\"metadata\":{\"a\":\"first\",\"z\":\"last\"}");
        assertThat(json).contains("\"title\":\"logo \\\"v2\\\"\\n\"");
        assertThat(json).doesNotContain(" :").doesNotContain(", ");
        assertThat(CanonicalJson.encode(created())).isEqualTo(json);
    }

    @Test
    void differentValuesHashDifferently() {
        var a = new EscrowEvent.EscrowExpired(EscrowId.of("esc_1"), T);
        var b = new EscrowEvent.EscrowExpired(EscrowId.of("esc_2"), T);
        assertThat(CanonicalJson.sha256(a)).hasSize(64).isNotEqualTo(CanonicalJson.sha256(b));
        assertThat(CanonicalJson.sha256(a))
                .isEqualTo(CanonicalJson.sha256(new EscrowEvent.EscrowExpired(EscrowId.of("esc_1"), T)));
    }
}
