package dev.holdfast.lightning;

import dev.holdfast.tck.rail.RailContractTest;
import dev.holdfast.tck.rail.RailTestFixture;

/** The Lightning rail against the LND simulator passes the rail contract kit. */
class LightningPaymentRailContractTest extends RailContractTest {
    @Override
    protected RailTestFixture createFixture() {
        return new LndSimulatorFixture();
    }
}
