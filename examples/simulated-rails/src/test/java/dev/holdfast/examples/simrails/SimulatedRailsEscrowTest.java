package dev.holdfast.examples.simrails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.spi.PaymentRail;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.proto.LightningApi.Invoice.InvoiceState;

/**
 * Whole escrows through the real engine ({@code escrow-core} on the in-memory store) over each of the three real rails
 * against their in-process simulators, with the simulated wallets as buyer and seller. Rails, simulators and engine run
 * on the system clock, as the demo shop does.
 */
class SimulatedRailsEscrowTest {
    private static final PartyId BUYER = PartyId.of("buyer");
    private static final PartyId SELLER = PartyId.of("seller");
    private static final MilestoneId M1 = MilestoneId.of("m1");
    private static final Duration ASYNC = Duration.ofSeconds(20);
    /** 1 % platform fee, borne by the seller. */
    private static final FeeSchedule ONE_PERCENT = new FeeSchedule(100, 0, FeePayer.SELLER);

    private final AtomicInteger keys = new AtomicInteger();
    private SimulatedRails rails;
    private EscrowEngine engine;
    private SimulatedWallet buyer;
    private SimulatedWallet seller;

    @BeforeEach
    void start() throws Exception {
        rails = SimulatedRails.start();
        Holdfast.Builder b = Holdfast.builder()
                .store(new InMemoryStore())
                .clock(rails.clock())
                .config(EngineConfig.defaults().withNodeId("simulated-rails-test"));
        for (PaymentRail rail : rails.rails()) {
            b.rail(rail);
        }
        engine = b.build();
        buyer = rails.wallet(BUYER);
        seller = rails.wallet(SELLER);
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (rails != null) {
            rails.close();
        }
    }

    @Test
    void aLightningEscrowIsFundedByTheBuyersWalletAndReleasedToTheSellersLightningAddress() throws Exception {
        long amount = 250_000_000; // 250,000 sat
        long toSeller = amount - 2_500_000;
        EscrowView created = submit(create(SimulatedRails.LIGHTNING, Money.of(amount, Asset.BTC_MSAT)));
        PartyInstruction.PayInvoice invoice =
                (PartyInstruction.PayInvoice) created.fundingInstruction().orElseThrow();

        WalletAction paid = buyer.fund(created);

        assertThat(paid).isInstanceOf(WalletAction.InvoicePaid.class);
        assertThat(rails.lndSimulator().invoiceState(invoice.paymentRequest())).isEqualTo(InvoiceState.ACCEPTED);
        EscrowView released = deliverAndAccept(await(created.id(), v -> v.status() == EscrowStatus.FUNDED));

        assertThat(released.milestones().get(0).released()).isEqualTo(Money.of(toSeller, Asset.BTC_MSAT));
        assertThat(seller.balance(SimulatedRails.LIGHTNING)).isEqualTo(Money.of(toSeller, Asset.BTC_MSAT));
        assertThat(buyer.balance(SimulatedRails.LIGHTNING).isZero()).isTrue();
        assertThat(rails.lndSimulator().invoiceState(invoice.paymentRequest())).isEqualTo(InvoiceState.SETTLED);
        assertThat(engine.balance(SELLER, Asset.BTC_MSAT).paidOut()).isEqualTo(Money.of(toSeller, Asset.BTC_MSAT));
        assertThat(payoutsSucceeded(created.id())).hasSize(1);
    }

    @Test
    void aStellarEscrowIsFundedSignedBySubmittedFromTheBuyersWalletAndReleasedWithTheBuyersCoSignature()
            throws Exception {
        long amount = 50_000_000; // 5 XLM
        long toSeller = amount - 500_000;
        Money buyerBefore = buyer.balance(SimulatedRails.STELLAR);
        Money sellerBefore = seller.balance(SimulatedRails.STELLAR);
        EscrowView created = submit(create(SimulatedRails.STELLAR, Money.of(amount, Asset.XLM)));

        WalletAction funded = buyer.fund(created);

        assertThat(funded).isInstanceOf(WalletAction.Submitted.class);
        EscrowView held = await(created.id(), v -> v.status() == EscrowStatus.FUNDED);
        submit(new MarkDelivered(Actor.seller(SELLER), held.id(), M1));
        submit(new AcceptDelivery(Actor.buyer(BUYER), held.id(), M1));
        // The release is a transaction from the escrow account the buyer co-signs; the seller has nothing to sign.
        EscrowView releasing = await(held.id(), v -> !buyer.coSign(v).isEmpty());
        assertThat(seller.coSign(releasing)).isEmpty();
        for (EscrowCommand.SubmitPartyResponse signed : buyer.coSign(releasing)) {
            submit(signed);
        }
        EscrowView released = await(held.id(), v -> v.status() == EscrowStatus.RELEASED);

        assertThat(released.milestones().get(0).released()).isEqualTo(Money.of(toSeller, Asset.XLM));
        assertThat(minus(seller.balance(SimulatedRails.STELLAR), sellerBefore)).isEqualTo(toSeller);
        assertThat(minus(buyerBefore, buyer.balance(SimulatedRails.STELLAR))).isEqualTo(amount);
        assertThat(engine.balance(SELLER, Asset.XLM).paidOut()).isEqualTo(Money.of(toSeller, Asset.XLM));
        assertThat(payoutsSucceeded(created.id())).hasSize(1);
    }

    @Test
    void anOpenPaymentsEscrowIsFundedByApprovingTheGrantAndReleasedToTheSellersWalletAddress() throws Exception {
        long amount = 10_000; // $100.00
        long toSeller = amount - 100;
        Money buyerBefore = buyer.balance(SimulatedRails.OPEN_PAYMENTS);
        Money sellerBefore = seller.balance(SimulatedRails.OPEN_PAYMENTS);
        EscrowView created = submit(create(SimulatedRails.OPEN_PAYMENTS, Money.of(amount, Asset.USD)));

        WalletAction approved = buyer.fund(created);

        // The provider redirected the browser to the host's finish endpoint, which handed the return to the rail.
        assertThat(approved).isInstanceOfSatisfying(WalletAction.GrantDecided.class, g -> {
            assertThat(g.approved()).isTrue();
            assertThat(g.hostStatus()).isEqualTo(200);
            assertThat(g.finishRedirect().toString())
                    .startsWith(rails.openPaymentsConfig().finishUriBase() + "/");
        });
        EscrowView released = deliverAndAccept(await(created.id(), v -> v.status() == EscrowStatus.FUNDED));

        assertThat(released.milestones().get(0).released()).isEqualTo(Money.of(toSeller, Asset.USD));
        assertThat(minus(seller.balance(SimulatedRails.OPEN_PAYMENTS), sellerBefore))
                .isEqualTo(toSeller);
        assertThat(minus(buyerBefore, buyer.balance(SimulatedRails.OPEN_PAYMENTS)))
                .as("no quote fee by default")
                .isEqualTo(amount);
        assertThat(rails.openPaymentsSimulator().balance("platform")).isEqualTo(amount - toSeller);
        assertThat(engine.balance(SELLER, Asset.USD).paidOut()).isEqualTo(Money.of(toSeller, Asset.USD));
    }

    @Test
    void aStellarEscrowTheSellerRefundsReturnsEverythingToTheBuyerWithTheSellersCoSignature() throws Exception {
        long amount = 30_000_000; // 3 XLM
        Money buyerBefore = buyer.balance(SimulatedRails.STELLAR);
        Money sellerBefore = seller.balance(SimulatedRails.STELLAR);
        EscrowView created = submit(create(SimulatedRails.STELLAR, Money.of(amount, Asset.XLM)));
        buyer.fund(created);
        EscrowView held = await(created.id(), v -> v.status() == EscrowStatus.FUNDED);
        assertThat(minus(buyerBefore, buyer.balance(SimulatedRails.STELLAR))).isEqualTo(amount);

        submit(new RefundMilestone(Actor.seller(SELLER), held.id(), M1, null, "out of stock"));
        // A refund needs the seller's signature beside the platform's: the seller's wallet gives it.
        EscrowView refunding = await(held.id(), v -> !seller.coSign(v).isEmpty());
        assertThat(refunding.pendingInstructions())
                .allSatisfy(p -> assertThat(p.instruction().party()).isEqualTo(Role.SELLER));
        for (EscrowCommand.SubmitPartyResponse signed : seller.coSign(refunding)) {
            submit(signed);
        }
        EscrowView refunded = await(held.id(), v -> v.status() == EscrowStatus.REFUNDED);

        assertThat(refunded.milestones().get(0).status()).isEqualTo(MilestoneStatus.REFUNDED);
        assertThat(refunded.milestones().get(0).refunded()).isEqualTo(Money.of(amount, Asset.XLM));
        assertThat(buyer.balance(SimulatedRails.STELLAR)).isEqualTo(buyerBefore);
        assertThat(seller.balance(SimulatedRails.STELLAR)).isEqualTo(sellerBefore);
        assertThat(engine.balance(BUYER, Asset.XLM).reservedAsBuyer().isZero()).isTrue();
    }

    @Test
    void anOpenPaymentsFundingTheBuyerDeclinesFailsAndMovesNothing() throws Exception {
        Money buyerBefore = buyer.balance(SimulatedRails.OPEN_PAYMENTS);
        EscrowView created = submit(create(SimulatedRails.OPEN_PAYMENTS, Money.of(5_000, Asset.USD)));

        WalletAction declined = buyer.declineFunding(created);

        assertThat(declined).isInstanceOfSatisfying(WalletAction.GrantDecided.class, g -> {
            assertThat(g.approved()).isFalse();
            assertThat(g.hostStatus()).isEqualTo(200);
        });
        // The rail sends no notification for a refusal: the engine's reconciler asks it (after its first backoff).
        EscrowView failed = await(created.id(), v -> v.status() == EscrowStatus.FUNDING_FAILED);
        assertThat(failed.held().isZero()).isTrue();
        assertThat(buyer.balance(SimulatedRails.OPEN_PAYMENTS)).isEqualTo(buyerBefore);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private CreateEscrow create(RailId rail, Money amount) {
        PayoutDestination sellerPayout = seller.payoutDestination(rail);
        return new CreateEscrow(
                Actor.buyer(BUYER),
                BUYER,
                SELLER,
                rail,
                amount,
                List.of(new MilestoneSpec(
                        M1, "the goods", amount.minor(), rails.clock().instant().plus(Duration.ofHours(2)))),
                ONE_PERCENT,
                rails.clock().instant().plus(Duration.ofHours(1)),
                Duration.ofHours(4),
                Duration.ofHours(4),
                sellerPayout,
                null,
                "simulated-rails-test",
                Map.of());
    }

    private EscrowView deliverAndAccept(EscrowView funded) throws InterruptedException {
        submit(new MarkDelivered(Actor.seller(SELLER), funded.id(), M1));
        submit(new AcceptDelivery(Actor.buyer(BUYER), funded.id(), M1));
        return await(funded.id(), v -> v.status() == EscrowStatus.RELEASED);
    }

    private static long minus(Money a, Money b) {
        return a.minor() - b.minor();
    }

    private EscrowView submit(EscrowCommand command) {
        return engine.submit(IdempotencyKey.of("t-" + keys.incrementAndGet()), command);
    }

    /** Polls the engine (running its due work, as a host's scheduler would) until the view matches, for at most 20 s. */
    private EscrowView await(EscrowId id, Predicate<EscrowView> done) throws InterruptedException {
        long deadline = System.nanoTime() + ASYNC.toNanos();
        while (!done.test(engine.get(id))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + ASYNC + ": " + engine.get(id));
            }
            engine.runDueWork();
            Thread.sleep(25);
        }
        return engine.get(id);
    }

    private List<EscrowEvent.PayoutSucceeded> payoutsSucceeded(EscrowId id) {
        return engine.history(id).stream()
                .filter(EscrowEvent.PayoutSucceeded.class::isInstance)
                .map(EscrowEvent.PayoutSucceeded.class::cast)
                .toList();
    }
}
