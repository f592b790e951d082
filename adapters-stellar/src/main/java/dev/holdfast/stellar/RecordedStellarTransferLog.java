package dev.holdfast.stellar;

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
 * A durable {@link StellarTransferLog} over the host's {@link RailRecords}: one record per transfer id (key {@code
 * transfer:<id>}) whose document holds every field of the {@link Entry}; payouts are tagged {@code funding:<id>}.
 * {@link #all()} scans the rail's records, as the rail's watcher does once after a restart.
 *
 * <p>{@link #update} replaces whatever is stored, as the port defines: it reads the record's current version and
 * writes at it, trying again when another writer got in between. One log per rail id; several nodes may share the
 * records. Envelopes hold signatures only, never keys. Thread-safe when the records are.
 *
 * @since 0.6
 */
public final class RecordedStellarTransferLog implements StellarTransferLog {

    private final RailRecords records;
    private final RailId rail;

    /**
     * @param records the host's durable records
     * @param rail the rail whose entries these are
     */
    public RecordedStellarTransferLog(RailRecords records, RailId rail) {
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
    public List<Entry> all() {
        return records.findAll(rail).stream()
                .filter(r -> r.key().startsWith("transfer:"))
                .map(r -> decode(r.document()))
                .toList();
    }

    private static String key(TransferId transferId) {
        return RailRecords.fit(
                "transfer:" + Objects.requireNonNull(transferId, "transferId").value());
    }

    private static Set<String> tags(Entry e) {
        Set<String> tags = new HashSet<>();
        if (e.fundingTransferId() != null) {
            tags.add(RailRecords.fit("funding:" + e.fundingTransferId().value()));
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
                .put("fingerprint", e.fingerprint())
                .put("stage", e.stage())
                .put("amount", e.amount())
                .put("platformFee", e.platformFee())
                .put("fundingTransferId", e.fundingTransferId())
                .put("escrowAccount", e.escrowAccount())
                .put("buyerAccount", e.buyerAccount())
                .put("sellerAccount", e.sellerAccount())
                .put("destinationAccount", e.destinationAccount())
                .put("signer", e.signer())
                .put("fundBy", e.fundBy())
                .put("holdUntil", e.holdUntil())
                .put("expiresAt", e.expiresAt())
                .put("escrowSeq", e.escrowSeq())
                .put("heldMinor", e.heldMinor())
                .put("last", e.last())
                .put("txXdr", e.txXdr())
                .put("txHash", e.txHash())
                .put("signedXdr", e.signedXdr())
                .put("feeStroops", e.feeStroops())
                .put("error", e.error())
                .put("funded", e.funded())
                .put("closeFeeStroops", e.closeFeeStroops())
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
                d.string("fingerprint"),
                d.enumValue("stage", Stage.class),
                d.money("amount"),
                d.money("platformFee"),
                d.transferId("fundingTransferId"),
                d.string("escrowAccount"),
                d.string("buyerAccount"),
                d.string("sellerAccount"),
                d.string("destinationAccount"),
                d.enumValue("signer", dev.holdfast.api.Role.class),
                d.instant("fundBy"),
                d.instant("holdUntil"),
                d.instant("expiresAt"),
                d.longValue("escrowSeq"),
                d.longValue("heldMinor"),
                d.booleanValue("last"),
                d.string("txXdr"),
                d.string("txHash"),
                d.string("signedXdr"),
                d.longValue("feeStroops"),
                d.error("error"),
                d.booleanValue("funded"),
                d.longValue("closeFeeStroops"));
    }
}
