package dev.holdfast.openpayments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.RailId;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.memory.InMemoryRailRecords;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.Entry;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.Kind;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.Leg;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.LegStage;
import dev.holdfast.openpayments.OpenPaymentsTransferLog.Stage;
import dev.holdfast.spi.RailError;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordedOpenPaymentsTransferLogTest {
    private static final RailId RAIL = RailId.of("openpayments");
    private static final Asset USD = new Asset("USD", 2);
    private final InMemoryRailRecords records = new InMemoryRailRecords();
    private final RecordedOpenPaymentsTransferLog log = new RecordedOpenPaymentsTransferLog(records, RAIL);

    private static Entry full() {
        Entry.Builder b = new Entry.Builder(TransferId.of("payout-1"), Kind.PAYOUT, Stage.RESERVED);
        b.amount = Money.of(12_345, USD);
        b.platformFee = Money.of(0, USD);
        b.fundingTransferId = TransferId.of("funding-1");
        b.destination = "https://wallet.example/seller";
        b.buyerWallet = "https://wallet.example/buyer";
        b.incomingPayment = "https://wallet.example/escrow/incoming-payments/1";
        b.expiresAt = Instant.parse("2026-01-05T09:00:00.123456789Z");
        b.interactUrl = "https://auth.example/interact?x=1&y=2";
        b.continueUri = "https://auth.example/continue/abc";
        b.continueToken = "secret\ntoken\\with=odd";
        b.clientNonce = "n1";
        b.asNonce = "";
        b.authServer = "https://auth.example/";
        b.railFee = Money.of(3, USD);
        b.error = new RailError("QUOTE_FAILED", "");
        b.fingerprint = "fp";
        return b.build();
    }

    private static Entry sparse(String id, Kind kind, Stage stage) {
        return new Entry.Builder(TransferId.of(id), kind, stage).build();
    }

    private static Leg leg(String id, LegStage stage) {
        return new Leg(id, "https://w/escrow", "https://w/seller", Money.of(100, USD), stage, null, null, null, null);
    }

    @Test
    void fullyPopulatedAndSparseEntriesAndLegsRoundTripExactly() {
        Entry sparse = sparse("funding-1", Kind.FUNDING, Stage.OPEN);
        Leg fullLeg = new Leg(
                "fee:payout-1",
                "https://w/escrow",
                "https://w/platform",
                Money.of(7, USD),
                LegStage.FAILED,
                "https://w/platform/incoming/1",
                "https://w/escrow/outgoing/2",
                Money.of(1, USD),
                new RailError("INSUFFICIENT", "no\nfunds"));
        Leg sparseLeg = new Leg("refund:f-1", null, null, null, null, null, null, null, null);

        log.insertIfAbsent(full());
        log.insertIfAbsent(sparse);
        log.saveLeg(fullLeg);
        log.saveLeg(sparseLeg);

        assertThat(log.find(TransferId.of("payout-1"))).contains(full());
        assertThat(log.find(TransferId.of("funding-1"))).contains(sparse);
        assertThat(log.leg("fee:payout-1")).contains(fullLeg);
        assertThat(log.leg("refund:f-1")).contains(sparseLeg);
        assertThat(log.leg("payout-1")).as("legs and entries do not mix").isEmpty();
        assertThat(log.find(TransferId.of("fee:payout-1"))).isEmpty();
        for (Kind k : Kind.values()) {
            for (Stage s : Stage.values()) {
                Entry e = full().toBuilder().build().withStage(s);
                Entry.Builder b = e.toBuilder();
                b.kind = k;
                Entry x = b.build();
                assertThat(RecordedOpenPaymentsTransferLog.decode(RecordedOpenPaymentsTransferLog.encode(x)))
                        .isEqualTo(x);
            }
        }
        assertThat(Entry.class.getRecordComponents()).hasSize(19);
        assertThat(Leg.class.getRecordComponents()).hasSize(9);
    }

    @Test
    void insertIfAbsentKeepsTheFirstUpdateReplacesAndSaveLegUpserts() {
        Entry first = sparse("t-1", Kind.WITHDRAWAL, Stage.RESERVED);
        log.insertIfAbsent(first);

        assertThat(log.insertIfAbsent(first.withStage(Stage.SUCCEEDED))).contains(first);
        log.update(first.failed(new RailError("X", "y")));
        assertThat(log.find(first.transferId())).contains(first.failed(new RailError("X", "y")));
        assertThatThrownBy(() -> log.update(sparse("missing", Kind.PAYOUT, Stage.RESERVED)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(log.find(TransferId.of("missing"))).isEmpty();

        log.saveLeg(leg("l-1", LegStage.PREPARED));
        log.saveLeg(leg("l-1", LegStage.SENT));
        log.saveLeg(leg("l-1", LegStage.DONE));
        assertThat(log.leg("l-1")).contains(leg("l-1", LegStage.DONE));
        assertThat(records.find(RAIL, "leg:l-1").orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void queriesFollowTheEntriesThroughUpdates() {
        Entry funding = sparse("funding-1", Kind.FUNDING, Stage.FUNDED);
        Entry p1 = full();
        Entry.Builder b = new Entry.Builder(TransferId.of("payout-2"), Kind.PAYOUT, Stage.SUCCEEDED);
        b.fundingTransferId = TransferId.of("funding-1");
        Entry p2 = b.build();
        Entry opening = sparse("funding-2", Kind.FUNDING, Stage.OPEN);
        for (Entry e : new Entry[] {funding, p1, p2, opening}) {
            log.insertIfAbsent(e);
        }

        assertThat(log.drawsOn(TransferId.of("funding-1"))).containsExactlyInAnyOrder(p1, p2);
        assertThat(log.drawsOn(TransferId.of("funding-2"))).isEmpty();
        assertThat(log.unresolved()).containsExactlyInAnyOrder(p1, opening);

        log.update(p1.withStage(Stage.SUCCEEDED));
        log.update(opening.withStage(Stage.PAYING));

        assertThat(log.unresolved()).containsExactly(opening.withStage(Stage.PAYING));
        assertThat(log.drawsOn(TransferId.of("funding-1")))
                .containsExactlyInAnyOrder(p1.withStage(Stage.SUCCEEDED), p2);
    }

    @Test
    void entriesOutliveTheLogAndStayWithTheirRail() {
        log.insertIfAbsent(full());
        log.saveLeg(leg("l-1", LegStage.SENT));

        RecordedOpenPaymentsTransferLog restarted = new RecordedOpenPaymentsTransferLog(records, RAIL);
        RecordedOpenPaymentsTransferLog other = new RecordedOpenPaymentsTransferLog(records, RailId.of("op-2"));

        assertThat(restarted.find(full().transferId())).contains(full());
        assertThat(restarted.leg("l-1")).contains(leg("l-1", LegStage.SENT));
        assertThat(restarted.unresolved()).containsExactly(full());
        assertThat(other.find(full().transferId())).isEmpty();
        assertThat(other.leg("l-1")).isEmpty();
        assertThat(other.drawsOn(TransferId.of("funding-1"))).isEmpty();
    }

    @Test
    void theLongestIdsFit() {
        String id = "r".repeat(200);
        Leg refund = leg("refund:" + id + "#123456", LegStage.PREPARED);
        log.saveLeg(refund);
        log.insertIfAbsent(sparse(id, Kind.FUNDING, Stage.OPEN));

        assertThat(log.leg(refund.legId())).contains(refund);
        assertThat(log.find(TransferId.of(id))).isPresent();
    }
}
