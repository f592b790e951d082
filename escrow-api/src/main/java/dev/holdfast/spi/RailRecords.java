package dev.holdfast.spi;

import dev.holdfast.api.RailId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A small durable document store for payment rail adapters: what a rail opened or sent per transfer id, so that it
 * stays idempotent and can reconcile after a restart. The host supplies it as a {@link RailSettings#component}; an
 * adapter encodes its own log entries into {@link RailRecord#document() documents} and never sees the database, so
 * adapters and hosts do not depend on each other.
 *
 * <p>A record is keyed by its rail id and a key the rail chooses (a transfer id, a leg id), holds an opaque text
 * document, a version for optimistic updates, and a set of tags for the secondary look-ups a rail needs (e.g. {@code
 * funding:<transfer id>}, {@code unresolved}). Rails are isolated from each other: no call sees another rail's
 * records.
 *
 * <p>Contract, checked by {@code dev.holdfast.tck.records.RailRecordsContractTest}:
 *
 * <ul>
 *   <li>each call is its own committed unit of work: rails call it outside the engine's transactions, and what a call
 *       wrote is visible to every later call on every node sharing the store;
 *   <li>{@link #insertIfAbsent} is atomic per (rail, key): of several concurrent inserts exactly one stores its
 *       record, the others get a stored record back;
 *   <li>{@link #update} succeeds only at the expected version and replaces document and tags together, else throws
 *       {@link StoreConflictException};
 *   <li>look-ups return records as committed, each with its own version and tags.
 * </ul>
 *
 * <p>Implementations are thread-safe and may be shared by several nodes. Documents are stored as given; a rail that
 * keeps secrets in them relies on the host to protect the store at rest.
 *
 * @since 0.6
 */
public interface RailRecords {
    /** The longest key and the longest tag, in characters. */
    int MAX_KEY_LENGTH = 200;

    /**
     * @param rail the rail
     * @param key the record's key
     * @return the record, if one was stored
     */
    Optional<RailRecord> find(RailId rail, String key);

    /**
     * Stores a new record at version 1 unless one exists for the rail and key.
     *
     * @param rail the rail
     * @param key the record's key, 1 to {@value #MAX_KEY_LENGTH} characters
     * @param document the document
     * @param tags its tags, each 1 to {@value #MAX_KEY_LENGTH} characters
     * @return the existing record (unchanged), or empty when this one was stored
     * @throws IllegalArgumentException when the key or a tag is empty or too long
     */
    Optional<RailRecord> insertIfAbsent(RailId rail, String key, String document, Set<String> tags);

    /**
     * Replaces a record's document and tags, if it is still at the version the caller read.
     *
     * @param rail the rail
     * @param key the record's key
     * @param expectedVersion the version the caller read
     * @param document the new document
     * @param tags the new tags, replacing the old ones
     * @return the stored record, at {@code expectedVersion + 1}
     * @throws StoreConflictException when the record is missing or at another version (someone else updated it
     *     first): read it again and decide again
     * @throws IllegalArgumentException when a tag is empty or too long
     */
    RailRecord update(RailId rail, String key, long expectedVersion, String document, Set<String> tags);

    /**
     * @param rail the rail
     * @param tag a tag
     * @return the rail's records carrying the tag, by key
     */
    List<RailRecord> findByTag(RailId rail, String tag);

    /**
     * Every record of a rail, for a rail that scans its log after a restart. Costs in proportion to the rail's
     * records: rails use tags for frequent look-ups.
     *
     * @param rail the rail
     * @return the rail's records, by key
     */
    List<RailRecord> findAll(RailId rail);

    /**
     * Writes a record whatever version it is at (last writer wins), as transfer logs whose ports only "replace the
     * entry" need: reads the current version and writes at it, again when another writer got in between.
     *
     * @param rail the rail
     * @param key the record's key
     * @param document the new document
     * @param tags the new tags
     * @param insertIfAbsent whether to insert the record when there is none
     * @return false when there was no record and {@code insertIfAbsent} is false (nothing written)
     * @throws StoreConflictException when other writers kept getting in between
     */
    default boolean replace(RailId rail, String key, String document, Set<String> tags, boolean insertIfAbsent) {
        int attempts = 10;
        for (int attempt = 1; ; attempt++) {
            Optional<RailRecord> current = find(rail, key);
            try {
                if (current.isPresent()) {
                    update(rail, key, current.get().version(), document, tags);
                    return true;
                }
                if (!insertIfAbsent) {
                    return false;
                }
                if (insertIfAbsent(rail, key, document, tags).isEmpty()) {
                    return true;
                }
                // inserted by someone else in between: replace theirs
            } catch (StoreConflictException e) {
                if (attempt == attempts) {
                    throw e;
                }
            }
            if (attempt == attempts) {
                throw new StoreConflictException("rail record " + rail + "/" + key + " kept changing");
            }
        }
    }

    /**
     * Makes a key or tag from text that may be longer than {@value #MAX_KEY_LENGTH} characters (a prefix plus a
     * 200-character transfer id): short text is kept as is, longer text becomes its first 120 characters, {@code #}
     * and its SHA-256 in hex. Deterministic; distinct texts give distinct results unless SHA-256 collides, and a rail
     * that must be sure compares the full id kept in the document.
     *
     * @param text the text
     * @return a valid key or tag
     * @throws IllegalArgumentException when the text is empty
     */
    static String fit(String text) {
        if (text.length() <= MAX_KEY_LENGTH) {
            return checkKey("key", text);
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return text.substring(0, 120) + "#" + java.util.HexFormat.of().formatHex(hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Checks a key or a tag.
     *
     * @param what {@code key} or {@code tag}, for the message
     * @param value the value
     * @return the value
     * @throws IllegalArgumentException when it is null, empty or longer than {@value #MAX_KEY_LENGTH}
     */
    static String checkKey(String what, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "a rail record " + what + " is 1 to " + MAX_KEY_LENGTH + " characters, got " + value);
        }
        return value;
    }

    /**
     * One stored record. Immutable and thread-safe.
     *
     * @param rail the rail it belongs to
     * @param key its key
     * @param document its document
     * @param version 1 when inserted, one more at each update
     * @param tags its tags
     * @since 0.6
     */
    record RailRecord(RailId rail, String key, String document, long version, Set<String> tags) {
        /**
         * @param rail the rail
         * @param key its key
         * @param document its document
         * @param version its version, at least 1
         * @param tags its tags (copied)
         */
        public RailRecord {
            java.util.Objects.requireNonNull(rail, "rail");
            checkKey("key", key);
            java.util.Objects.requireNonNull(document, "document");
            if (version < 1) {
                throw new IllegalArgumentException("version " + version);
            }
            tags = Set.copyOf(tags);
        }
    }
}
