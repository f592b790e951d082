package dev.holdfast.stellar;

import dev.holdfast.api.TransferId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link StellarTransferLog} in memory: survives a rail restart when the same instance is handed to the new rail,
 * not a process restart. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryStellarTransferLog implements StellarTransferLog {
    private final Map<TransferId, Entry> entries = new ConcurrentHashMap<>();

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
    public List<Entry> all() {
        return new ArrayList<>(entries.values());
    }
}
