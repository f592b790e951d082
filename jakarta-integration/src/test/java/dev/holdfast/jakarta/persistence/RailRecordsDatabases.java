package dev.holdfast.jakarta.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Databases for the rail records tables: a fresh H2 in memory, or this area's own PostgreSQL database and role. */
final class RailRecordsDatabases {
    static final String PG_DATABASE = "holdfast_raillog_test";
    static final String PG_ROLE = "holdfast_raillog";

    private RailRecordsDatabases() {}

    /** @return a fresh in-memory H2 database, migrated */
    static DataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(TestDatabases.h2(name + "_" + System.nanoTime()));
        ds.setUser("sa");
        HoldfastMigrations.migrate(ds);
        return ds;
    }

    /** @return a data source as this area's role on its database, dropped, created and migrated */
    static DataSource postgres() {
        try (Connection admin = DriverManager.getConnection(TestDatabases.PG_ADMIN_URL, "postgres", "");
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + PG_DATABASE + " WITH (FORCE)");
            s.execute("DROP ROLE IF EXISTS " + PG_ROLE);
            s.execute("CREATE ROLE " + PG_ROLE + " LOGIN");
            s.execute("CREATE DATABASE " + PG_DATABASE + " OWNER " + PG_ROLE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare PostgreSQL database " + PG_DATABASE, e);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://127.0.0.1:5432/" + PG_DATABASE);
        ds.setUser(PG_ROLE);
        HoldfastMigrations.migrate(ds);
        return ds;
    }

    /** Empties the rail records tables. */
    static void clean(DataSource ds) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM holdfast_rail_record_tag");
            s.executeUpdate("DELETE FROM holdfast_rail_record");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clean the rail records tables", e);
        }
    }
}
