package dev.holdfast.core.engine;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand;
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
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryEvidenceStore;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.spi.HoldfastStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** An engine on the in-memory store and the sandbox rail, on a test clock, with helpers for the usual commands. */
class EngineFixture {
    static final Asset USD = Asset.USD;
    static final PartyId ALICE = PartyId.of("alice");
    static final PartyId BOB = PartyId.of("bob");
    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    final TestClock clock = new TestClock(START);
    final InMemoryStore memory = new InMemoryStore();
    final SandboxRail rail;
    final List<dev.holdfast.spi.OutboxMessage> delivered = new ArrayList<>();
    EscrowEngine engine;
    DisputePolicy disputes = DisputePolicy.defaults();
    final InMemoryEvidenceStore evidence = new InMemoryEvidenceStore();
    private final AtomicInteger keys = new AtomicInteger();

    EngineFixture() {
        this((Duration) null);
    }

    /** @param maxHold the sandbox rail's maximum hold, or {@code null} for none */
    EngineFixture(Duration maxHold) {
        this(b -> b.maxHold(maxHold));
    }

    /** @param rail sets up the sandbox rail's builder, beyond the fixture's clock */
    EngineFixture(java.util.function.UnaryOperator<SandboxRail.Builder> rail) {
        this.rail = rail.apply(SandboxRail.builder().clock(clock)).build();
        engine = build(memory);
    }

    EscrowEngine build(HoldfastStore store) {
        return Holdfast.builder()
                .store(store)
                .rail(rail)
                .clock(clock)
                .eventSink(delivered::add)
                .config(EngineConfig.defaults().withNodeId("test-node"))
                .disputes(disputes)
                .evidenceStore(evidence)
                .build();
    }

    /** Rebuilds the engine on the same store with this dispute policy. */
    EngineFixture withDisputes(DisputePolicy policy) {
        engine.close();
        disputes = policy;
        engine = build(memory);
        return this;
    }

    IdempotencyKey key() {
        return IdempotencyKey.of("k-" + keys.incrementAndGet());
    }

    EscrowView submit(EscrowCommand c) {
        return engine.submit(key(), c);
    }

    static Money usd(long cents) {
        return Money.of(cents, USD);
    }

    Instant inDays(long days) {
        return clock.instant().plus(Duration.ofDays(days));
    }

    CreateEscrow create(long cents) {
        return create(cents, FeeSchedule.none(), PayoutDestination.railAddress("sandbox:bob"));
    }

    CreateEscrow create(long cents, FeeSchedule fee, PayoutDestination sellerPayout) {
        return new CreateEscrow(
                Actor.buyer(ALICE),
                ALICE,
                BOB,
                rail.id(),
                usd(cents),
                List.of(new MilestoneSpec(MilestoneId.of("m1"), "work", cents, inDays(5))),
                fee,
                inDays(1),
                Duration.ofDays(3),
                Duration.ofDays(3),
                sellerPayout,
                null,
                "order-1",
                Map.of());
    }

    CreateEscrow createMilestones(long... cents) {
        List<MilestoneSpec> specs = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < cents.length; i++) {
            specs.add(new MilestoneSpec(MilestoneId.of("m" + (i + 1)), "part " + (i + 1), cents[i], inDays(5 + i)));
            total += cents[i];
        }
        return new CreateEscrow(
                Actor.buyer(ALICE),
                ALICE,
                BOB,
                rail.id(),
                usd(total),
                specs,
                FeeSchedule.none(),
                inDays(1),
                Duration.ofDays(3),
                Duration.ofDays(3),
                PayoutDestination.railAddress("sandbox:bob"),
                null,
                "",
                Map.of());
    }

    EscrowView funded(CreateEscrow c) {
        EscrowView e = submit(c);
        rail.fund(e.fundingTransfer());
        return engine.get(e.id());
    }
}
