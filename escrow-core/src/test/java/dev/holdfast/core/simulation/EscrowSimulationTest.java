package dev.holdfast.core.simulation;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Deterministic simulation: from a seed, thousands of random commands across many escrows, with rail faults (fail,
 * unknown, stall, duplicate and lost notifications), crashes at commit and engine restarts; then time runs out and
 * the books are checked against the sandbox rail's own books. Seeds come from {@code -Dholdfast.sim.seeds}; a failure
 * names its seed, and {@code -Dholdfast.sim.seeds=<seed>} replays it.
 */
class EscrowSimulationTest {
    private static final int STEPS = Integer.getInteger("holdfast.sim.steps", 3000);

    @TestFactory
    Stream<DynamicTest> moneyIsConservedAndNothingIsPaidTwice() {
        String seeds = System.getProperty("holdfast.sim.seeds", "1,2,3");
        return Arrays.stream(seeds.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Long::parseLong)
                .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> new Simulation(seed, STEPS).run()));
    }
}
