package dev.holdfast.core.sandbox;

import dev.holdfast.tck.rail.RailContractTest;
import dev.holdfast.tck.rail.RailTestFixture;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

/**
 * The sandbox rail as a signature rail (like Stellar multisig) that sends every notification twice and charges a
 * rail fee: the kit's signature branches, de-duplication and fee accounting run against it.
 */
@DisplayName("SandboxRail with party signatures, duplicate notifications and a rail fee meets the rail contract")
class SandboxRailWithSignaturesContractTest extends RailContractTest {
    @Override
    protected RailTestFixture createFixture() {
        SandboxRailFixture fixture = new SandboxRailFixture(builder ->
                builder.maxHold(Duration.ofHours(6)).partySignatures(true).railFeeMinor(2));
        fixture.rail().duplicateNotifications(true);
        return fixture;
    }
}
