package dev.holdfast.jakarta.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** Test databases: fresh PostgreSQL databases owned by a test role, fresh H2 in-memory databases, and cleaning. */
final class TestDatabases {
    static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final String ROLE = "holdfast_jpa";
    static final String PASSWORD = "holdfast_jpa";

    static final List<String> TABLES = List.of(
            "holdfast_escrow",
            "holdfast_event",
            "holdfast_journal_entry",
            "holdfast_posting",
            "holdfast_ledger_account",
            "holdfast_idempotency",
            "holdfast_timer",
            "holdfast_rail_operation",
            "holdfast_audit",
            "holdfast_outbox",
            "holdfast_outbox_subject",
            "holdfast_evidence");

    /** Quiet EclipseLink and keep its pool small: two cores, several suites. */
    static final Map<String, Object> QUIET = Map.of(
            "eclipselink.logging.level", "SEVERE",
            "eclipselink.connection-pool.default.initial", "1",
            "eclipselink.connection-pool.default.min", "1",
            "eclipselink.connection-pool.default.max", "8");

    private TestDatabases() {}

    /**
     * Drops and creates a PostgreSQL database owned by the test role (created if missing).
     *
     * @return its JDBC URL
     */
    static String freshPostgres(String database) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", "");
                Statement s = c.createStatement()) {
            try {
                s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
            } catch (SQLException e) {
                if (!"42710".equals(e.getSQLState())) { // duplicate object: created by an earlier run
                    throw e;
                }
            }
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database + " OWNER " + ROLE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare PostgreSQL database " + database, e);
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    static String h2(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000";
    }

    /** Empties every store table and resets the counters, so the next store starts as new. */
    static void clean(String url, String user, String password) {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            if (url.startsWith("jdbc:postgresql:")) {
                // one statement for all: a truncate per table costs a checkpoint-like pause each on PostgreSQL
                s.execute("TRUNCATE TABLE " + String.join(", ", TABLES));
            } else {
                for (String table : TABLES) {
                    s.execute("TRUNCATE TABLE " + table);
                }
            }
            s.executeUpdate("UPDATE holdfast_head SET escrow_count = 0, journal_count = 0, audit_sequence = 0,"
                    + " audit_hash = '" + "0".repeat(64) + "', outbox_sequence = 0");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clean " + url, e);
        }
    }
}
