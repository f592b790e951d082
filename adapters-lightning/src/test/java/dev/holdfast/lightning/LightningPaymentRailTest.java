package dev.holdfast.lightning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.TransferId;
import dev.holdfast.lightning.internal.Preimages;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import dev.holdfast.tck.rail.RailNotificationRecorder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.proto.LightningApi.PaymentFailureReason;

/** Focused behaviour of the Lightning rail against the LND simulator, beyond the contract kit. */
class LightningPaymentRailTest {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private LndSimulatorFixture world;
    private final RailNotificationRecorder notifications = new RailNotificationRecorder();

    private LightningPaymentRail start(LndSimulatorFixture fixture) {
        world = fixture;
        world.rail().setListener(notifications);
        return world.rail();
    }

    private LightningPaymentRail start() {
        return start(new LndSimulatorFixture());
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void preimageNeverAppearsInLogsNotificationsOrToString() {
        List<String> logged = new ArrayList<>();
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(
                        String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        Logger.getLogger("org.lightningj").setLevel(Level.ALL);
        try {
            LightningPaymentRail rail = start();
            FundingRequest funding = fund(rail, 50_000_000);
            assertThat(pay(rail, release(funding, 40_000_000, 10_000_000, seller(40_000_000)))
                            .status())
                    .isEqualTo(RailStatus.SUCCEEDED);
            awaitQuery(rail, funding.transferId(), RailStatus.SUCCEEDED);
        } finally {
            root.removeHandler(capture);
            root.setLevel(rootLevel);
        }
        byte[] preimage = new Preimages(HexFormat.of().parseHex(LndSimulatorFixture.KEY_HEX)).funding(lastFunding);
        String hex = HexFormat.of().formatHex(preimage);
        String base64 = Base64.getEncoder().encodeToString(preimage);
        List<String> visible = new ArrayList<>(logged);
        notifications.all().forEach(n -> visible.add(n.toString()));
        visible.add(world.rail().toString());
        visible.add(LndSimulatorFixture.defaults().build().toString());
        assertThat(visible).isNotEmpty().noneMatch(s -> s.contains(hex) || s.contains(base64));
        assertThat(LndSimulatorFixture.defaults().build().toString())
                .doesNotContain(LndSimulatorFixture.KEY_HEX)
                .contains("redacted");
    }

    @Test
    void refusesPreimageKeysShorterThan32Bytes() {
        assertThatThrownBy(() -> LightningRailConfig.builder()
                        .preimageKeyHex("00".repeat(31))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32");
    }

    @Test
    void declaresMaxHoldFromCltvExpiryLessLndsHoldExpiryDelta() {
        LightningPaymentRail rail = start(new LndSimulatorFixture(b -> b, c -> c.cltvExpiry(80)));
        assertThat(rail.capabilities().maxHold())
                .isEqualTo(Duration.ofMinutes(10).multipliedBy(80 - 12));
        assertThat(rail.capabilities().partialRelease()).isTrue();
        assertThat(rail.capabilities().custodial()).isFalse();
        assertThat(rail.capabilities().partySignatures()).isFalse();
    }

    @Test
    void paysByKeysendToANodeKey() {
        LightningPaymentRail rail = start();
        FundingRequest funding = fund(rail, 30_000_000);
        long before = world.simulator().sellerReceivedMsat();

        RailResult paid = pay(
                rail,
                release(
                        funding,
                        29_000_000,
                        1_000_000,
                        new PayoutDestination.RailAddress(world.simulator().sellerNodePubkey())));

        assertThat(paid.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(world.simulator().sellerReceivedMsat() - before).isEqualTo(29_000_000);
    }

    @Test
    void paysALightningAddressThroughLnurlPay() throws IOException {
        String metadata = "[[\"text/plain\",\"alice's shop\"]]";
        HttpServer lnurl = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        lnurl.start();
        int port = lnurl.getAddress().getPort();
        try {
            LightningPaymentRail rail = start(new LndSimulatorFixture(b -> b, c -> c.lnurl("http", port)));
            lnurl.createContext(
                    "/.well-known/lnurlp/alice",
                    exchange -> respond(
                            exchange,
                            "{\"tag\":\"payRequest\","
                                    + "\"callback\":\"http://127.0.0.1:" + port
                                    + "/lnurlp/alice/callback\",\"minSendable\":1000,"
                                    + "\"maxSendable\":100000000000,\"metadata\":" + jsonString(metadata) + "}"));
            lnurl.createContext("/lnurlp/alice/callback", exchange -> {
                long msat = Long.parseLong(exchange.getRequestURI().getQuery().replace("amount=", ""));
                respond(
                        exchange,
                        "{\"pr\":\"" + world.simulator().createSellerInvoiceForDescription(msat, metadata)
                                + "\",\"routes\":[]}");
            });
            FundingRequest funding = fund(rail, 20_000_000);
            long before = world.simulator().sellerReceivedMsat();

            RailResult paid = pay(
                    rail, release(funding, 19_800_000, 200_000, new PayoutDestination.RailAddress("alice@localhost")));

            assertThat(paid.status()).as("%s", paid).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(world.simulator().sellerReceivedMsat() - before).isEqualTo(19_800_000);
        } finally {
            lnurl.stop(0);
        }
    }

    @Test
    void reportsTheRoutingFeeAsTheRailFee() {
        LightningPaymentRail rail = start(new LndSimulatorFixture(b -> b.routingFee(1_000, 1_000), c -> c));
        FundingRequest funding = fund(rail, 100_000_000);

        RailResult paid = pay(rail, release(funding, 100_000_000, 0, seller(100_000_000)));

        assertThat(paid.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(paid.railFee()).isEqualTo(Money.of(1_000 + 100_000, Asset.BTC_MSAT));
    }

    @Test
    void honoursTheFeeLimit() {
        LightningPaymentRail rail =
                start(new LndSimulatorFixture(b -> b.routingFee(5_000, 0), c -> c.feeLimitMsat(4_999)));
        FundingRequest funding = fund(rail, 10_000_000);
        PayoutDestination.RailAddress seller = seller(10_000_000);

        RailResult paid = pay(rail, release(funding, 10_000_000, 0, seller));

        assertThat(paid.status()).isEqualTo(RailStatus.FAILED);
        assertThat(paid.error().code()).isEqualTo("PAYMENT_NO_ROUTE");
        assertThat(world.simulator().sellerInvoiceReceivedMsat(seller.address()))
                .isZero();
    }

    @Test
    void refusesAnInvoiceForAnotherAmountAndAnExpiredInvoice() {
        LightningPaymentRail rail = start();
        FundingRequest funding = fund(rail, 10_000_000);

        RailResult mismatch = rail.payout(release(funding, 9_000_000, 0, seller(9_000_001)));
        PayoutDestination.RailAddress stale = seller(9_000_000);
        world.mutableClock().advance(Duration.ofDays(1).plusMinutes(1));
        RailResult expired = rail.payout(release(funding, 9_000_000, 0, stale));

        assertThat(mismatch.error().code()).isEqualTo("AMOUNT_MISMATCH");
        assertThat(expired.error().code()).isEqualTo("INVOICE_EXPIRED");
    }

    @Test
    void refundsAnUnsettledHoldByCancellingItAndAfterSettlementNeedsADestination() {
        LightningPaymentRail rail = start();
        FundingRequest held = fund(rail, 10_000_000);
        RailResult refunded = pay(rail, refundToSource(held, 10_000_000));

        FundingRequest settled = fund(rail, 10_000_000);
        assertThat(pay(rail, release(settled, 5_000_000, 0, seller(5_000_000))).status())
                .isEqualTo(RailStatus.SUCCEEDED);
        RailResult late = pay(rail, refundToSource(settled, 5_000_000));

        assertThat(refunded.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(refunded.railFee()).isNull();
        assertThat(world.buyerNetPaid(held)).isEqualTo(Money.zero(Asset.BTC_MSAT));
        assertThat(notifications.of(RailNotification.FundingLapsed.class, held.transferId()))
                .isEmpty();
        assertThat(late.error().code()).isEqualTo("REFUND_NEEDS_DESTINATION");
    }

    @Test
    void catchesUpOnAPaymentMadeWhileTheStreamWasDown() {
        LightningPaymentRail rail = start();
        FundingRequest funding = request(5_000_000);
        RailResult opened = rail.openFunding(funding);

        world.simulator().dropStreams();
        assertThat(world.buyerPays(funding, opened)).isTrue();

        assertThat(notifications.await(RailNotification.Funded.class, funding.transferId(), WAIT))
                .hasValueSatisfying(f -> assertThat(f.amount()).isEqualTo(funding.amount()));
    }

    @Test
    void reconnectsAfterANodeRestartAndSeesLaterChanges() throws IOException {
        LightningPaymentRail rail = start();
        FundingRequest funding = request(5_000_000);
        RailResult opened = rail.openFunding(funding);

        world.simulator().restart();
        assertThat(world.buyerPays(funding, opened)).isTrue();

        assertThat(notifications.await(RailNotification.Funded.class, funding.transferId(), WAIT))
                .isPresent();
        assertThat(pay(rail, release(funding, 5_000_000, 0, seller(5_000_000))).status())
                .isEqualTo(RailStatus.SUCCEEDED);
    }

    @Test
    void warnsBeforeLndCancelsAnAcceptedHoldAndReportsTheLapse() {
        LightningPaymentRail rail = start();
        FundingRequest funding = fund(rail, 5_000_000);

        world.advanceRailTime(Duration.ofHours(17));
        RailNotification.HoldExpiring warning = notifications
                .await(RailNotification.HoldExpiring.class, funding.transferId(), WAIT)
                .orElseThrow();
        assertThat(notifications.of(RailNotification.FundingLapsed.class, funding.transferId()))
                .isEmpty();
        world.simulator().mineBlocks(30);
        RailNotification.FundingLapsed lapsed = notifications
                .await(RailNotification.FundingLapsed.class, funding.transferId(), WAIT)
                .orElseThrow();

        assertThat(warning.lapsesAt()).isAfter(world.clock().instant().minus(Duration.ofHours(6)));
        assertThat(lapsed.reason()).startsWith("HOLD_EXPIRED");
        assertThat(awaitQuery(rail, funding.transferId(), RailStatus.FAILED).status())
                .isEqualTo(RailStatus.FAILED);
        assertThat(world.buyerNetPaid(funding)).isEqualTo(Money.zero(Asset.BTC_MSAT));
    }

    @Test
    void aPayoutThatLndCannotRouteFailsAndIsReported() {
        LightningPaymentRail rail =
                start(new LndSimulatorFixture(b -> b.paymentLatency(Duration.ofMillis(200)), c -> c));
        FundingRequest funding = fund(rail, 5_000_000);
        world.simulator().failNext(PaymentFailureReason.FAILURE_REASON_NO_ROUTE);
        PayoutRequest request = release(funding, 5_000_000, 0, seller(5_000_000));

        RailResult first = rail.payout(request);

        assertThat(first.status()).isEqualTo(RailStatus.PENDING);
        assertThat(notifications.await(RailNotification.PayoutFailed.class, request.transferId(), WAIT))
                .hasValueSatisfying(f -> assertThat(f.error().code()).isEqualTo("PAYMENT_NO_ROUTE"));
        assertThat(rail.query(request.transferId()).status()).isEqualTo(RailStatus.FAILED);
        assertThat(pay(rail, release(funding, 5_000_000, 0, seller(5_000_000))).status())
                .as("the failed payout drew nothing")
                .isEqualTo(RailStatus.SUCCEEDED);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private TransferId lastFunding;

    private FundingRequest request(long msat) {
        Instant now = world.clock().instant();
        TransferId id = TransferId.of("ln-test-fund-" + IDS.incrementAndGet());
        lastFunding = id;
        return new FundingRequest(
                id,
                EscrowId.of("ln-test-escrow-" + id.value()),
                Money.of(msat, Asset.BTC_MSAT),
                PartyId.of("buyer"),
                PartyId.of("seller"),
                now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(12)),
                Map.of());
    }

    private FundingRequest fund(LightningPaymentRail rail, long msat) {
        FundingRequest request = request(msat);
        RailResult opened = rail.openFunding(request);
        assertThat(opened.instruction()).isInstanceOf(PartyInstruction.PayInvoice.class);
        assertThat(world.buyerPays(request, opened)).isTrue();
        assertThat(awaitQuery(rail, request.transferId(), RailStatus.SUCCEEDED).status())
                .isEqualTo(RailStatus.SUCCEEDED);
        return request;
    }

    private PayoutDestination.RailAddress seller(long msat) {
        return new PayoutDestination.RailAddress(world.simulator().createSellerInvoice(msat));
    }

    private static PayoutRequest release(
            FundingRequest funding, long msat, long feeMsat, PayoutDestination destination) {
        return new PayoutRequest(
                TransferId.of("ln-test-release-" + IDS.incrementAndGet()),
                PayoutKind.RELEASE,
                funding.escrowId(),
                funding.transferId(),
                funding.seller(),
                Money.of(msat, Asset.BTC_MSAT),
                Money.of(feeMsat, Asset.BTC_MSAT),
                destination,
                false);
    }

    private static PayoutRequest refundToSource(FundingRequest funding, long msat) {
        return new PayoutRequest(
                TransferId.of("ln-test-refund-" + IDS.incrementAndGet()),
                PayoutKind.REFUND,
                funding.escrowId(),
                funding.transferId(),
                funding.buyer(),
                Money.of(msat, Asset.BTC_MSAT),
                Money.zero(Asset.BTC_MSAT),
                PayoutDestination.fundingSource(),
                true);
    }

    private static RailResult pay(LightningPaymentRail rail, PayoutRequest request) {
        RailResult answer = rail.payout(request);
        if (answer.status() == RailStatus.PENDING || answer.status() == RailStatus.UNKNOWN) {
            answer = awaitQuery(rail, request.transferId(), s -> s == RailStatus.SUCCEEDED || s == RailStatus.FAILED);
        }
        return answer;
    }

    private static RailResult awaitQuery(LightningPaymentRail rail, TransferId id, RailStatus status) {
        return awaitQuery(rail, id, s -> s == status);
    }

    private static RailResult awaitQuery(LightningPaymentRail rail, TransferId id, Predicate<RailStatus> until) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        RailResult answer = rail.query(id);
        while (!until.test(answer.status()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            answer = rail.query(id);
        }
        return answer;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
