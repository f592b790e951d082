package dev.holdfast.stellar;

import dev.holdfast.tck.rail.RailContractTest;
import dev.holdfast.tck.rail.RailTestFixture;

/** The rail contract kit against the Horizon simulator, funding in an issued asset (USDC with a trustline). */
class StellarPaymentRailContractTest extends RailContractTest {
    @Override
    protected RailTestFixture createFixture() {
        return new HorizonSimulatorFixture(HorizonSimulatorFixture.USDC);
    }
}
