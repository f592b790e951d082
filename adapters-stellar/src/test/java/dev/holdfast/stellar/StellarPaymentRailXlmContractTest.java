package dev.holdfast.stellar;

import dev.holdfast.api.Asset;
import dev.holdfast.tck.rail.RailContractTest;
import dev.holdfast.tck.rail.RailTestFixture;

/**
 * The rail contract kit against the Horizon simulator, funding in XLM: the escrow account's reserve and fee buffer
 * are the platform's XLM too, so the fixture counts what is lent to open escrow accounts as the platform's funds.
 */
class StellarPaymentRailXlmContractTest extends RailContractTest {
    @Override
    protected RailTestFixture createFixture() {
        return new HorizonSimulatorFixture(Asset.XLM);
    }
}
