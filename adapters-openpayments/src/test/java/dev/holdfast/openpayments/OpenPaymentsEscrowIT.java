package dev.holdfast.openpayments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeStatus;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AcceptSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OfferSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OpenDispute;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.MilestoneView;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.api.TestClock;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.openpayments.simulator.OpenPaymentsSimulator;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.LedgerAccount;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole engine ({@code escrow-core} on the in-memory store) over the Open Payments rail, which talks HTTP to the
 * Open Payments simulator with signed requests, as it would to Rafiki. The simulator charges a quote fee (3 minor units
 * + 0.5 %), so every payout shows a rail fee. Engine, rail and simulator share one {@link TestClock}.
 */
class OpenPaymentsEscrowIT {
    private static final Asset USD = Asset.USD;
    private static final PartyId BUYER = PartyId.of("buyer");
    private static final PartyId SELLER = PartyId.of("seller");
    private static final MilestoneId M1 = MilestoneId.of("m1");
    private static final String FINISH = "https://platform.example/holdfast/openpayments/finish";
    private static final long BUYER_START = 1_000_000;
    private static final long ESCROW_FLOAT = 1_000; // the platform's float for payout fees (docs: "keep a float")
    private static final long FEE_FIXED = 3;
    private static final int FEE_BPS = 50;
    private static final Duration ASYNC = Duration.ofSeconds(20);

    private final TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final HttpClient browser = HttpClient.newHttpClient();
    private final AtomicInteger keys = new AtomicInteger();
    private OpenPaymentsSimulator sim;
    private OpenPaymentsPaymentRail rail;
    private EscrowEngine engine;
    private String sellerWallet;

    @BeforeEach
    void start() throws Exception {
        sim = OpenPaymentsSimulator.builder()
                .clock(clock)
                .quoteFee(FEE_FIXED, FEE_BPS)
                .build()
                .start();
        sim.createWallet("escrow", "USD", 2, ESCROW_FLOAT);
        sim.createWallet("platform", "USD", 2, 0);
        String buyerWallet = sim.createWallet("buyer", "USD", 2, BUYER_START);
        sellerWallet = sim.createWallet("seller", "USD", 2, 0);
        OpenPaymentsKeys keys = OpenPaymentsKeys.generate("holdfast-it");
        sim.addKey("escrow", keys.jwk());
        rail = new OpenPaymentsPaymentRail(
                new OpenPaymentsRailConfig(
                        RailId.of("openpayments"),
                        sim.walletAddressUrl("escrow"),
                        sim.walletAddressUrl("platform"),
                        USD,
                        1,
                        100_000_000L,
                        FINISH,
                        1_000_000L,
                        Duration.ofSeconds(5),
                        Duration.ofMillis(50),
                        true),
                keys,
                new InMemoryOpenPaymentsTransferLog(),
                new InMemoryWalletAddressDirectory().put(BUYER, buyerWallet),
                clock);
        // The operator approves the long-lived escrow-wallet grant once.
        String operatorUrl = rail.requestEscrowGrant();
        sim.approveNext();
        URI back = browse(operatorUrl);
        rail.completeEscrowGrant(query(back).get("interact_ref"), query(back).get("hash"));
        engine = Holdfast.builder()
                .store(store)
                .rail(rail)
                .clock(clock)
                .config(EngineConfig.defaults().withNodeId("openpayments-it"))
                .disputes(DisputePolicy.defaults()
                        .withArbiters(List.of(PartyId.of("carol")))
                        .withResponsePeriod(Duration.ofDays(1)))
                .build();
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (rail != null) {
            rail.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void anEscrowFundedThroughTheInteractiveGrantIsDisputedAndSplitPayingBothSidesExactlyWithTheQuoteFeesInTheLedger()
            throws Exception {
        long amount = 10_000;
        EscrowView created = submit(create(amount));
        assertThat(created.status()).isEqualTo(EscrowStatus.AWAITING_FUNDING);
        PartyInstruction.ApproveAt approve =
                (PartyInstruction.ApproveAt) created.fundingInstruction().orElseThrow();

        // The buyer approves at their wallet; the browser comes back to the host's finish endpoint, which hands the
        // redirect's parameters to the rail.
        sim.approveNext();
        URI finish = browse(approve.url());
        assertThat(finish.toString()).startsWith(FINISH + "/");
        TransferId funding = TransferId.of(URLDecoder.decode(
                finish.getRawPath().substring(finish.getRawPath().lastIndexOf('/') + 1), StandardCharsets.UTF_8));
        assertThat(funding).isEqualTo(created.fundingTransfer());
        rail.onInteractionFinished(
                funding, query(finish).get("interact_ref"), query(finish).get("hash"));
        EscrowView funded = await(created.id(), v -> v.status() == EscrowStatus.FUNDED);
        assertThat(funded.milestones().get(0).held()).isEqualTo(usd(amount));
        long buyerFundingFee = fee(amount);
        assertThat(sim.balance("buyer")).isEqualTo(BUYER_START - amount - buyerFundingFee);
        assertThat(sim.balance("escrow")).isEqualTo(ESCROW_FLOAT + amount);

        // Disputed, then settled by an accepted offer: 60 % to the seller, the rest back to the buyer.
        EscrowView disputed = submit(new OpenDispute(Actor.buyer(BUYER), created.id(), M1, "half of it is missing"));
        DisputeView d = disputed.disputes().get(0);
        submit(new OfferSettlement(Actor.seller(SELLER), created.id(), d.id(), DisputeOutcome.splitBasisPoints(6_000)));
        submit(new AcceptSettlement(Actor.buyer(BUYER), created.id(), d.id(), 1));
        EscrowView done =
                await(created.id(), v -> v.status().isTerminal() && v.held().isZero());

        long toSeller = 6_000;
        long toBuyer = 4_000;
        MilestoneView m = done.milestones().get(0);
        assertThat(done.dispute(d.id()).orElseThrow().status()).isEqualTo(DisputeStatus.RESOLVED);
        assertThat(m.released()).isEqualTo(usd(toSeller));
        assertThat(m.refunded()).isEqualTo(usd(toBuyer));
        assertThat(done.held().isZero()).isTrue();

        // The wallets at the ASE: each side got exactly its share.
        assertThat(sim.balance("seller")).isEqualTo(toSeller);
        assertThat(sim.balance("buyer")).isEqualTo(BUYER_START - amount - buyerFundingFee + toBuyer);
        assertThat(sim.balance("platform")).isZero();

        // Each payout's rail fee in the engine = the escrow wallet's quote debit − receive, to the minor unit.
        List<EscrowEvent.PayoutSucceeded> payouts = payoutsSucceeded(created.id());
        assertThat(payouts).hasSize(2);
        List<OpenPaymentsSimulator.OutgoingPaymentView> sent = sim.outgoingPayments("escrow");
        assertThat(sent).hasSize(2);
        long railFees = 0;
        for (EscrowEvent.PayoutSucceeded p : payouts) {
            OpenPaymentsSimulator.OutgoingPaymentView op = sent.stream()
                    .filter(o -> p.transferId().value().equals(o.metadata().get("holdfastLeg")))
                    .findFirst()
                    .orElseThrow();
            assertThat(op.failed()).isFalse();
            assertThat(p.railReference()).isEqualTo(op.id());
            assertThat(p.railFee()).isEqualTo(usd(op.debitAmount() - op.receiveAmount()));
            assertThat(op.debitAmount() - op.receiveAmount()).isEqualTo(fee(op.receiveAmount()));
            railFees += op.debitAmount() - op.receiveAmount();
        }
        assertThat(railFees).isEqualTo(fee(toSeller) + fee(toBuyer));
        assertThat(ledger(AccountType.RAIL_FEES, rail.id().value())).isEqualTo(railFees);
        // The platform's float paid the payout fees; the escrow wallet holds nothing else.
        assertThat(sim.balance("escrow")).isEqualTo(ESCROW_FLOAT - railFees);
        assertThat(sim.feesCollected()).isEqualTo(buyerFundingFee + railFees);
        assertThat(engine.balance(SELLER, USD).paidOut()).isEqualTo(usd(toSeller));
        assertThat(engine.balance(BUYER, USD).reservedAsBuyer().isZero()).isTrue();
        assertThat(engine.verifyAudit().intact()).isTrue();
    }

    @Test
    void consentDeniedAtTheBuyersWalletFailsTheFundingInTheEngineAndMovesNothing() throws Exception {
        EscrowView created = submit(create(10_000));
        PartyInstruction.ApproveAt approve =
                (PartyInstruction.ApproveAt) created.fundingInstruction().orElseThrow();
        sim.denyNext();
        URI finish = browse(approve.url());
        assertThat(query(finish)).containsEntry("result", "grant_rejected");
        rail.onInteractionRejected(created.fundingTransfer());

        // The rail sends no notification for a refusal: the engine's reconciler finds it by asking.
        clock.advance(Duration.ofSeconds(6));
        engine.runDueWork();
        EscrowView failed = await(created.id(), v -> v.status() == EscrowStatus.FUNDING_FAILED);

        assertThat(failed.status()).isEqualTo(EscrowStatus.FUNDING_FAILED);
        assertThat(engine.history(created.id()).stream()
                        .filter(EscrowEvent.FundingFailed.class::isInstance)
                        .map(e -> ((EscrowEvent.FundingFailed) e).reason()))
                .singleElement()
                .asString()
                .contains("CONSENT_DENIED");
        assertThat(sim.balance("buyer")).isEqualTo(BUYER_START);
        assertThat(sim.balance("escrow")).isEqualTo(ESCROW_FLOAT);
        assertThat(sim.outgoingPayments("buyer")).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static long fee(long receive) {
        // the simulator's rule: fixed + floor(receive × bps / 10 000)
        return FEE_FIXED + receive * FEE_BPS / 10_000;
    }

    private CreateEscrow create(long amount) {
        return new CreateEscrow(
                Actor.buyer(BUYER),
                BUYER,
                SELLER,
                rail.id(),
                usd(amount),
                List.of(new MilestoneSpec(
                        M1, "the goods", amount, clock.instant().plus(Duration.ofDays(2)))),
                FeeSchedule.none(),
                clock.instant().plus(Duration.ofHours(1)),
                Duration.ofDays(3),
                Duration.ofDays(3),
                PayoutDestination.railAddress(sellerWallet),
                null,
                "openpayments-it",
                Map.of());
    }

    private static Money usd(long minor) {
        return Money.of(minor, USD);
    }

    private EscrowView submit(EscrowCommand command) {
        return engine.submit(IdempotencyKey.of("it-" + keys.incrementAndGet()), command);
    }

    /** The account holder's browser: opens the interaction page and answers where the AS redirects it. */
    private URI browse(String url) throws IOException, InterruptedException {
        HttpResponse<String> r =
                browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(302);
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params;
    }

    private EscrowView await(EscrowId id, Predicate<EscrowView> done) throws InterruptedException {
        long deadline = System.nanoTime() + ASYNC.toNanos();
        while (!done.test(engine.get(id))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + ASYNC + ": " + engine.get(id));
            }
            engine.runDueWork();
            Thread.sleep(20);
        }
        return engine.get(id);
    }

    private List<EscrowEvent.PayoutSucceeded> payoutsSucceeded(EscrowId id) {
        return engine.history(id).stream()
                .filter(EscrowEvent.PayoutSucceeded.class::isInstance)
                .map(EscrowEvent.PayoutSucceeded.class::cast)
                .toList();
    }

    private long ledger(AccountType type, String owner) {
        return store.inTransaction(tx -> tx.ledger().balance(new LedgerAccount(type, owner, USD)));
    }
}
