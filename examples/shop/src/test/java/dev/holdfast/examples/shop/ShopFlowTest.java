package dev.holdfast.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.RailId;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.examples.simrails.SimulatedRails;
import dev.holdfast.examples.simrails.SimulatedWallet;
import dev.holdfast.spi.PaymentRail;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shop's server side without a container: orders priced by {@link Checkout} go through the real engine and the
 * real rails against the in-process simulators, paid and co-signed by the simulated wallets as the wallet panel does.
 */
class ShopFlowTest {
    private static final PartyId ANA = PartyId.of("ana");
    private static final PartyId CAROL = PartyId.of("carol");
    private static final MilestoneId M1 = MilestoneId.of("m1");

    private static SimulatedRails rails;
    private static EscrowEngine engine;
    private static Checkout checkout;
    private final AtomicInteger keys = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        rails = SimulatedRails.start();
        Holdfast.Builder b = Holdfast.builder()
                .store(new InMemoryStore())
                .clock(rails.clock())
                .disputes(DisputePolicy.defaults().withArbiters(List.of(CAROL)).withAppeals(false, Duration.ofDays(2)))
                .config(EngineConfig.defaults().withNodeId("shop-flow-test"));
        for (PaymentRail rail : rails.rails()) {
            b.rail(rail);
        }
        engine = b.build();
        checkout = new Checkout(
                rails.clock(), (party, rail) -> Optional.of(rails.wallet(party).payoutDestination(rail)));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        if (rails != null) {
            rails.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lightning", "openpayments", "stellar"})
    void anOrderIsPaidByTheBuyersWalletAndTheSellerIsPaidOnAcceptance(String railName) throws Exception {
        RailId rail = RailId.of(railName);
        SimulatedWallet ana = rails.wallet(ANA);
        SimulatedWallet ben = rails.wallet(Catalog.BEN);
        Money before = ben.balance(rail);
        EscrowView created = submit(checkout.order(ANA, "lamp", railName, Pricing.RAILS));
        assertThat(created.status()).isEqualTo(EscrowStatus.AWAITING_FUNDING);

        ana.fund(created);
        await(created.id(), v -> v.status() == EscrowStatus.FUNDED);
        submit(new EscrowCommand.MarkDelivered(Actor.seller(Catalog.BEN), created.id(), M1));
        submit(new EscrowCommand.AcceptDelivery(Actor.buyer(ANA), created.id(), M1));
        // Stellar: the release waits for the buyer's co-signature, as the wallet panel's "co-sign" gives it
        ana.coSign(engine.get(created.id())).forEach(this::submit);
        EscrowView done = await(created.id(), v -> v.milestones().get(0).status() == MilestoneStatus.RELEASED);

        Money expected =
                Pricing.price(800, rail).minus(Money.of(Pricing.price(800, rail).minor() / 100, before.asset()));
        assertThat(done.milestones().get(0).released()).isEqualTo(expected);
        awaitBalance(ben, rail, before.plus(expected));
    }

    @Test
    void aDisputedJobMilestoneIsSplitByTheArbiter() throws Exception {
        SimulatedWallet ana = rails.wallet(ANA);
        EscrowView created = submit(checkout.order(ANA, "logo-job", "openpayments", Pricing.RAILS));
        ana.fund(created);
        await(created.id(), v -> v.status() == EscrowStatus.FUNDED);
        submit(new EscrowCommand.MarkDelivered(Actor.seller(Catalog.BEN), created.id(), M1));

        EscrowView disputed = submit(new EscrowCommand.DisputeCommand.OpenDispute(
                Actor.buyer(ANA), created.id(), M1, "the sketches are not what we agreed"));
        var dispute = disputed.disputes().get(0).id();
        submit(new EscrowCommand.DisputeCommand.EscalateDispute(Actor.buyer(ANA), created.id(), dispute));
        submit(new EscrowCommand.DisputeCommand.DecideDispute(
                Actor.arbiter(CAROL),
                created.id(),
                dispute,
                DisputeOutcome.splitAmount(Money.of(6_000, Pricing.asset(Pricing.OPEN_PAYMENTS))),
                "half the sketches were delivered"));

        EscrowView settled = await(
                created.id(),
                v -> v.milestones().get(0).status() != MilestoneStatus.DISPUTED
                        && v.milestones().get(0).status() != MilestoneStatus.SETTLING);
        assertThat(settled.disputes().get(0).resolution()).isNotNull();
        assertThat(settled.milestones().get(1).status()).isEqualTo(MilestoneStatus.FUNDED);
    }

    private EscrowView submit(EscrowCommand command) {
        return engine.submit(
                IdempotencyKey.of("shop-flow-" + keys.incrementAndGet() + "-" + System.nanoTime()), command);
    }

    private static EscrowView await(EscrowId id, Predicate<EscrowView> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.test(engine.get(id))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached in 20 s: " + engine.get(id));
            }
            engine.runDueWork();
            Thread.sleep(25);
        }
        return engine.get(id);
    }

    private static void awaitBalance(SimulatedWallet wallet, RailId rail, Money expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!wallet.balance(rail).equals(expected) && System.nanoTime() < deadline) {
            engine.runDueWork();
            Thread.sleep(25);
        }
        assertThat(wallet.balance(rail)).isEqualTo(expected);
    }
}
