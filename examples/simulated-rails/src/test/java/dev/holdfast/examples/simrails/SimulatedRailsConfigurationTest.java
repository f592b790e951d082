package dev.holdfast.examples.simrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.TestClock;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.proto.LightningApi.Invoice.InvoiceState;

/** What a host configures, and the shared-clock option. */
class SimulatedRailsConfigurationTest {

    @Test
    void thePropertiesAreWhatAHostWritesAndRebuildTheSameConfigurations() throws Exception {
        try (SimulatedRails rails = SimulatedRails.start()) {
            Map<String, String> p = rails.properties();

            assertThat(p.keySet()).allSatisfy(k -> assertThat(k).startsWith("holdfast.rails."));
            assertThat(p)
                    .containsEntry("holdfast.rails.lightning.host", "localhost")
                    .containsEntry(
                            "holdfast.rails.lightning.port",
                            Integer.toString(rails.lndSimulator().port()))
                    .containsEntry(
                            "holdfast.rails.lightning.macaroonPath",
                            rails.lndSimulator().adminMacaroonPath().toString())
                    .containsEntry(
                            "holdfast.rails.stellar.horizonUrl",
                            rails.horizonSimulator().url())
                    .containsEntry(
                            "holdfast.rails.openpayments.escrowWalletAddress",
                            rails.openPaymentsSimulator().walletAddressUrl("escrow"))
                    .containsKeys(
                            "holdfast.rails.lightning.preimageKeyHex",
                            "holdfast.rails.stellar.platformSecretSeed",
                            "holdfast.rails.openpayments.privateKeyPkcs8");
            assertThat(RailProperties.hasLightning(p)).isTrue();
            assertThat(RailProperties.hasStellar(p)).isTrue();
            assertThat(RailProperties.hasOpenPayments(p)).isTrue();
            assertThat(RailProperties.lightning(p)).isEqualTo(rails.lightningConfig());
            assertThat(RailProperties.stellar(p)).isEqualTo(rails.stellarConfig());
            assertThat(RailProperties.openPayments(p)).isEqualTo(rails.openPaymentsConfig());
            String jwks = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(URI.create(
                                            rails.openPaymentsConfig().escrowWalletAddress() + "/jwks.json"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            String x = RailProperties.openPaymentsKeys(p).jwk().replaceAll(".*\"x\":\"([^\"]+)\".*", "$1");
            assertThat(jwks)
                    .as("the key the rail signs with is the one published in the escrow wallet's JWKS")
                    .contains(x);
            assertThat(rails.rails())
                    .extracting(r -> r.id().value())
                    .containsExactly("lightning", "stellar", "openpayments");
            assertThat(rails.lightningConfig().toString())
                    .doesNotContain(p.get("holdfast.rails.lightning.preimageKeyHex"));
            assertThat(rails.stellarConfig().toString())
                    .doesNotContain(p.get("holdfast.rails.stellar.platformSecretSeed"));
        }
    }

    @Test
    void partiesWhoseNamesLookAlikeGetWalletsOfTheirOwn() throws Exception {
        try (SimulatedRails rails = SimulatedRails.start()) {
            SimulatedWallet upper = rails.wallet(PartyId.of("Ada"));
            SimulatedWallet lower = rails.wallet(PartyId.of("ada"));

            assertThat(rails.wallet(PartyId.of("Ada"))).isSameAs(upper);
            assertThat(upper.name()).isNotEqualTo(lower.name());
            assertThat(upper.lightningAddress()).isNotEqualTo(lower.lightningAddress());
            assertThat(upper.stellarAccountId()).isNotEqualTo(lower.stellarAccountId());
            assertThat(rails.stellarAccounts().accountOf(PartyId.of("ada"))).contains(lower.stellarAccountId());
            assertThat(rails.openPaymentsWallets().walletAddressOf(PartyId.of("Ada")))
                    .contains(upper.openPaymentsWalletAddress());
            assertThat(upper.balance(SimulatedRails.OPEN_PAYMENTS)).isEqualTo(Money.of(1_000_000, Asset.USD));
            assertThat(upper.balance(SimulatedRails.STELLAR))
                    .isEqualTo(Money.of(dev.holdfast.stellar.simulator.HorizonSimulator.FRIENDBOT_STROOPS, Asset.XLM));
        }
    }

    @Test
    void aMissingRequiredPropertyIsNamed() {
        Map<String, String> p = new HashMap<>();
        p.put("holdfast.rails.stellar.horizonUrl", "https://horizon-testnet.stellar.org");
        p.put("holdfast.rails.stellar.networkPassphrase", "Test SDF Network ; September 2015");

        assertThatThrownBy(() -> RailProperties.stellar(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holdfast.rails.stellar.platformSecretSeed");
        assertThat(RailProperties.hasLightning(p)).isFalse();
    }

    @Test
    void aFinishRedirectOutsideTheFinishEndpointIsRefused() throws Exception {
        try (SimulatedRails rails = SimulatedRails.start()) {
            assertThatThrownBy(() -> rails.openPaymentsReturn().handle(URI.create("http://127.0.0.1/elsewhere/x")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(rails.openPaymentsReturn().basePath()).isEqualTo(LocalEndpoints.FINISH_PATH);
        }
    }

    @Test
    void withASharedTestClockTheLightningHoldIsCancelledBackToTheBuyerOnARefund() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
        try (SimulatedRails rails = SimulatedRails.builder().clock(clock).start()) {
            EscrowEngine engine = Holdfast.builder()
                    .store(new InMemoryStore())
                    .rail(rails.lightning())
                    .clock(clock)
                    .config(EngineConfig.defaults().withNodeId("simulated-rails-clock"))
                    .build();
            try {
                PartyId buyerId = PartyId.of("ada");
                PartyId sellerId = PartyId.of("bob");
                SimulatedWallet buyer = rails.wallet(buyerId);
                SimulatedWallet seller = rails.wallet(sellerId);
                MilestoneId m1 = MilestoneId.of("m1");
                long amount = 40_000_000;
                EscrowView created = engine.submit(
                        IdempotencyKey.of("c"),
                        new CreateEscrow(
                                Actor.buyer(buyerId),
                                buyerId,
                                sellerId,
                                SimulatedRails.LIGHTNING,
                                Money.of(amount, Asset.BTC_MSAT),
                                List.of(new MilestoneSpec(
                                        m1, "goods", amount, clock.instant().plus(Duration.ofHours(2)))),
                                FeeSchedule.none(),
                                clock.instant().plus(Duration.ofHours(1)),
                                Duration.ofHours(4),
                                Duration.ofHours(4),
                                seller.payoutDestination(SimulatedRails.LIGHTNING),
                                null,
                                "",
                                Map.of()));
                PartyInstruction.PayInvoice invoice = (PartyInstruction.PayInvoice)
                        created.fundingInstruction().orElseThrow();
                assertThat(invoice.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
                buyer.fund(created);
                await(engine, created.id(), v -> v.status() == EscrowStatus.FUNDED);

                engine.submit(
                        IdempotencyKey.of("r"),
                        new RefundMilestone(Actor.seller(sellerId), created.id(), m1, null, "cannot deliver"));
                EscrowView refunded = await(engine, created.id(), v -> v.status() == EscrowStatus.REFUNDED);

                // Refunded before settlement: the hold is cancelled and the buyer's HTLC fails back, no fee.
                assertThat(refunded.milestones().get(0).refunded()).isEqualTo(Money.of(amount, Asset.BTC_MSAT));
                assertThat(rails.lndSimulator().invoiceState(invoice.paymentRequest()))
                        .isEqualTo(InvoiceState.CANCELED);
                assertThat(rails.lndSimulator().buyerNetPaidMsat(invoice.paymentRequest()))
                        .isZero();
                assertThat(seller.balance(SimulatedRails.LIGHTNING).isZero()).isTrue();
            } finally {
                engine.close();
            }
        }
    }

    private static EscrowView await(EscrowEngine engine, EscrowId id, Predicate<EscrowView> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.test(engine.get(id))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached: " + engine.get(id));
            }
            engine.runDueWork();
            Thread.sleep(25);
        }
        return engine.get(id);
    }
}
