package dev.holdfast.lightning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.TransferId;
import dev.holdfast.lightning.simulator.LndSimulator;
import dev.holdfast.lightning.simulator.MutableClock;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import dev.holdfast.tck.rail.RailNotificationRecorder;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rail over TCP with TLS and a macaroon, built from configuration alone, as against a real LND. */
class LightningPaymentRailIT {
    private final MutableClock clock = MutableClock.startingAt(Instant.now());
    private LndSimulator simulator;

    @BeforeEach
    void startNode() throws Exception {
        simulator = LndSimulator.builder().clock(clock).tcp(0).build().start();
    }

    @AfterEach
    void stopNode() {
        simulator.close();
    }

    private LightningRailConfig.Builder config() {
        return LndSimulatorFixture.defaults().node("localhost", simulator.port());
    }

    @Test
    void fundsAndReleasesOverTlsWithTheMacaroonFileAndSurvivesANodeRestart() throws Exception {
        LightningRailConfig config = config().tlsCertPath(simulator.tlsCertPath())
                .macaroonPath(simulator.adminMacaroonPath())
                .build();
        RailNotificationRecorder notifications = new RailNotificationRecorder();
        try (LightningPaymentRail rail = new LightningPaymentRail(config, new InMemoryLightningTransferLog())) {
            rail.setListener(notifications);
            FundingRequest funding = new FundingRequest(
                    TransferId.of("it-fund-1"),
                    EscrowId.of("it-escrow-1"),
                    Money.of(21_000_000, Asset.BTC_MSAT),
                    PartyId.of("buyer"),
                    PartyId.of("seller"),
                    clock.instant().plus(Duration.ofHours(1)),
                    clock.instant().plus(Duration.ofHours(10)),
                    Map.of());
            RailResult opened = rail.openFunding(funding);
            assertThat(opened.status()).as("%s", opened).isEqualTo(RailStatus.PENDING);

            simulator.restart();
            simulator.payInvoiceAsBuyer(((PartyInstruction.PayInvoice) opened.instruction()).paymentRequest());
            assertThat(notifications.await(RailNotification.Funded.class, funding.transferId(), Duration.ofSeconds(20)))
                    .isPresent();

            PayoutRequest release = new PayoutRequest(
                    TransferId.of("it-release-1"),
                    PayoutKind.RELEASE,
                    funding.escrowId(),
                    funding.transferId(),
                    funding.seller(),
                    Money.of(20_000_000, Asset.BTC_MSAT),
                    Money.of(1_000_000, Asset.BTC_MSAT),
                    new PayoutDestination.RailAddress(simulator.createSellerInvoice(20_000_000)),
                    true);
            RailResult paid = rail.payout(release);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (paid.status() == RailStatus.PENDING && System.nanoTime() < deadline) {
                Thread.sleep(20);
                paid = rail.query(release.transferId());
            }
            assertThat(paid.status()).as("%s", paid).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(simulator.sellerReceivedMsat()).isEqualTo(20_000_000);
        }
    }

    @Test
    void aDroppedInvoiceStreamIsResumedOverTlsAndTheFundingIsStillSeen() throws Exception {
        LightningRailConfig config = config().tlsCertPath(simulator.tlsCertPath())
                .macaroonPath(simulator.adminMacaroonPath())
                .build();
        RailNotificationRecorder notifications = new RailNotificationRecorder();
        try (LightningPaymentRail rail = new LightningPaymentRail(config, new InMemoryLightningTransferLog())) {
            rail.setListener(notifications);
            FundingRequest funding = new FundingRequest(
                    TransferId.of("it-fund-3"),
                    EscrowId.of("it-escrow-3"),
                    Money.of(5_000_000, Asset.BTC_MSAT),
                    PartyId.of("buyer"),
                    PartyId.of("seller"),
                    clock.instant().plus(Duration.ofHours(1)),
                    clock.instant().plus(Duration.ofHours(10)),
                    Map.of());
            RailResult opened = rail.openFunding(funding);
            assertThat(opened.status()).as("%s", opened).isEqualTo(RailStatus.PENDING);

            // the node ends every subscription; the buyer pays while the rail is reconnecting
            simulator.dropStreams();
            simulator.payInvoiceAsBuyer(((PartyInstruction.PayInvoice) opened.instruction()).paymentRequest());
            assertThat(notifications.await(RailNotification.Funded.class, funding.transferId(), Duration.ofSeconds(20)))
                    .isPresent();
            assertThat(rail.query(funding.transferId()).status()).isEqualTo(RailStatus.SUCCEEDED);
        }
    }

    @Test
    void aWrongMacaroonIsRefusedAsAFailureNotAnException() throws Exception {
        LightningRailConfig config = config().tlsCertPem(Files.readString(simulator.tlsCertPath()))
                .macaroonHex(simulator.adminMacaroonHexWithCaveat("time-before 2000-01-01T00:00:00Z"))
                .build();
        try (LightningPaymentRail rail = new LightningPaymentRail(config, new InMemoryLightningTransferLog())) {
            rail.setListener(n -> {});
            RailResult opened = rail.openFunding(new FundingRequest(
                    TransferId.of("it-fund-2"),
                    EscrowId.of("it-escrow-2"),
                    Money.of(21_000_000, Asset.BTC_MSAT),
                    PartyId.of("buyer"),
                    PartyId.of("seller"),
                    clock.instant().plus(Duration.ofHours(1)),
                    clock.instant().plus(Duration.ofHours(10)),
                    Map.of()));

            assertThat(opened.status()).as("%s", opened).isEqualTo(RailStatus.FAILED);
            assertThat(opened.error().code()).isEqualTo("LND_UNAUTHORIZED");
        }
    }
}
