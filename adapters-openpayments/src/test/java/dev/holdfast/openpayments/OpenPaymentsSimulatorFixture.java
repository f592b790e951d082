package dev.holdfast.openpayments;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.openpayments.simulator.MutableClock;
import dev.holdfast.openpayments.simulator.OpenPaymentsSimulator;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailListener;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import dev.holdfast.tck.rail.RailFaults;
import dev.holdfast.tck.rail.RailTestFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the world around an {@link OpenPaymentsPaymentRail}: one simulated ASE with the escrow, platform and buyer
 * wallets, a fresh payee wallet per destination, the buyer's browser approving consent, and the ASE's books as the
 * observations. Faults: {@code failNext} refuses the next POST or DELETE with a 500, {@code unknownNext} loses the
 * answer to the next outgoing payment, {@code stallNext} holds the next outgoing payment.
 */
final class OpenPaymentsSimulatorFixture implements RailTestFixture {
    static final Asset USD = new Asset("USD", 2);
    static final PartyId BUYER = PartyId.of("tck-buyer");
    private static final AtomicInteger PAYEES = new AtomicInteger();

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-01-05T09:00:00Z"));
    private final OpenPaymentsSimulator sim;
    private final OpenPaymentsPaymentRail rail;
    private final HttpClient browser = HttpClient.newHttpClient();
    private final AtomicBoolean loseNext = new AtomicBoolean();
    private final PaymentRail answers = new LosingAnswers();

    OpenPaymentsSimulatorFixture() {
        this(1_000_000_000_000_000L);
    }

    /** @param escrowGrantDebitLimit the debit limit of the escrow wallet's long-lived outgoing-payment grant */
    OpenPaymentsSimulatorFixture(long escrowGrantDebitLimit) {
        this(escrowGrantDebitLimit, new InMemoryOpenPaymentsTransferLog());
    }

    /** @param log the rail's transfer log */
    OpenPaymentsSimulatorFixture(OpenPaymentsTransferLog log) {
        this(1_000_000_000_000_000L, log);
    }

    OpenPaymentsSimulatorFixture(long escrowGrantDebitLimit, OpenPaymentsTransferLog log) {
        try {
            sim = OpenPaymentsSimulator.builder().clock(clock).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sim.createWallet("escrow", "USD", 2, 0);
        sim.createWallet("platform", "USD", 2, 0);
        String buyer = sim.createWallet("buyer", "USD", 2, 1_000_000_000_000L);
        OpenPaymentsKeys keys = OpenPaymentsKeys.generate("holdfast-1");
        sim.addKey("escrow", keys.jwk());
        OpenPaymentsRailConfig config = new OpenPaymentsRailConfig(
                RailId.of("openpayments"),
                sim.walletAddressUrl("escrow"),
                sim.walletAddressUrl("platform"),
                USD,
                1,
                100_000_000_000L,
                "https://platform.example/holdfast/openpayments/finish",
                escrowGrantDebitLimit,
                Duration.ofSeconds(5),
                Duration.ofMillis(50),
                true);
        rail = new OpenPaymentsPaymentRail(
                config, keys, log, new InMemoryWalletAddressDirectory().put(BUYER, buyer), clock);
        String url = rail.requestEscrowGrant();
        sim.approveNext();
        Map<String, String> finish = browse(url);
        rail.completeEscrowGrant(finish.get("interact_ref"), finish.get("hash"));
    }

    OpenPaymentsSimulator simulator() {
        return sim;
    }

    MutableClock mutableClock() {
        return clock;
    }

    /** The account holder's browser: opens the page and answers the finish redirect's parameters, or null. */
    Map<String, String> browse(String url) {
        try {
            HttpResponse<String> r =
                    browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 302) {
                return null;
            }
            Map<String, String> params = new HashMap<>();
            for (String pair : URI.create(r.headers().firstValue("Location").orElseThrow())
                    .getRawQuery()
                    .split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            return params;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public PaymentRail rail() {
        return answers;
    }

    OpenPaymentsPaymentRail openPaymentsRail() {
        return rail;
    }

    /**
     * The rail as the kit sees it. A lost answer is played at the simulator (the outgoing payment's response is
     * dropped), but a payout the rail refuses before calling out never reaches it; then the answer is dropped here,
     * after the call did everything it would, which is what {@link RailFaults#unknownNext()} asks for.
     */
    private final class LosingAnswers implements PaymentRail {
        @Override
        public RailId id() {
            return rail.id();
        }

        @Override
        public RailCapabilities capabilities() {
            return rail.capabilities();
        }

        @Override
        public RailResult openFunding(FundingRequest request) {
            return lose(rail.openFunding(request));
        }

        @Override
        public RailResult cancelFunding(TransferId fundingTransferId) {
            return lose(rail.cancelFunding(fundingTransferId));
        }

        @Override
        public RailResult payout(PayoutRequest request) {
            return lose(rail.payout(request));
        }

        @Override
        public RailResult query(TransferId transferId) {
            return rail.query(transferId);
        }

        @Override
        public RailResult submitPartyResponse(TransferId transferId, Role party, String payload) {
            return rail.submitPartyResponse(transferId, party, payload);
        }

        @Override
        public void setListener(RailListener listener) {
            rail.setListener(listener);
        }

        private RailResult lose(RailResult answer) {
            if (loseNext.getAndSet(false) && answer.status() != RailStatus.UNKNOWN) {
                return RailResult.unknown(new RailError(RailError.TIMEOUT, "the answer was lost (fixture)"));
            }
            return answer;
        }
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Money fundingAmount() {
        return Money.of(25_000, USD);
    }

    @Override
    public boolean buyerPays(FundingRequest request, RailResult openResult) {
        if (!(openResult.instruction() instanceof PartyInstruction.ApproveAt approve)) {
            return false;
        }
        Money before = buyerNetPaid(request);
        sim.approveNext();
        Map<String, String> finish = browse(approve.url());
        if (finish == null || !finish.containsKey("hash")) {
            return false;
        }
        rail.onInteractionFinished(request.transferId(), finish.get("interact_ref"), finish.get("hash"));
        return buyerNetPaid(request).compareTo(before) > 0;
    }

    @Override
    public PayoutDestination.RailAddress validDestination(Role party, Money amount) {
        return new PayoutDestination.RailAddress(sim.createWallet("payee-" + PAYEES.incrementAndGet(), "USD", 2, 0));
    }

    @Override
    public void advanceRailTime(Duration duration) {
        clock.advance(duration);
        sim.tick();
    }

    @Override
    public Optional<RailFaults> faults() {
        return Optional.of(new RailFaults() {
            @Override
            public void failNext(String code) {
                sim.failNext(500);
            }

            @Override
            public void unknownNext() {
                sim.loseNextAnswer("POST", "/outgoing-payments");
                loseNext.set(true);
            }

            @Override
            public void stallNext() {
                sim.stallNext(Duration.ofDays(3650));
            }

            @Override
            public void completeStalled() {
                sim.releaseStalled();
            }
        });
    }

    @Override
    public Money receivedAt(PayoutDestination.RailAddress destination, Asset asset) {
        if (!asset.equals(USD)) {
            return Money.zero(asset);
        }
        String name = destination.address().substring(destination.address().lastIndexOf('/') + 1);
        return Money.of(sim.balance(name), asset);
    }

    @Override
    public Money platformBalance(Asset asset) {
        return asset.equals(USD) ? Money.of(sim.balance("platform"), asset) : Money.zero(asset);
    }

    @Override
    public Money buyerNetPaid(FundingRequest funding) {
        String id = funding.transferId().value();
        long paid = sim.incomingPayments("escrow").stream()
                .filter(p -> id.equals(p.metadata().get("holdfastTransferId")))
                .mapToLong(OpenPaymentsSimulator.IncomingPaymentView::receivedAmount)
                .sum();
        long refunded = sim.incomingPayments("buyer").stream()
                .filter(p -> ("refund:" + id).equals(p.metadata().get("holdfastLeg")))
                .mapToLong(OpenPaymentsSimulator.IncomingPaymentView::receivedAmount)
                .sum();
        return Money.of(paid - refunded, funding.amount().asset());
    }

    @Override
    public void close() {
        rail.close();
        sim.close();
    }
}
