package dev.holdfast.jakarta.persistence;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.RailId;
import dev.holdfast.jakarta.secrets.Secret;
import dev.holdfast.jakarta.secrets.SecretCipher;
import dev.holdfast.spi.RailRecords;
import dev.holdfast.spi.StoreConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link RailRecords} in the plugin's database (tables {@code holdfast_rail_record} and {@code
 * holdfast_rail_record_tag}, migration V2), over plain JDBC on the DataSource: rail adapters call it outside the
 * engine's units of work, so each call takes a connection, does its statements in one local transaction and commits.
 * Several nodes may share the database: inserts race on the primary key (the loser reads the winner's record), updates
 * carry the version they read in their {@code WHERE} clause. Reads are one statement each, so a record and its tags
 * are read together.
 *
 * <p>Works on PostgreSQL 15 and H2 2.x, in Java SE and in a Jakarta EE server, where the DataSource must not be
 * enlisted in a JTA transaction at the time of the call (rails are called outside any). A database failure surfaces
 * as {@link EscrowException} with {@link ErrorCode#STORE_UNAVAILABLE}; a lost race on update as {@link
 * StoreConflictException}. Thread-safe.
 *
 * @since 0.6
 */
public final class JdbcRailRecords implements RailRecords {
    private static final String UNIQUE_VIOLATION = "23505"; // the same SQLState on H2 and PostgreSQL
    /** Lost races other than a duplicate key: serialization failure, deadlock, lock timeouts (H2, PostgreSQL). */
    private static final Set<String> RACES = Set.of("40001", "40P01", "HYT00", "55P03", "90131");

    private static final int INSERT_ATTEMPTS = 20;

    private static final String SELECT = "SELECT r.record_key, r.document, r.record_version, t.tag"
            + " FROM holdfast_rail_record r LEFT JOIN holdfast_rail_record_tag t"
            + " ON t.rail_id = r.rail_id AND t.record_key = r.record_key WHERE r.rail_id = ?";

    private final DataSource dataSource;
    private final SecretCipher cipher;

    /**
     * Keeps documents in clear: for tests and for hosts whose database is encrypted at rest by other means.
     *
     * @param dataSource the migrated database ({@link HoldfastMigrations})
     */
    public JdbcRailRecords(DataSource dataSource) {
        this(dataSource, null);
    }

    /**
     * Seals every document with the cipher. Rail documents hold bearer secrets (Open Payments continuation tokens)
     * and payment details; tags and keys stay in clear because look-ups need them and they carry no secret.
     *
     * @param dataSource the migrated database ({@link HoldfastMigrations})
     * @param cipher seals documents at rest; {@code null} keeps them in clear
     */
    public JdbcRailRecords(DataSource dataSource, SecretCipher cipher) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cipher = cipher;
    }

    private String seal(RailId rail, String key, String document) {
        // The context binds a sealed document to its row, so a document copied onto another record does not open.
        // A one-character prefix: a secret is never blank, an empty document is allowed.
        return cipher == null ? document : cipher.seal(Secret.of("d" + document), rail.value() + "/" + key);
    }

    private String open(RailId rail, String key, String stored) {
        return cipher == null
                ? stored
                : cipher.open(stored, rail.value() + "/" + key).reveal().substring(1);
    }

    @Override
    public Optional<RailRecord> find(RailId rail, String key) {
        Objects.requireNonNull(key, "key");
        List<RailRecord> found = select(rail, SELECT + " AND r.record_key = ?", key);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public Optional<RailRecord> insertIfAbsent(RailId rail, String key, String document, Set<String> tags) {
        // validates everything before touching the database
        RailRecord record = new RailRecord(rail, key, document, 1, checkTags(tags));
        for (int attempt = 1; ; attempt++) {
            Optional<RailRecord> existing = find(rail, key);
            if (existing.isPresent()) {
                return existing;
            }
            try {
                insert(record);
                return Optional.empty();
            } catch (SQLException e) {
                boolean lost = UNIQUE_VIOLATION.equals(e.getSQLState()) || RACES.contains(e.getSQLState());
                if (!lost) {
                    throw unavailable(e);
                }
                if (attempt == INSERT_ATTEMPTS) {
                    // the winner neither committed nor rolled back in all that time: let the rail retry later
                    throw new StoreConflictException("rail record " + rail + "/" + key + ": insert kept conflicting");
                }
                // someone else inserted it: read theirs (next loop); when they rolled back, insert again
            }
        }
    }

    private void insert(RailRecord record) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO holdfast_rail_record"
                    + " (rail_id, record_key, document, record_version) VALUES (?, ?, ?, 1)")) {
                ps.setString(1, record.rail().value());
                ps.setString(2, record.key());
                ps.setString(3, seal(record.rail(), record.key(), record.document()));
                ps.executeUpdate();
            }
            insertTags(c, record);
            return null;
        });
    }

    @Override
    public RailRecord update(RailId rail, String key, long expectedVersion, String document, Set<String> tags) {
        RailRecord next = new RailRecord(rail, key, document, expectedVersion + 1, checkTags(tags));
        try {
            return inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE holdfast_rail_record"
                        + " SET document = ?, record_version = record_version + 1"
                        + " WHERE rail_id = ? AND record_key = ? AND record_version = ?")) {
                    ps.setString(1, seal(rail, key, document));
                    ps.setString(2, rail.value());
                    ps.setString(3, key);
                    ps.setLong(4, expectedVersion);
                    if (ps.executeUpdate() != 1) {
                        throw new StoreConflictException(
                                "rail record " + rail + "/" + key + " is not at version " + expectedVersion);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM holdfast_rail_record_tag WHERE rail_id = ? AND record_key = ?")) {
                    ps.setString(1, rail.value());
                    ps.setString(2, key);
                    ps.executeUpdate();
                }
                insertTags(c, next);
                return next;
            });
        } catch (SQLException e) {
            if (RACES.contains(e.getSQLState()) || UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new StoreConflictException(
                        "rail record " + rail + "/" + key + ": concurrent update (" + e.getSQLState() + ")");
            }
            throw unavailable(e);
        }
    }

    @Override
    public List<RailRecord> findByTag(RailId rail, String tag) {
        Objects.requireNonNull(tag, "tag");
        return select(
                rail,
                SELECT + " AND EXISTS (SELECT 1 FROM holdfast_rail_record_tag x WHERE x.rail_id = r.rail_id"
                        + " AND x.record_key = r.record_key AND x.tag = ?)",
                tag);
    }

    @Override
    public List<RailRecord> findAll(RailId rail) {
        return select(rail, SELECT, null);
    }

    private List<RailRecord> select(RailId rail, String sql, String parameter) {
        Objects.requireNonNull(rail, "rail");
        record Row(String document, long version, Set<String> tags) {}
        Map<String, Row> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, rail.value());
            if (parameter != null) {
                ps.setString(2, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    Row row = rows.get(key);
                    if (row == null) {
                        row = new Row(rs.getString(2), rs.getLong(3), new HashSet<>());
                        rows.put(key, row);
                    }
                    String tag = rs.getString(4);
                    if (tag != null) {
                        row.tags().add(tag);
                    }
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
        List<RailRecord> records = new ArrayList<>(rows.size());
        rows.forEach((key, row) ->
                records.add(new RailRecord(rail, key, open(rail, key, row.document()), row.version(), row.tags())));
        // in Java, not ORDER BY: the database's collation would order keys differently from the in-memory store
        records.sort(Comparator.comparing(RailRecord::key));
        return records;
    }

    private static void insertTags(Connection c, RailRecord record) throws SQLException {
        if (record.tags().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO holdfast_rail_record_tag (rail_id, tag, record_key) VALUES (?, ?, ?)")) {
            for (String tag : record.tags()) {
                ps.setString(1, record.rail().value());
                ps.setString(2, tag);
                ps.setString(3, record.key());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static Set<String> checkTags(Set<String> tags) {
        tags.forEach(t -> RailRecords.checkKey("tag", t));
        return tags;
    }

    private static EscrowException unavailable(SQLException e) {
        return new EscrowException(ErrorCode.STORE_UNAVAILABLE, e, "rail records: " + e.getSQLState());
    }
}
