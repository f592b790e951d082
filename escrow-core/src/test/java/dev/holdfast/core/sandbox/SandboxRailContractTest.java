package dev.holdfast.core.sandbox;

import dev.holdfast.tck.rail.RailContractTest;
import dev.holdfast.tck.rail.RailTestFixture;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;

/**
 * The sandbox rail with its defaults, plus a maximum hold so that the hold-lapse requirements run too; every test of
 * the kit runs.
 */
@DisplayName("SandboxRail meets the rail contract")
class SandboxRailContractTest extends RailContractTest {
    @Override
    protected RailTestFixture createFixture() {
        return new SandboxRailFixture(builder -> builder.maxHold(Duration.ofHours(24)));
    }
}
