package dev.holdfast.loadtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * PostgreSQL's cumulative counters for one database, read in one transaction (so each reading adds exactly one
 * commit of its own): commits and rollbacks from {@code pg_stat_database}, and per table the rows inserted, updated
 * and deleted and the scans (index and sequential, a rough count of the statements that read it) from {@code
 * pg_stat_user_tables}. The counters are published by each backend up to a second late while busy and up to ten
 * seconds late when idle; the driver waits before reading.
 */
public record PgStats(long commits, long rollbacks, int backends, Map<String, long[]> tables) {
    /** The per-table columns, in the order of {@link #tables()} values. */
    public static final String[] TABLE_COLUMNS = {"ins", "upd", "del", "scans"};

    public static PgStats read(String jdbcUrl, String user) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, "")) {
            c.setAutoCommit(false);
            long commits;
            long rollbacks;
            int backends;
            Map<String, long[]> tables = new TreeMap<>();
            try (Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT xact_commit, xact_rollback, numbackends FROM pg_stat_database"
                        + " WHERE datname = current_database()")) {
                    r.next();
                    commits = r.getLong(1);
                    rollbacks = r.getLong(2);
                    backends = r.getInt(3);
                }
                try (ResultSet r = s.executeQuery("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del,"
                        + " coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables")) {
                    while (r.next()) {
                        tables.put(r.getString(1), new long[] {r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)});
                    }
                }
            }
            c.commit();
            return new PgStats(commits, rollbacks, backends, tables);
        }
    }

    /** @return per table, this reading minus an earlier one (tables only in this reading count from zero) */
    public Map<String, long[]> tableDelta(PgStats before) {
        Map<String, long[]> out = new TreeMap<>();
        tables.forEach((name, now) -> {
            long[] then = before.tables.getOrDefault(name, new long[now.length]);
            long[] d = new long[now.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = now[i] - then[i];
            }
            out.put(name, d);
        });
        return out;
    }
}
