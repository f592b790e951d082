package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.RailRecords;
import dev.holdfast.tck.records.RailRecordsContractTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC rail records on PostgreSQL (its own database and role, migrated by Flyway) against the contract, sealed
 * as the plugin runs them; H2's run keeps documents in clear, so both modes pass.
 */
class PostgresJdbcRailRecordsContractTest extends RailRecordsContractTest {
    private static DataSource dataSource;

    @BeforeAll
    static void migrate() {
        dataSource = RailRecordsDatabases.postgres();
    }

    @Override
    protected RailRecords newRecords() {
        RailRecordsDatabases.clean(dataSource);
        return new JdbcRailRecords(dataSource, SealedRailRecordsTest.cipher());
    }
}
