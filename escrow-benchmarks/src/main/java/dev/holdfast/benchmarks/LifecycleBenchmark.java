package dev.holdfast.benchmarks;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.core.sandbox.SandboxRail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Complete escrow lifecycles per second on the in-memory store and the sandbox rail: create (with a funding request
 * to the rail), the buyer pays (rail notification → funded), the seller marks delivery, the buyer accepts (release
 * payout, ledger, close). Every step goes through idempotency, the hash-chained audit log and the outbox, as in
 * production; only the store is in memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class LifecycleBenchmark {
    private static final Asset USD = Asset.USD;
    private static final PartyId BUYER = PartyId.of("buyer");
    private static final PartyId SELLER = PartyId.of("seller");

    private EscrowEngine engine;
    private SandboxRail rail;
    private final AtomicLong keys = new AtomicLong();
    private Instant far;

    /**
     * A fresh engine and store per iteration: the in-memory store keeps every event, so without a reset later
     * iterations would measure the garbage collector walking an ever larger heap rather than the engine.
     */
    @Setup(Level.Iteration)
    public void setUp() {
        Clock clock = Clock.systemUTC();
        rail = SandboxRail.builder().clock(clock).build();
        engine = Holdfast.builder()
                .store(new InMemoryStore())
                .rail(rail)
                .clock(clock)
                .build();
        far = clock.instant().plus(Duration.ofDays(30));
    }

    /** @return the closed escrow's status, so the JIT cannot drop the work */
    @Benchmark
    @Threads(1)
    public EscrowStatus lifecycleOneThread() {
        return lifecycle();
    }

    /** @return the closed escrow's status, so the JIT cannot drop the work */
    @Benchmark
    @Threads(2)
    public EscrowStatus lifecycleTwoThreads() {
        return lifecycle();
    }

    private EscrowStatus lifecycle() {
        EscrowView e = engine.submit(
                key(),
                new CreateEscrow(
                        Actor.buyer(BUYER),
                        BUYER,
                        SELLER,
                        rail.id(),
                        Money.of(10_000, USD),
                        List.of(new MilestoneSpec(MilestoneId.of("m1"), "item", 10_000, far)),
                        new FeeSchedule(250, 0, FeePayer.BUYER),
                        far.minus(Duration.ofDays(1)),
                        Duration.ofDays(3),
                        Duration.ofDays(3),
                        PayoutDestination.railAddress("sandbox:seller"),
                        null,
                        "",
                        Map.of()));
        rail.fund(e.fundingTransfer());
        engine.submit(key(), new MarkDelivered(Actor.seller(SELLER), e.id(), null));
        EscrowView done = engine.submit(key(), new AcceptDelivery(Actor.buyer(BUYER), e.id(), null));
        if (done.status() != EscrowStatus.RELEASED) {
            throw new IllegalStateException("lifecycle did not complete: " + done.status());
        }
        return done.status();
    }

    private IdempotencyKey key() {
        return IdempotencyKey.of("k" + keys.incrementAndGet());
    }
}
