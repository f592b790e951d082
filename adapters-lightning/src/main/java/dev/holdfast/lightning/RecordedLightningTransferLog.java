package dev.holdfast.lightning;

import dev.holdfast.api.RailId;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.RailDocument;
import dev.holdfast.spi.RailRecords;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A durable {@link LightningTransferLog} over the host's {@link RailRecords}: one record per transfer id (key {@code
 * transfer:<id>}) whose document holds every field of the {@link Entry}, tagged {@code funding:<id>} (payouts by
 * their funding), {@code payment-hash:<hash>} (payouts and withdrawals by the hash they pay) and {@code unresolved}
 * (stages that can still change), so the log's queries are look-ups, not scans.
 *
 * <p>{@link #update} replaces whatever is stored, as the port defines: it reads the record's current version and
 * writes at it, trying again when another writer got in between. One log per rail id; several nodes may share the
 * records. Thread-safe when the records are.
 *
 * @since 0.6
 */
public final class RecordedLightningTransferLog implements LightningTransferLog {
    private static final String UNRESOLVED = "unresolved";

    private final RailRecords records;
    private final RailId rail;

    /**
     * @param records the host's durable records
     * @param rail the rail whose entries these are
     */
    public RecordedLightningTransferLog(RailRecords records, RailId rail) {
        this.records = Objects.requireNonNull(records, "records");
        this.rail = Objects.requireNonNull(rail, "rail");
    }

    @Override
    public Optional<Entry> find(TransferId transferId) {
        return records.find(rail, key(transferId)).map(r -> decode(r.document()));
    }

    @Override
    public Optional<Entry> insertIfAbsent(Entry entry) {
        return records.insertIfAbsent(rail, key(entry.transferId()), encode(entry), tags(entry))
                .map(r -> decode(r.document()));
    }

    @Override
    public void update(Entry entry) {
        if (!records.replace(rail, key(entry.transferId()), encode(entry), tags(entry), false)) {
            throw new IllegalStateException("no entry for " + entry.transferId());
        }
    }

    @Override
    public List<Entry> drawsOn(TransferId fundingTransferId) {
        return records.findByTag(rail, RailRecords.fit("funding:" + fundingTransferId.value())).stream()
                .map(r -> decode(r.document()))
                .filter(e -> fundingTransferId.equals(e.fundingTransferId()))
                .toList();
    }

    @Override
    public List<Entry> byPaymentHash(String paymentHash) {
        return records.findByTag(rail, RailRecords.fit("payment-hash:" + paymentHash)).stream()
                .map(r -> decode(r.document()))
                .filter(e -> e.kind() != Kind.FUNDING && paymentHash.equals(e.hash()))
                .toList();
    }

    @Override
    public List<Entry> unresolved() {
        return records.findByTag(rail, UNRESOLVED).stream()
                .map(r -> decode(r.document()))
                .filter(e -> e.stage().unresolved())
                .toList();
    }

    private static String key(TransferId transferId) {
        return RailRecords.fit("transfer:" + transferId.value());
    }

    private static Set<String> tags(Entry e) {
        Set<String> tags = new HashSet<>();
        if (e.fundingTransferId() != null) {
            tags.add(RailRecords.fit("funding:" + e.fundingTransferId().value()));
        }
        if (e.kind() != Kind.FUNDING && e.hash() != null && !e.hash().isEmpty()) {
            tags.add(RailRecords.fit("payment-hash:" + e.hash()));
        }
        if (e.stage().unresolved()) {
            tags.add(UNRESOLVED);
        }
        return tags;
    }

    /**
     * @param e an entry
     * @return its document text
     */
    static String encode(Entry e) {
        return RailDocument.builder()
                .put("transferId", e.transferId())
                .put("kind", e.kind())
                .put("stage", e.stage())
                .put("hash", e.hash())
                .put("amount", e.amount())
                .put("platformFee", e.platformFee())
                .put("fundingTransferId", e.fundingTransferId())
                .put("destination", e.destination())
                .put("paymentRequest", e.paymentRequest())
                .put("expiresAt", e.expiresAt())
                .put("cancelRequested", e.cancelRequested())
                .put("railFee", e.railFee())
                .put("error", e.error())
                .build()
                .text();
    }

    /**
     * @param text a document's text
     * @return the entry
     */
    static Entry decode(String text) {
        RailDocument d = RailDocument.parse(text);
        return new Entry(
                d.transferId("transferId"),
                d.enumValue("kind", Kind.class),
                d.enumValue("stage", Stage.class),
                d.string("hash"),
                d.money("amount"),
                d.money("platformFee"),
                d.transferId("fundingTransferId"),
                d.string("destination"),
                d.string("paymentRequest"),
                d.longValue("expiresAt"),
                d.booleanValue("cancelRequested"),
                d.money("railFee"),
                d.error("error"));
    }
}
