package dev.holdfast.openpayments;

import dev.holdfast.api.RailId;
import dev.holdfast.core.memory.InMemoryRailRecords;
import dev.holdfast.tck.rail.RailContractTest;
import dev.holdfast.tck.rail.RailTestFixture;

/** The Open Payments rail with its transfer log kept as rail records passes the rail contract kit too. */
class OpenPaymentsPaymentRailRecordedContractTest extends RailContractTest {
    @Override
    protected RailTestFixture createFixture() {
        return new OpenPaymentsSimulatorFixture(
                new RecordedOpenPaymentsTransferLog(new InMemoryRailRecords(), RailId.of("openpayments")));
    }
}
