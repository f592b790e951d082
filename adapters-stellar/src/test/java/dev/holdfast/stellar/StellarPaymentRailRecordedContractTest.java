package dev.holdfast.stellar;

import dev.holdfast.api.RailId;
import dev.holdfast.core.memory.InMemoryRailRecords;
import dev.holdfast.tck.rail.RailContractTest;
import dev.holdfast.tck.rail.RailTestFixture;

/** The Stellar rail with its transfer log kept as rail records passes the rail contract kit too. */
class StellarPaymentRailRecordedContractTest extends RailContractTest {
    @Override
    protected RailTestFixture createFixture() {
        return new HorizonSimulatorFixture(
                HorizonSimulatorFixture.USDC,
                new RecordedStellarTransferLog(new InMemoryRailRecords(), RailId.of("stellar")));
    }
}
