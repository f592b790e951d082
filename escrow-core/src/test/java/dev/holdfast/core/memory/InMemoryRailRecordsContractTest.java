package dev.holdfast.core.memory;

import dev.holdfast.spi.RailRecords;
import dev.holdfast.tck.records.RailRecordsContractTest;

/** The in-memory rail records against the contract. */
class InMemoryRailRecordsContractTest extends RailRecordsContractTest {
    @Override
    protected RailRecords newRecords() {
        return new InMemoryRailRecords();
    }
}
