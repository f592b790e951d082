package dev.holdfast.jakarta.testing;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.TestClock;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.spi.EventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine on the in-memory store and the sandbox rail, on a test clock: real events for the plugin's tests. */
public final class TestEngine implements AutoCloseable {
    public static final PartyId ALICE = PartyId.of("alice");
    public static final PartyId BOB = PartyId.of("bob");
    public static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    public final TestClock clock = new TestClock(START);
    public final InMemoryStore store = new InMemoryStore();
    public final SandboxRail rail = SandboxRail.builder().clock(clock).build();
    public final EscrowEngine engine;
    private final AtomicInteger keys = new AtomicInteger();

    /** @param sink where the outbox delivers, or {@code null} */
    public TestEngine(EventSink sink) {
        engine = Holdfast.builder()
                .store(store)
                .rail(rail)
                .clock(clock)
                .eventSink(sink)
                .config(EngineConfig.defaults().withNodeId("test-node"))
                .build();
    }

    /** @return a new escrow between alice (buyer) and bob (seller), funding requested */
    public EscrowView createEscrow(long cents) {
        CreateEscrow c = new CreateEscrow(
                Actor.buyer(ALICE),
                ALICE,
                BOB,
                rail.id(),
                Money.of(cents, Asset.USD),
                List.of(new MilestoneSpec(
                        MilestoneId.of("m1"), "work", cents, clock.instant().plus(Duration.ofDays(5)))),
                FeeSchedule.none(),
                clock.instant().plus(Duration.ofDays(1)),
                Duration.ofDays(3),
                Duration.ofDays(3),
                PayoutDestination.railAddress("sandbox:bob"),
                null,
                "order-" + keys.get(),
                Map.of());
        return engine.submit(IdempotencyKey.of("k-" + keys.incrementAndGet()), c);
    }

    /** Funds the escrow on the rail: more events. */
    public EscrowView fund(EscrowView e) {
        rail.fund(e.fundingTransfer());
        engine.runDueWork();
        return engine.get(e.id());
    }

    @Override
    public void close() {
        engine.close();
    }
}
