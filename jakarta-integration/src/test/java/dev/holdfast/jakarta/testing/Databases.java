package dev.holdfast.jakarta.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Databases for the webhook tables, migrated by Flyway as the plugin migrates them. */
public final class Databases {
    public static final String PG_DATABASE = "holdfast_events_test";
    public static final String PG_ROLE = "holdfast_events";

    private Databases() {}

    /** @return a fresh in-memory H2 database, migrated */
    public static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:events-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        migrate(ds);
        return ds;
    }

    /**
     * Drops and recreates the PostgreSQL database and role of this area, then migrates it.
     *
     * @return a data source as the role
     */
    public static DataSource postgres() throws SQLException {
        try (Connection admin =
                        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + PG_DATABASE + " WITH (FORCE)");
            s.execute("DROP ROLE IF EXISTS " + PG_ROLE);
            s.execute("CREATE ROLE " + PG_ROLE + " LOGIN");
            s.execute("CREATE DATABASE " + PG_DATABASE + " OWNER " + PG_ROLE);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://127.0.0.1:5432/" + PG_DATABASE);
        ds.setUser(PG_ROLE);
        migrate(ds);
        return ds;
    }

    public static void migrate(DataSource ds) {
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration/holdfast")
                .table("holdfast_schema_history")
                .load()
                .migrate();
    }
}
