package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.RailRecords;
import dev.holdfast.tck.records.RailRecordsContractTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;

/** The JDBC rail records on a fresh H2 database against the contract. */
class H2JdbcRailRecordsContractTest extends RailRecordsContractTest {
    private static DataSource dataSource;

    @BeforeAll
    static void migrate() {
        dataSource = RailRecordsDatabases.h2("holdfast_rail_records");
    }

    @Override
    protected RailRecords newRecords() {
        RailRecordsDatabases.clean(dataSource);
        return new JdbcRailRecords(dataSource);
    }
}
