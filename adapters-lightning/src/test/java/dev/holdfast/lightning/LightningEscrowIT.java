package dev.holdfast.lightning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
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
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.Role;
import dev.holdfast.api.TestClock;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.lightning.internal.LndClient;
import dev.holdfast.lightning.simulator.LndSimulator;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.LedgerAccount;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailListener;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.RailResult;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.proto.LightningApi.Invoice.InvoiceState;

/**
 * The whole engine ({@code escrow-core} on the in-memory store) over the Lightning rail, which talks to the LND
 * simulator over TCP with TLS and the node's macaroon, as it would to a real LND. Engine, rail and node share one
 * {@link TestClock}; the node's block height follows it (one block per ten minutes).
 */
class LightningEscrowIT {
    private static final Asset MSAT = Asset.BTC_MSAT;
    private static final PartyId BUYER = PartyId.of("buyer");
    private static final PartyId SELLER = PartyId.of("seller");
    private static final MilestoneId M1 = MilestoneId.of("m1");
    private static final Duration ASYNC = Duration.ofSeconds(20);
    private static final int LND_HOLD_EXPIRY_DELTA = 12;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final AtomicInteger keys = new AtomicInteger();
    private LndSimulator simulator;
    private ManagedChannel channel;
    private LightningPaymentRail lightning;
    private NotificationGate rail;
    private EscrowEngine engine;

    private void start(UnaryOperator<LightningRailConfig.Builder> railSetup) throws Exception {
        simulator = LndSimulator.builder().clock(clock).tcp(0).build().start();
        LightningRailConfig config = railSetup
                .apply(LndSimulatorFixture.defaults()
                        .node("localhost", simulator.port())
                        .tlsCertPath(simulator.tlsCertPath())
                        .macaroonPath(simulator.adminMacaroonPath()))
                .build();
        // The same TLS + macaroon channel the (config, log) constructor opens, but with the shared test clock.
        channel = LndClient.connect(config);
        lightning = new LightningPaymentRail(config, new InMemoryLightningTransferLog(), channel, clock);
        rail = new NotificationGate(lightning);
        engine = Holdfast.builder()
                .store(store)
                .rail(rail)
                .clock(clock)
                .config(EngineConfig.defaults().withNodeId("lightning-it"))
                .build();
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (lightning != null) {
            lightning.close();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        if (simulator != null) {
            simulator.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ (a)

    @Test
    void anEscrowIsFundedByAHoldInvoiceAndReleasedToTheSellersInvoiceWithTheRoutingFeeInTheLedger() throws Exception {
        start(UnaryOperator.identity());
        long amount = 250_000_000; // 250,000 sat
        long platformFee = 2_500_000; // 1 % borne by the seller
        long toSeller = amount - platformFee;
        String sellerInvoice = simulator.createSellerInvoice(toSeller);
        long channelBefore = simulator.channelBalanceMsat();

        EscrowView created = submit(create(
                amount,
                new FeeSchedule(100, 0, FeePayer.SELLER),
                PayoutDestination.railAddress(sellerInvoice),
                Duration.ofHours(2),
                Duration.ofHours(4),
                Duration.ofHours(4)));
        assertThat(created.status()).isEqualTo(EscrowStatus.AWAITING_FUNDING);
        PartyInstruction.PayInvoice pay =
                (PartyInstruction.PayInvoice) created.fundingInstruction().orElseThrow();
        assertThat(pay.party()).isEqualTo(Role.BUYER);
        assertThat(pay.amount()).isEqualTo(Money.of(amount, MSAT));
        assertThat(pay.paymentRequest()).startsWith("lnbcrt");

        assertThat(simulator.payInvoiceAsBuyer(pay.paymentRequest())).isEqualTo(InvoiceState.ACCEPTED);
        EscrowView funded = awaitView(created.id(), v -> v.status() == EscrowStatus.FUNDED);
        assertThat(funded.milestones().get(0).held()).isEqualTo(Money.of(amount, MSAT));
        assertThat(engine.balance(BUYER, MSAT).reservedAsBuyer()).isEqualTo(Money.of(amount, MSAT));

        submit(new MarkDelivered(Actor.seller(SELLER), created.id(), M1));
        submit(new AcceptDelivery(Actor.buyer(BUYER), created.id(), M1));
        EscrowView released = awaitView(created.id(), v -> v.status() == EscrowStatus.RELEASED);

        long routingFee = 1_000 + toSeller * 1_000 / 1_000_000; // the simulator's 1000 msat + 1000 ppm
        assertThat(released.milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASED);
        assertThat(released.milestones().get(0).released()).isEqualTo(Money.of(toSeller, MSAT));
        assertThat(simulator.invoiceState(pay.paymentRequest())).isEqualTo(InvoiceState.SETTLED);
        assertThat(simulator.sellerInvoiceReceivedMsat(sellerInvoice)).isEqualTo(toSeller);
        assertThat(simulator.payments()).hasSize(1);
        assertThat(simulator.channelBalanceMsat()).isEqualTo(channelBefore + amount - toSeller - routingFee);

        List<EscrowEvent.PayoutSucceeded> payouts = payoutsSucceeded(created.id());
        assertThat(payouts).hasSize(1);
        assertThat(payouts.get(0).railFee()).isEqualTo(Money.of(routingFee, MSAT));
        assertThat(payouts.get(0).transferId())
                .isEqualTo(released.milestones().get(0).payoutTransfer());
        assertThat(ledger(AccountType.RAIL_FEES, rail.id().value())).isEqualTo(routingFee);
        assertThat(ledger(AccountType.PLATFORM_REVENUE, "platform")).isEqualTo(platformFee - routingFee);
        assertThat(engine.balance(SELLER, MSAT).paidOut()).isEqualTo(Money.of(toSeller, MSAT));
        assertThat(engine.balance(BUYER, MSAT).reservedAsBuyer().isZero()).isTrue();
        assertThat(engine.verifyAudit().intact()).isTrue();
    }

    // ------------------------------------------------------------------------------------------------ (b)

    @Test
    void aPayoutStuckInFlightIsResolvedByTheReconcilerAndPaysTheSellerOnce() throws Exception {
        start(UnaryOperator.identity());
        long amount = 50_000_000;
        String sellerInvoice = simulator.createSellerInvoice(amount);
        EscrowView funded = fund(create(
                amount,
                FeeSchedule.none(),
                PayoutDestination.railAddress(sellerInvoice),
                Duration.ofHours(2),
                Duration.ofHours(4),
                Duration.ofHours(4)));

        // The payment's HTLC gets stuck, and the rail's PayoutSucceeded notification is lost: only the engine's
        // reconciler (query → TrackPaymentV2) can find out what happened.
        simulator.stallNextPayment();
        rail.muteOutcomes(true);
        submit(new MarkDelivered(Actor.seller(SELLER), funded.id(), M1));
        EscrowView releasing = submit(new AcceptDelivery(Actor.buyer(BUYER), funded.id(), M1));
        TransferId payout = releasing.milestones().get(0).payoutTransfer();
        assertThat(releasing.milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASING);
        assertThat(operation(payout).status()).isEqualTo(RailOperationStatus.PENDING);
        assertThat(simulator.payments()).hasSize(1);
        assertThat(simulator.payments().get(0).getStatus().name()).isEqualTo("IN_FLIGHT");

        // Still in flight: the reconciler asks and leaves it pending.
        clock.advance(Duration.ofSeconds(6));
        assertThat(engine.runDueWork().operationsReconciled()).isEqualTo(1);
        assertThat(engine.get(funded.id()).milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASING);
        assertThat(operation(payout).status()).isEqualTo(RailOperationStatus.PENDING);

        simulator.releaseStalled();
        await(() -> simulator.sellerInvoiceReceivedMsat(sellerInvoice) == amount);
        // The rail saw SUCCEEDED on its SendPaymentV2 stream and notified; the gate swallowed it.
        await(() -> rail.seen(RailNotification.PayoutSucceeded.class) == 1);
        assertThat(engine.get(funded.id()).milestones().get(0).status())
                .as("the notification was lost, so nothing but the reconciler can move it")
                .isEqualTo(MilestoneStatus.RELEASING);

        // Past the reconciler's backoff (5 s, then 10 s): the next pass asks the rail, which knows, and it resolves.
        clock.advance(Duration.ofSeconds(11));
        assertThat(engine.runDueWork().operationsReconciled()).isEqualTo(1);
        EscrowView released = engine.get(funded.id());
        assertThat(released.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(operation(payout).status()).isEqualTo(RailOperationStatus.SUCCEEDED);
        assertThat(payoutsSucceeded(funded.id())).hasSize(1);

        // Nothing more happens however often the engine looks again.
        rail.muteOutcomes(false);
        clock.advance(Duration.ofMinutes(30));
        engine.runDueWork();
        assertThat(simulator.payments()).hasSize(1);
        assertThat(simulator.sellerInvoiceReceivedMsat(sellerInvoice)).isEqualTo(amount);
        assertThat(simulator.sellerReceivedMsat()).isEqualTo(amount);
        assertThat(payoutsSucceeded(funded.id())).hasSize(1);
        assertThat(engine.balance(SELLER, MSAT).paidOut()).isEqualTo(Money.of(amount, MSAT));
    }

    // ------------------------------------------------------------------------------------------------ (c)

    @Test
    void theHoldGuardRefundsAHoldWhoseRefundFailedBeforeTheNodeCancelsItByItself() throws Exception {
        // HoldExpiring comes 3 blocks before LND's auto-cancel, after the engine's HOLD_GUARD timer (1 h = 6 blocks
        // before it), so the timer is what acts here. With the default 36 blocks the warning acts first (next test).
        start(b -> b.holdExpiryWarningBlocks(3));
        Duration maxHold = lightning.capabilities().maxHoldDuration().orElseThrow();
        assertThat(maxHold).isEqualTo(Duration.ofHours(22)); // (144 − 12) blocks × 10 min

        long amount = 80_000_000;
        // Terms near the rail's limit: delivery 2 h + inspection 10 h + dispute 9 h 50 min = 21 h 50 min of 22 h.
        EscrowView funded = fund(create(
                amount,
                FeeSchedule.none(),
                PayoutDestination.railAddress(simulator.createSellerInvoice(amount)),
                Duration.ofHours(2),
                Duration.ofHours(10),
                Duration.ofHours(9).plusMinutes(50)));
        int acceptHeight = simulator.blockHeight();
        int nodeCancelHeight = acceptHeight + 144 - LND_HOLD_EXPIRY_DELTA;
        String hold = fundingInvoice(funded);

        // The seller delivers and the buyer accepts, but settling the hold is refused once by the node: the release
        // fails with the hold still ACCEPTED. A failed release waits for a person (a failed refund would be retried
        // by itself), so only the engine's HOLD_GUARD stands between the buyer's money and LND's own auto-cancel.
        submit(new MarkDelivered(Actor.seller(SELLER), funded.id(), M1));
        simulator.failNextCall(
                Status.UNKNOWN.withDescription("simulated: settle refused"), "invoicesrpc.Invoices/SettleInvoice");
        submit(new AcceptDelivery(Actor.buyer(BUYER), funded.id(), M1));
        engine.runDueWork();
        EscrowView stuck = engine.get(funded.id());
        assertThat(stuck.milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASE_FAILED);
        assertThat(stuck.status()).isEqualTo(EscrowStatus.FUNDED);
        assertThat(simulator.invoiceState(hold)).isEqualTo(InvoiceState.ACCEPTED);
        assertThat(simulator.buyerNetPaidMsat(hold)).isEqualTo(amount);

        // 21 h 1 min after funding: the HOLD_GUARD timer is due (22 h − 1 h); the node would cancel at 22 h.
        clock.advance(Duration.ofHours(21).plusMinutes(1));
        assertThat(simulator.blockHeight()).isLessThan(nodeCancelHeight);
        engine.runDueWork();

        EscrowView refunded = awaitView(funded.id(), v -> v.status() == EscrowStatus.REFUNDED);
        assertThat(refunded.milestones().get(0).status()).isEqualTo(MilestoneStatus.REFUNDED);
        assertThat(refunded.milestones().get(0).refunded()).isEqualTo(Money.of(amount, MSAT));
        // Cancelled by the engine's CancelInvoice: the node's own auto-cancel height has not been reached.
        assertThat(simulator.invoiceState(hold)).isEqualTo(InvoiceState.CANCELED);
        assertThat(simulator.blockHeight()).isLessThan(nodeCancelHeight);
        assertThat(simulator.buyerNetPaidMsat(hold)).isZero();
        assertThat(refundReasons(funded.id())).containsExactly("rail hold about to lapse");
        assertThat(rail.seen(RailNotification.HoldExpiring.class)).isZero();
        assertThat(rail.seen(RailNotification.FundingLapsed.class)).isZero();

        // The node's auto-cancel height passes: nothing more happens, the buyer stays whole.
        clock.advance(Duration.ofHours(2));
        simulator.tick();
        engine.runDueWork();
        assertThat(simulator.blockHeight()).isGreaterThanOrEqualTo(nodeCancelHeight);
        assertThat(engine.get(funded.id()).status()).isEqualTo(EscrowStatus.REFUNDED);
        assertThat(refundReasons(funded.id())).hasSize(1);
        assertThat(engine.balance(BUYER, MSAT).reservedAsBuyer().isZero()).isTrue();
        assertThat(simulator.payments()).isEmpty();
    }

    @Test
    void theNodesHoldExpiringWarningMakesTheEngineRefundBeforeTheNodeCancels() throws Exception {
        start(UnaryOperator.identity()); // HoldExpiring 36 blocks (6 h) before LND's auto-cancel
        long amount = 80_000_000;
        EscrowView funded = fund(create(
                amount,
                FeeSchedule.none(),
                PayoutDestination.railAddress(simulator.createSellerInvoice(amount)),
                Duration.ofHours(2),
                Duration.ofHours(10),
                Duration.ofHours(9)));
        int nodeCancelHeight = simulator.blockHeight() + 144 - LND_HOLD_EXPIRY_DELTA;
        String hold = fundingInvoice(funded);
        // the release fails before the hold is settled (see the test above); a failed release waits for a person
        submit(new MarkDelivered(Actor.seller(SELLER), funded.id(), M1));
        simulator.failNextCall(
                Status.UNKNOWN.withDescription("simulated: settle refused"), "invoicesrpc.Invoices/SettleInvoice");
        submit(new AcceptDelivery(Actor.buyer(BUYER), funded.id(), M1));
        engine.runDueWork();
        assertThat(engine.get(funded.id()).milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASE_FAILED);

        // 16 h 1 min after funding: 35 blocks before the node's cancel, 5 h before the engine's own timer.
        clock.advance(Duration.ofHours(16).plusMinutes(1));
        EscrowView refunded = awaitView(funded.id(), v -> v.status() == EscrowStatus.REFUNDED);

        assertThat(rail.seen(RailNotification.HoldExpiring.class)).isEqualTo(1);
        assertThat(simulator.invoiceState(hold)).isEqualTo(InvoiceState.CANCELED);
        assertThat(simulator.blockHeight()).isLessThan(nodeCancelHeight);
        assertThat(simulator.buyerNetPaidMsat(hold)).isZero();
        assertThat(refunded.milestones().get(0).refunded()).isEqualTo(Money.of(amount, MSAT));
        assertThat(refundReasons(funded.id())).containsExactly("rail hold about to lapse");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private CreateEscrow create(
            long amountMsat,
            FeeSchedule fee,
            PayoutDestination sellerPayout,
            Duration deliverIn,
            Duration inspection,
            Duration dispute) {
        return new CreateEscrow(
                Actor.buyer(BUYER),
                BUYER,
                SELLER,
                rail.id(),
                Money.of(amountMsat, MSAT),
                List.of(new MilestoneSpec(
                        M1, "the goods", amountMsat, clock.instant().plus(deliverIn))),
                fee,
                clock.instant().plus(Duration.ofHours(1)),
                inspection,
                dispute,
                sellerPayout,
                null,
                "lightning-it",
                Map.of());
    }

    private EscrowView fund(CreateEscrow create) throws InterruptedException {
        EscrowView created = submit(create);
        String invoice =
                ((PartyInstruction.PayInvoice) created.fundingInstruction().orElseThrow()).paymentRequest();
        assertThat(simulator.payInvoiceAsBuyer(invoice)).isEqualTo(InvoiceState.ACCEPTED);
        return awaitView(created.id(), v -> v.status() == EscrowStatus.FUNDED);
    }

    private String fundingInvoice(EscrowView funded) {
        return engine.history(funded.id()).stream()
                .filter(EscrowEvent.InstructionIssued.class::isInstance)
                .map(e -> ((EscrowEvent.InstructionIssued) e).instruction())
                .map(i -> ((PartyInstruction.PayInvoice) i).paymentRequest())
                .findFirst()
                .orElseThrow();
    }

    private EscrowView submit(dev.holdfast.api.EscrowCommand command) {
        return engine.submit(IdempotencyKey.of("it-" + keys.incrementAndGet()), command);
    }

    private EscrowView awaitView(EscrowId id, java.util.function.Predicate<EscrowView> done)
            throws InterruptedException {
        await(() -> done.test(engine.get(id)));
        return engine.get(id);
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + ASYNC.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + ASYNC);
            }
            Thread.sleep(20);
        }
    }

    private List<EscrowEvent.PayoutSucceeded> payoutsSucceeded(EscrowId id) {
        return engine.history(id).stream()
                .filter(EscrowEvent.PayoutSucceeded.class::isInstance)
                .map(EscrowEvent.PayoutSucceeded.class::cast)
                .toList();
    }

    private List<String> refundReasons(EscrowId id) {
        return engine.history(id).stream()
                .filter(EscrowEvent.PayoutRequested.class::isInstance)
                .map(EscrowEvent.PayoutRequested.class::cast)
                .filter(p -> p.kind() == dev.holdfast.api.PayoutKind.REFUND)
                .map(EscrowEvent.PayoutRequested::reason)
                .toList();
    }

    private RailOperation operation(TransferId id) {
        return store.inTransaction(tx -> tx.railOperations().find(id).orElseThrow());
    }

    private long ledger(AccountType type, String owner) {
        return store.inTransaction(tx -> tx.ledger().balance(new LedgerAccount(type, owner, MSAT)));
    }

    /**
     * Passes everything through to the Lightning rail and counts its notifications; while muted it swallows payout
     * outcomes, as a notification lost between the rail and the engine (they are best effort: the reconciler is what
     * guarantees an outcome).
     */
    private static final class NotificationGate implements PaymentRail {
        private final PaymentRail delegate;
        private final Map<Class<?>, AtomicInteger> seen = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean muted;

        NotificationGate(PaymentRail delegate) {
            this.delegate = delegate;
        }

        void muteOutcomes(boolean muted) {
            this.muted = muted;
        }

        int seen(Class<? extends RailNotification> kind) {
            AtomicInteger n = seen.get(kind);
            return n == null ? 0 : n.get();
        }

        @Override
        public RailId id() {
            return delegate.id();
        }

        @Override
        public RailCapabilities capabilities() {
            return delegate.capabilities();
        }

        @Override
        public RailResult openFunding(FundingRequest request) {
            return delegate.openFunding(request);
        }

        @Override
        public RailResult cancelFunding(TransferId fundingTransferId) {
            return delegate.cancelFunding(fundingTransferId);
        }

        @Override
        public RailResult payout(PayoutRequest request) {
            return delegate.payout(request);
        }

        @Override
        public RailResult query(TransferId transferId) {
            return delegate.query(transferId);
        }

        @Override
        public RailResult submitPartyResponse(TransferId transferId, Role party, String payload) {
            return delegate.submitPartyResponse(transferId, party, payload);
        }

        @Override
        public void setListener(RailListener listener) {
            delegate.setListener(n -> {
                seen.computeIfAbsent(n.getClass(), k -> new AtomicInteger()).incrementAndGet();
                boolean outcome =
                        n instanceof RailNotification.PayoutSucceeded || n instanceof RailNotification.PayoutFailed;
                if (!(muted && outcome)) {
                    listener.onNotification(n);
                }
            });
        }
    }
}
