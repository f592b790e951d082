package dev.holdfast.openpayments;

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
 * A durable {@link OpenPaymentsTransferLog} over the host's {@link RailRecords}: one record per transfer id (key
 * {@code transfer:<id>}) and one per leg (key {@code leg:<leg id>}), whose documents hold every field of the {@link
 * Entry} or {@link Leg}. Entries are tagged {@code funding:<id>} (payouts by their funding) and {@code unresolved}
 * (stages that can still change), so the log's queries are look-ups, not scans.
 *
 * <p>{@link #update} and {@link #saveLeg} replace whatever is stored, as the port defines: they read the record's
 * current version and write at it, trying again when another writer got in between. One log per rail id; several
 * nodes may share the records. Thread-safe when the records are.
 *
 * <p>Continuation tokens are secrets and are kept in the document as given: the host's records must protect them at
 * rest (database encryption, or a {@link RailRecords} that seals documents).
 *
 * @since 0.6
 */
public final class RecordedOpenPaymentsTransferLog implements OpenPaymentsTransferLog {
    private static final String UNRESOLVED = "unresolved";

    private final RailRecords records;
    private final RailId rail;

    /**
     * @param records the host's durable records
     * @param rail the rail whose entries these are
     */
    public RecordedOpenPaymentsTransferLog(RailRecords records, RailId rail) {
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
    public List<Entry> unresolved() {
        return records.findByTag(rail, UNRESOLVED).stream()
                .map(r -> decode(r.document()))
                .filter(e -> e.stage().unresolved())
                .toList();
    }

    @Override
    public Optional<Leg> leg(String legId) {
        return records.find(rail, legKey(legId)).map(r -> decodeLeg(r.document()));
    }

    @Override
    public void saveLeg(Leg leg) {
        records.replace(rail, legKey(leg.legId()), encode(leg), Set.of(), true);
    }

    /** @return false when there was nothing to replace and {@code insert} is false */
    private static String key(TransferId transferId) {
        return RailRecords.fit("transfer:" + transferId.value());
    }

    private static String legKey(String legId) {
        return RailRecords.fit("leg:" + Objects.requireNonNull(legId, "legId"));
    }

    private static Set<String> tags(Entry e) {
        Set<String> tags = new HashSet<>();
        if (e.fundingTransferId() != null) {
            tags.add(RailRecords.fit("funding:" + e.fundingTransferId().value()));
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
                .put("amount", e.amount())
                .put("platformFee", e.platformFee())
                .put("fundingTransferId", e.fundingTransferId())
                .put("destination", e.destination())
                .put("buyerWallet", e.buyerWallet())
                .put("incomingPayment", e.incomingPayment())
                .put("expiresAt", e.expiresAt())
                .put("interactUrl", e.interactUrl())
                .put("continueUri", e.continueUri())
                .put("continueToken", e.continueToken())
                .put("clientNonce", e.clientNonce())
                .put("asNonce", e.asNonce())
                .put("authServer", e.authServer())
                .put("railFee", e.railFee())
                .put("error", e.error())
                .put("fingerprint", e.fingerprint())
                .build()
                .text();
    }

    /**
     * @param text a document's text
     * @return the entry
     */
    static Entry decode(String text) {
        RailDocument d = RailDocument.parse(text);
        Entry.Builder b = new Entry.Builder(
                d.transferId("transferId"), d.enumValue("kind", Kind.class), d.enumValue("stage", Stage.class));
        b.amount = d.money("amount");
        b.platformFee = d.money("platformFee");
        b.fundingTransferId = d.transferId("fundingTransferId");
        b.destination = d.string("destination");
        b.buyerWallet = d.string("buyerWallet");
        b.incomingPayment = d.string("incomingPayment");
        b.expiresAt = d.instant("expiresAt");
        b.interactUrl = d.string("interactUrl");
        b.continueUri = d.string("continueUri");
        b.continueToken = d.string("continueToken");
        b.clientNonce = d.string("clientNonce");
        b.asNonce = d.string("asNonce");
        b.authServer = d.string("authServer");
        b.railFee = d.money("railFee");
        b.error = d.error("error");
        b.fingerprint = d.string("fingerprint");
        return b.build();
    }

    /**
     * @param leg a leg
     * @return its document text
     */
    static String encode(Leg leg) {
        return RailDocument.builder()
                .put("legId", leg.legId())
                .put("from", leg.from())
                .put("to", leg.to())
                .put("amount", leg.amount())
                .put("stage", leg.stage())
                .put("incomingPayment", leg.incomingPayment())
                .put("outgoingPayment", leg.outgoingPayment())
                .put("railFee", leg.railFee())
                .put("error", leg.error())
                .build()
                .text();
    }

    /**
     * @param text a document's text
     * @return the leg
     */
    static Leg decodeLeg(String text) {
        RailDocument d = RailDocument.parse(text);
        return new Leg(
                d.string("legId"),
                d.string("from"),
                d.string("to"),
                d.money("amount"),
                d.enumValue("stage", LegStage.class),
                d.string("incomingPayment"),
                d.string("outgoingPayment"),
                d.money("railFee"),
                d.error("error"));
    }
}
