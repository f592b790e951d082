package dev.holdfast.core.memory;

import dev.holdfast.api.RailId;
import dev.holdfast.spi.RailRecords;
import dev.holdfast.spi.StoreConflictException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link RailRecords} in memory, for tests, demos and Java SE hosts that accept losing rail state at restart (which
 * production must not). Each call is atomic on its own: records are immutable values swapped in a concurrent map.
 * Thread-safe; one JVM only.
 *
 * @since 0.6
 */
public final class InMemoryRailRecords implements RailRecords {
    private record Key(RailId rail, String key) {}

    private final ConcurrentMap<Key, RailRecord> records = new ConcurrentHashMap<>();

    @Override
    public Optional<RailRecord> find(RailId rail, String key) {
        return Optional.ofNullable(records.get(new Key(Objects.requireNonNull(rail, "rail"), key)));
    }

    @Override
    public Optional<RailRecord> insertIfAbsent(RailId rail, String key, String document, Set<String> tags) {
        RailRecord record = new RailRecord(rail, key, document, 1, checkTags(tags));
        return Optional.ofNullable(records.putIfAbsent(new Key(rail, key), record));
    }

    @Override
    public RailRecord update(RailId rail, String key, long expectedVersion, String document, Set<String> tags) {
        RailRecord next = new RailRecord(rail, key, document, expectedVersion + 1, checkTags(tags));
        Key k = new Key(rail, key);
        RailRecord current = records.get(k);
        if (current == null || current.version() != expectedVersion || !records.replace(k, current, next)) {
            throw new StoreConflictException("rail record " + rail + "/" + key + " is not at version " + expectedVersion
                    + " (now " + (current == null ? "missing" : current.version()) + ")");
        }
        return next;
    }

    @Override
    public List<RailRecord> findByTag(RailId rail, String tag) {
        Objects.requireNonNull(tag, "tag");
        return records.values().stream()
                .filter(r -> r.rail().equals(rail) && r.tags().contains(tag))
                .sorted(Comparator.comparing(RailRecord::key))
                .toList();
    }

    @Override
    public List<RailRecord> findAll(RailId rail) {
        return records.values().stream()
                .filter(r -> r.rail().equals(rail))
                .sorted(Comparator.comparing(RailRecord::key))
                .toList();
    }

    private static Set<String> checkTags(Set<String> tags) {
        tags.forEach(t -> RailRecords.checkKey("tag", t));
        return tags;
    }
}
