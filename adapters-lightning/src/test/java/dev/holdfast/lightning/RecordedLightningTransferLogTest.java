package dev.holdfast.lightning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.RailId;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.memory.InMemoryRailRecords;
import dev.holdfast.lightning.LightningTransferLog.Entry;
import dev.holdfast.lightning.LightningTransferLog.Kind;
import dev.holdfast.lightning.LightningTransferLog.Stage;
import dev.holdfast.spi.RailError;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecordedLightningTransferLogTest {
    private static final RailId RAIL = RailId.of("lightning");
    private final InMemoryRailRecords records = new InMemoryRailRecords();
    private final RecordedLightningTransferLog log = new RecordedLightningTransferLog(records, RAIL);

    private static Entry full() {
        return new Entry(
                TransferId.of("payout-1"),
                Kind.PAYOUT,
                Stage.SENT,
                "ab".repeat(32),
                Money.of(123_456_789_012L, Asset.BTC_MSAT),
                Money.of(1_000, Asset.BTC_MSAT),
                TransferId.of("funding-1"),
                "lnbc1...\nwith=odd\\chars",
                "lnbc1pvjluezpp5",
                1_767_600_000L,
                true,
                Money.of(-7, Asset.BTC_MSAT),
                new RailError("NO_ROUTE", "no route\nfound"));
    }

    private static Entry sparse(String id, Kind kind, Stage stage) {
        return new Entry(TransferId.of(id), kind, stage, null, null, null, null, null, null, 0, false, null, null);
    }

    @Test
    void fullyPopulatedAndSparseEntriesRoundTripExactly() {
        Entry full = full();
        Entry sparse = sparse("funding-1", Kind.FUNDING, Stage.OPENING);

        assertThat(log.insertIfAbsent(full)).isEmpty();
        assertThat(log.insertIfAbsent(sparse)).isEmpty();

        assertThat(log.find(full.transferId())).contains(full);
        assertThat(log.find(sparse.transferId())).contains(sparse);
        assertThat(log.find(TransferId.of("other"))).isEmpty();
        for (Kind k : Kind.values()) {
            for (Stage s : Stage.values()) {
                Entry e = sparse("e-" + k + "-" + s, k, s)
                        .withPayment("cd", "lnbc")
                        .succeeded(null);
                assertThat(RecordedLightningTransferLog.decode(RecordedLightningTransferLog.encode(e)))
                        .isEqualTo(e);
            }
        }
        assertThat(Arrays.stream(Entry.class.getRecordComponents()).count())
                .as("a new Entry field must be added to the document")
                .isEqualTo(13);
    }

    @Test
    void insertIfAbsentKeepsTheFirstEntryAndUpdateReplacesIt() {
        Entry first = sparse("t-1", Kind.WITHDRAWAL, Stage.PREPARING);
        log.insertIfAbsent(first);

        assertThat(log.insertIfAbsent(first.withStage(Stage.SENT))).contains(first);
        assertThat(log.find(first.transferId())).contains(first);

        log.update(first.withStage(Stage.SENT));
        log.update(first.succeeded(Money.of(5, Asset.BTC_MSAT)));
        assertThat(log.find(first.transferId())).contains(first.succeeded(Money.of(5, Asset.BTC_MSAT)));
        assertThat(records.find(RAIL, "transfer:t-1").orElseThrow().version()).isEqualTo(3);
        assertThatThrownBy(() -> log.update(sparse("missing", Kind.PAYOUT, Stage.SENT)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void queriesFollowTheEntriesThroughUpdates() {
        Entry funding = sparse("f-1", Kind.FUNDING, Stage.OPEN).withPayment("aa", "lnbc");
        Entry p1 = full();
        Entry p2 = new Entry(
                TransferId.of("payout-2"),
                Kind.PAYOUT,
                Stage.RESERVED,
                "bb",
                null,
                null,
                TransferId.of("funding-1"),
                null,
                null,
                0,
                false,
                null,
                null);
        Entry other = new Entry(
                TransferId.of("payout-3"),
                Kind.PAYOUT,
                Stage.SUCCEEDED,
                "aa",
                null,
                null,
                TransferId.of("f-2"),
                null,
                null,
                0,
                false,
                null,
                null);
        for (Entry e : new Entry[] {funding, p1, p2, other}) {
            log.insertIfAbsent(e);
        }

        assertThat(log.drawsOn(TransferId.of("funding-1"))).containsExactlyInAnyOrder(p1, p2);
        assertThat(log.drawsOn(TransferId.of("f-2"))).containsExactly(other);
        assertThat(log.drawsOn(TransferId.of("f-1"))).isEmpty();
        assertThat(log.byPaymentHash("aa")).as("not the funding's own hash").containsExactly(other);
        assertThat(log.byPaymentHash("ab".repeat(32))).containsExactly(p1);
        assertThat(log.unresolved()).containsExactlyInAnyOrder(funding, p1, p2);

        Entry settled = funding.withStage(Stage.SETTLED);
        log.update(settled);
        Entry failed = p2.withPayment("cc", null).failed(new RailError("X", ""));
        log.update(failed);

        assertThat(log.unresolved()).containsExactly(p1);
        assertThat(log.byPaymentHash("bb")).isEmpty();
        assertThat(log.byPaymentHash("cc")).containsExactly(failed);
        assertThat(log.drawsOn(TransferId.of("funding-1"))).containsExactlyInAnyOrder(p1, failed);
    }

    @Test
    void entriesOutliveTheLogAndStayWithTheirRail() {
        log.insertIfAbsent(full());

        RecordedLightningTransferLog restarted = new RecordedLightningTransferLog(records, RAIL);
        RecordedLightningTransferLog otherRail = new RecordedLightningTransferLog(records, RailId.of("lightning-2"));

        assertThat(restarted.find(full().transferId())).contains(full());
        assertThat(restarted.unresolved()).containsExactly(full());
        assertThat(otherRail.find(full().transferId())).isEmpty();
        assertThat(otherRail.unresolved()).isEmpty();
    }

    @Test
    void theLongestTransferIdsFit() {
        String id = "x".repeat(200);
        Entry e = new Entry(
                TransferId.of(id),
                Kind.PAYOUT,
                Stage.SENT,
                "dd",
                null,
                null,
                TransferId.of("y".repeat(200)),
                null,
                null,
                0,
                false,
                null,
                null);

        assertThat(log.insertIfAbsent(e)).isEmpty();

        assertThat(log.find(TransferId.of(id))).contains(e);
        assertThat(log.drawsOn(TransferId.of("y".repeat(200)))).containsExactly(e);
    }
}
