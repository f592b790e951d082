package dev.holdfast.jakarta.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.Flyway;
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

        assertThat(HoldfastMigrations.migrate(url, user, password)).isEqualTo(3);
        assertThat(HoldfastMigrations.migrate(url, user, password)).isZero();

        try (Connection c = DriverManager.getConnection(url, user, password)) {
            assertThat(tables(c))
                    .contains(
                            "holdfast_head",
                            "holdfast_event",
                            "holdfast_outbox",
                            "holdfast_evidence",
                            "holdfast_rail_record",
                            "holdfast_rail_record_tag");
            assertThat(tables(c)).allMatch(t -> t.startsWith("holdfast_"));
            try (ResultSet rs = c.createStatement()
                    .executeQuery("SELECT \"installed_rank\", \"version\", \"success\" FROM \"holdfast_schema_history\""
                            + " WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("version")).isEqualTo("1");
                assertThat(rs.getBoolean("success")).isTrue();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("version")).isEqualTo("2");
                assertThat(rs.getBoolean("success")).isTrue();
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("version")).isEqualTo("100");
                assertThat(rs.getBoolean("success")).isTrue();
                assertThat(rs.next()).as("only versions 1, 2 and 100 so far").isFalse();
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
                        org.assertj.core.groups.Tuple.tuple("2", MigrationState.PENDING),
                        org.assertj.core.groups.Tuple.tuple("100", MigrationState.PENDING));

        assertThat(HoldfastMigrations.migrate(ds)).isEqualTo(3);

        assertThat(HoldfastMigrations.info(ds))
                .extracting(m -> m.getVersion().getVersion(), MigrationInfo::getState)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", MigrationState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple("2", MigrationState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple("100", MigrationState.SUCCESS));
    }

    @Test
    void aDatabaseAtVersions1And100TakesVersion2OutOfOrder() throws IOException {
        // a database migrated before V2 existed: only V1 and V100 applied, from a copy of those two scripts
        Path older = Files.createTempDirectory("holdfast-migrations-before-v2");
        for (String script : List.of("V1__holdfast_store.sql", "V100__webhooks.sql")) {
            try (InputStream in = HoldfastMigrations.class.getResourceAsStream("/db/migration/holdfast/" + script)) {
                Files.copy(in, older.resolve(script));
            }
        }
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(TestDatabases.h2("holdfast_migrations_before_v2_" + System.nanoTime()));
        ds.setUser("sa");
        Flyway.configure()
                .dataSource(ds)
                .locations("filesystem:" + older)
                .table(HoldfastMigrations.HISTORY_TABLE)
                .load()
                .migrate();

        assertThat(HoldfastMigrations.migrate(ds)).isEqualTo(1);

        assertThat(HoldfastMigrations.info(ds))
                .extracting(m -> m.getVersion().getVersion(), MigrationInfo::getState)
                .containsExactly(
                        // in the order applied
                        org.assertj.core.groups.Tuple.tuple("1", MigrationState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple("100", MigrationState.SUCCESS),
                        org.assertj.core.groups.Tuple.tuple("2", MigrationState.OUT_OF_ORDER));
    }

    @Test
    void theCommandLineMigratesAndListsVersions() {
        String url = TestDatabases.h2("holdfast_migrations_cli");

        Run migrate = run(url, "sa", "");
        Run again = run("migrate", url, "sa");
        Run info = run("info", url, "sa", "");
        Run wrong = run("info");

        assertThat(migrate.status).isZero();
        assertThat(migrate.out).contains("applied 3 migration(s)");
        assertThat(again.out).contains("applied 0 migration(s)");
        assertThat(info.status).isZero();
        assertThat(info.out).containsPattern("(?m)^1\\tSuccess\\tholdfast store$");
        assertThat(info.out).containsPattern("(?m)^2\\tSuccess\\trail records$");
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
