package dev.holdfast.lightning;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.lightning.simulator.LndSimulator;
import dev.holdfast.lightning.simulator.MutableClock;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.RailResult;
import dev.holdfast.tck.rail.RailFaults;
import dev.holdfast.tck.rail.RailTestFixture;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.lightningj.lnd.proto.LightningApi.Invoice.InvoiceState;

/**
 * Plays the world around a {@link LightningPaymentRail}: an {@link LndSimulator} in-process, the buyer paying hold
 * invoices, the seller issuing invoices, and the simulator's books as the observations.
 *
 * <p>Faults hit the first LND call an operation makes among the calls that act ({@link #ACTING_CALLS}): AddHoldInvoice
 * for openFunding, CancelInvoice for cancelFunding, DecodePayReq for a payout to an invoice. Never the watchers'
 * streams nor queries, as the kit requires. {@code stallNext} keeps the next payment IN_FLIGHT, which is what a stuck
 * HTLC looks like.
 */
final class LndSimulatorFixture implements RailTestFixture {
    static final String[] ACTING_CALLS = {
        "invoicesrpc.Invoices/AddHoldInvoice",
        "invoicesrpc.Invoices/CancelInvoice",
        "invoicesrpc.Invoices/SettleInvoice",
        "lnrpc.Lightning/DecodePayReq",
        "routerrpc.Router/SendPaymentV2"
    };
    static final String KEY_HEX = "4b1d0e6a0f5d9c3e2a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b";

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-01-05T09:00:00Z"));
    private final LndSimulator simulator;
    private final ManagedChannel channel;
    private final LightningPaymentRail rail;
    private final Map<TransferId, String> fundingInvoices = new ConcurrentHashMap<>();

    LndSimulatorFixture() {
        this(b -> b, UnaryOperator.identity());
    }

    LndSimulatorFixture(
            UnaryOperator<LndSimulator.Builder> simulatorSetup, UnaryOperator<LightningRailConfig.Builder> railSetup) {
        this(simulatorSetup, railSetup, new InMemoryLightningTransferLog());
    }

    /** @param log the rail's transfer log */
    LndSimulatorFixture(LightningTransferLog log) {
        this(b -> b, UnaryOperator.identity(), log);
    }

    LndSimulatorFixture(
            UnaryOperator<LndSimulator.Builder> simulatorSetup,
            UnaryOperator<LightningRailConfig.Builder> railSetup,
            LightningTransferLog log) {
        try {
            simulator = simulatorSetup
                    .apply(LndSimulator.builder().clock(clock))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = simulator.newInProcessChannel();
        rail = new LightningPaymentRail(railSetup.apply(defaults()).build(), log, channel, clock);
    }

    static LightningRailConfig.Builder defaults() {
        return LightningRailConfig.builder()
                .preimageKeyHex(KEY_HEX)
                .refundAfterSettlement(true)
                .limitsMsat(1_000, 1_000_000_000_000L)
                .feeLimitMsat(5_000_000)
                .retryBackoff(Duration.ofMillis(50))
                .callTimeout(Duration.ofSeconds(5));
    }

    LndSimulator simulator() {
        return simulator;
    }

    MutableClock mutableClock() {
        return clock;
    }

    @Override
    public LightningPaymentRail rail() {
        return rail;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Money fundingAmount() {
        return Money.of(250_000_000, Asset.BTC_MSAT);
    }

    @Override
    public boolean buyerPays(FundingRequest request, RailResult openResult) {
        if (!(openResult.instruction() instanceof PartyInstruction.PayInvoice invoice)) {
            return false;
        }
        fundingInvoices.put(request.transferId(), invoice.paymentRequest());
        try {
            return simulator.payInvoiceAsBuyer(invoice.paymentRequest()) == InvoiceState.ACCEPTED;
        } catch (IllegalStateException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public PayoutDestination.RailAddress validDestination(Role party, Money amount) {
        return new PayoutDestination.RailAddress(simulator.createSellerInvoice(amount.minor()));
    }

    @Override
    public void advanceRailTime(Duration duration) {
        // The simulator's block height follows its clock (one block per ten minutes), so advancing the clock also
        // mines; tick() applies expiry and LND's CLTV auto-cancel at once.
        clock.advance(duration);
        simulator.tick();
    }

    @Override
    public Optional<RailFaults> faults() {
        return Optional.of(new RailFaults() {
            @Override
            public void failNext(String code) {
                simulator.failNextCall(Status.UNKNOWN.withDescription(code), ACTING_CALLS);
            }

            @Override
            public void unknownNext() {
                simulator.loseNextAnswer(ACTING_CALLS);
            }

            @Override
            public void stallNext() {
                simulator.stallNextPayment();
            }

            @Override
            public void completeStalled() {
                simulator.releaseStalled();
            }
        });
    }

    @Override
    public Money receivedAt(PayoutDestination.RailAddress destination, Asset asset) {
        if (!asset.equals(Asset.BTC_MSAT)) {
            return Money.zero(asset);
        }
        return Money.of(simulator.sellerInvoiceReceivedMsat(destination.address()), asset);
    }

    @Override
    public Money platformBalance(Asset asset) {
        return asset.equals(Asset.BTC_MSAT) ? Money.of(simulator.channelBalanceMsat(), asset) : Money.zero(asset);
    }

    @Override
    public Money buyerNetPaid(FundingRequest funding) {
        String invoice = fundingInvoices.get(funding.transferId());
        Asset asset = funding.amount().asset();
        return invoice == null ? Money.zero(asset) : Money.of(simulator.buyerNetPaidMsat(invoice), asset);
    }

    @Override
    public Duration asyncTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    public void close() {
        rail.close();
        channel.shutdownNow();
        simulator.close();
    }
}
