package dev.holdfast.stellar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.memory.InMemoryRailRecords;
import dev.holdfast.spi.RailError;
import dev.holdfast.stellar.StellarTransferLog.Entry;
import dev.holdfast.stellar.StellarTransferLog.Kind;
import dev.holdfast.stellar.StellarTransferLog.Stage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordedStellarTransferLogTest {
    private static final RailId RAIL = RailId.of("stellar");
    private static final Asset USDC = new Asset("USDC", 7);
    private final InMemoryRailRecords records = new InMemoryRailRecords();
    private final RecordedStellarTransferLog log = new RecordedStellarTransferLog(records, RAIL);

    private static Entry full() {
        return new Entry(
                TransferId.of("payout-1"),
                Kind.PAYOUT,
                "sha256:fingerprint",
                Stage.AWAITING_SIGNATURE,
                Money.of(1_234_567, USDC),
                Money.of(89, USDC),
                TransferId.of("funding-1"),
                "GESCROW",
                "GBUYER",
                "GSELLER",
                "GDEST",
                Role.SELLER,
                Instant.parse("2026-03-01T12:00:00.000000001Z"),
                Instant.parse("2026-03-08T12:00:00Z"),
                Instant.ofEpochSecond(1_800_000_000L, 999_999_999),
                Long.MAX_VALUE,
                -1,
                true,
                "AAAA+/=xdr\nline",
                "ff".repeat(32),
                "BBBB==",
                Long.MIN_VALUE,
                new RailError("tx_bad_seq", "bad sequence"),
                true,
                300);
    }

    private static Entry sparse(String id) {
        Entry.Builder b = Entry.builder();
        b.transferId = TransferId.of(id);
        return b.build();
    }

    @Test
    void fullyPopulatedAndSparseEntriesRoundTripExactly() {
        assertThat(log.insertIfAbsent(full())).isEmpty();
        assertThat(log.insertIfAbsent(sparse("bare"))).isEmpty();

        assertThat(log.find(TransferId.of("payout-1"))).contains(full());
        assertThat(log.find(TransferId.of("bare"))).contains(sparse("bare"));
        assertThat(log.find(TransferId.of("bare")).orElseThrow().kind()).isNull();
        assertThat(log.find(TransferId.of("none"))).isEmpty();
        for (Stage s : Stage.values()) {
            for (Kind k : Kind.values()) {
                Entry e = full().with(b -> {
                    b.kind = k;
                    b.signer = null;
                    b.error = null;
                    return b.stage(s);
                });
                assertThat(RecordedStellarTransferLog.decode(RecordedStellarTransferLog.encode(e)))
                        .isEqualTo(e);
            }
        }
        assertThat(Entry.class.getRecordComponents())
                .as("a new Entry field must be added to the document")
                .hasSize(25);
    }

    @Test
    void insertIfAbsentKeepsTheFirstEntryAndUpdateReplacesIt() {
        Entry first = full();
        log.insertIfAbsent(first);
        Entry submitted = first.with(b -> b.stage(Stage.SUBMITTED));

        assertThat(log.insertIfAbsent(submitted)).contains(first);
        log.update(submitted);

        assertThat(log.find(first.transferId())).contains(submitted);
        assertThatThrownBy(() -> log.update(sparse("missing"))).isInstanceOf(IllegalStateException.class);
        assertThat(log.find(TransferId.of("missing"))).isEmpty();
    }

    @Test
    void allListsTheRailsEntriesAfterARestartAndNoOtherRails() {
        log.insertIfAbsent(full());
        log.insertIfAbsent(sparse("bare"));
        new RecordedStellarTransferLog(records, RailId.of("stellar-2")).insertIfAbsent(sparse("elsewhere"));

        RecordedStellarTransferLog restarted = new RecordedStellarTransferLog(records, RAIL);

        assertThat(restarted.all()).containsExactlyInAnyOrder(full(), sparse("bare"));
        assertThat(records.findByTag(RAIL, "funding:funding-1")).hasSize(1);
    }
}
