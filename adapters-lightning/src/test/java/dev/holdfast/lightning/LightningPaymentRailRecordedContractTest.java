package dev.holdfast.lightning;

import dev.holdfast.api.RailId;
import dev.holdfast.core.memory.InMemoryRailRecords;
import dev.holdfast.tck.rail.RailContractTest;
import dev.holdfast.tck.rail.RailTestFixture;

/** The Lightning rail with its transfer log kept as rail records passes the rail contract kit too. */
class LightningPaymentRailRecordedContractTest extends RailContractTest {
    @Override
    protected RailTestFixture createFixture() {
        return new LndSimulatorFixture(
                new RecordedLightningTransferLog(new InMemoryRailRecords(), RailId.of("lightning")));
    }
}
