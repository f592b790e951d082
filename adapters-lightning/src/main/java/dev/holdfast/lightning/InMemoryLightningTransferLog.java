package dev.holdfast.lightning;

import dev.holdfast.api.TransferId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link LightningTransferLog} in memory, for tests and demos. Forgets everything when the JVM stops, so it is
 * not for production: hosts must give a durable log (the Jakarta module will).
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryLightningTransferLog implements LightningTransferLog {
    private final ConcurrentMap<TransferId, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<Entry> find(TransferId transferId) {
        return Optional.ofNullable(entries.get(transferId));
    }

    @Override
    public Optional<Entry> insertIfAbsent(Entry entry) {
        return Optional.ofNullable(entries.putIfAbsent(entry.transferId(), entry));
    }

    @Override
    public void update(Entry entry) {
        if (entries.replace(entry.transferId(), entry) == null) {
            throw new IllegalStateException("no entry for " + entry.transferId());
        }
    }

    @Override
    public List<Entry> drawsOn(TransferId fundingTransferId) {
        return entries.values().stream()
                .filter(e -> fundingTransferId.equals(e.fundingTransferId()))
                .toList();
    }

    @Override
    public List<Entry> byPaymentHash(String paymentHash) {
        return entries.values().stream()
                .filter(e -> e.kind() != Kind.FUNDING && paymentHash.equals(e.hash()))
                .toList();
    }

    @Override
    public List<Entry> unresolved() {
        return entries.values().stream().filter(e -> e.stage().unresolved()).toList();
    }
}
