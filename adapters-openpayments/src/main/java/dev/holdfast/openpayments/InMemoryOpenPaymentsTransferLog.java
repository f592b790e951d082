package dev.holdfast.openpayments;

import dev.holdfast.api.TransferId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link OpenPaymentsTransferLog} in memory, for tests and demos: a restart forgets every transfer. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryOpenPaymentsTransferLog implements OpenPaymentsTransferLog {
    private final Map<TransferId, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Leg> legs = new ConcurrentHashMap<>();

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
    public List<Entry> unresolved() {
        return entries.values().stream().filter(e -> e.stage().unresolved()).toList();
    }

    @Override
    public Optional<Leg> leg(String legId) {
        return Optional.ofNullable(legs.get(legId));
    }

    @Override
    public void saveLeg(Leg leg) {
        legs.put(leg.legId(), leg);
    }
}
