package dev.holdfast.jakarta.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store's Flyway migrations on a fresh H2 and a fresh PostgreSQL database, and the command line. */
class HoldfastMigrationsTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aFreshDatabaseMigratesAndASecondRunDoesNothing(String vendor) throws SQLException {
        String url = vendor.equals("h2")
                ? TestDatabases.h2("holdfast_migrations_" + System.nanoTime())
                : TestDatabases.freshPostgres("holdfast_jpa_migrations");
        String user = vendor.equals("h2") ? "sa" : TestDatabases.ROLE;
        String password = vendor.equals("h2") ? "" : TestDatabases.PASSWORD;

        assertThat(HoldfastMigrations.migrate(url, user, password)).isEqualTo(2);
        assertThat(HoldfastMigrations.migrate(url, user, password)).isZero();

        try (Connection c = DriverManager.getConnection(url, user, password)) {
            assertThat(tables(c)).contains("holdfast_head", "holdfast_event", "holdfast_outbox", "holdfast_evidence");
            assertThat(tables(c)).allMatch(t -> t.startsWith("holdfast_"));
            try (ResultSet rs = c.createStatement()
                    .executeQuery("SELECT \"installed_rank\", \"version\", \"success\" FROM \"holdfast_schema_history\""
                            + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("version")).isEqualTo("1");
                assertThat(rs.getBoolean("success")).isTrue();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("version")).isEqualTo("100");
                assertThat(rs.getBoolean("success")).isTrue();
                assertThat(rs.next()).as("only versions 1 and 100 so far").isFalse();
            }
        }
    }

    @Test
    void infoListsTheAppliedVersionsOfADataSource() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(TestDatabases.h2("holdfast_migrations_info"));
        ds.setUser("sa");
        assertThat(HoldfastMigrations.info(ds))
                .extracting(m -> m.getVersion().getVersion(), MigrationInfo::getState)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", MigrationState.PENDING),
                        org.assertj.core.groups.Tuple.tuple("100", MigrationState.PENDING));

        assertThat(HoldfastMigrations.migrate(ds)).isEqualTo(2);

        assertThat(HoldfastMigrations.info(ds))
                .extracting(m -> m.getVersion().getVersion(), MigrationInfo::getState)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", MigrationState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple("100", MigrationState.SUCCESS));
    }

    @Test
    void theCommandLineMigratesAndListsVersions() {
        String url = TestDatabases.h2("holdfast_migrations_cli");

        Run migrate = run(url, "sa", "");
        Run again = run("migrate", url, "sa");
        Run info = run("info", url, "sa", "");
        Run wrong = run("info");

        assertThat(migrate.status).isZero();
        assertThat(migrate.out).contains("applied 2 migration(s)");
        assertThat(again.out).contains("applied 0 migration(s)");
        assertThat(info.status).isZero();
        assertThat(info.out).containsPattern("(?m)^1\\tSuccess\\tholdfast store$");
        assertThat(info.out).containsPattern("(?m)^100\\tSuccess\\twebhooks$");
        assertThat(wrong.status).isEqualTo(2);
        assertThat(wrong.err).contains("usage:");
    }

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = HoldfastMigrations.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        String schema = c.getSchema();
        try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return tables;
    }
}
