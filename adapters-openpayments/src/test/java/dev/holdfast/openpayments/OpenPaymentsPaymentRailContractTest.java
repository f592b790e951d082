package dev.holdfast.openpayments;

import dev.holdfast.tck.rail.RailContractTest;
import dev.holdfast.tck.rail.RailTestFixture;

/** The Open Payments rail against the Open Payments simulator passes the rail contract kit. */
class OpenPaymentsPaymentRailContractTest extends RailContractTest {
    @Override
    protected RailTestFixture createFixture() {
        return new OpenPaymentsSimulatorFixture();
    }
}
