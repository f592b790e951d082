package dev.holdfast.lightning.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.proto.LightningApi;
import org.lightningj.lnd.wrapper.StatusException;
import org.lightningj.lnd.wrapper.message.GetInfoResponse;
import org.lightningj.lnd.wrapper.message.PayReq;
import org.lightningj.lnd.wrapper.message.Payment;
import org.lightningj.lnd.wrapper.message.Payment.PaymentStatus;
import org.lightningj.lnd.wrapper.message.PaymentFailureReason;
import org.lightningj.lnd.wrapper.router.message.SendPaymentRequest;
import org.lightningj.lnd.wrapper.router.message.TrackPaymentRequest;

class PaymentTest extends SimulatorTestBase {
    private static final long AMOUNT = 40_000_000; // 40,000 sat
    private static final long FEE = 1_000 + AMOUNT * 1_000 / 1_000_000; // default base 1000 msat + 1000 ppm

    @Override
    LndSimulator.Builder configure(LndSimulator.Builder builder) {
        return builder.channelBalanceMsat(100_000_000).paymentLatency(Duration.ofMillis(5));
    }

    @Test
    void payingASellerInvoiceGoesInFlightThenSucceedsWithFeeAndPreimage() throws Exception {
        String invoice = sim.createSellerInvoice(AMOUNT);
        PayReq decoded = lnd.decodePayReq(invoice);

        List<Payment> updates = drain(router.sendPaymentV2(pay(invoice, 100)));

        assertThat(updates)
                .extracting(Payment::getStatus)
                .containsExactly(PaymentStatus.IN_FLIGHT, PaymentStatus.SUCCEEDED);
        Payment done = updates.get(1);
        assertThat(done.getValueMsat()).isEqualTo(AMOUNT);
        assertThat(done.getFeeMsat()).isEqualTo(FEE);
        assertThat(done.getPaymentHash()).isEqualTo(decoded.getPaymentHash());
        assertThat(HexFormat.of().formatHex(SimulatedNode.sha256(HexFormat.of().parseHex(done.getPaymentPreimage()))))
                .isEqualTo(decoded.getPaymentHash());
        assertThat(sim.channelBalanceMsat()).isEqualTo(100_000_000 - AMOUNT - FEE);
        assertThat(lnd.channelBalance().getLocalBalance().getMsat()).isEqualTo(100_000_000 - AMOUNT - FEE);
    }

    @Test
    void theSamePaymentHashCannotBePaidTwice() throws Exception {
        String invoice = sim.createSellerInvoice(AMOUNT);
        drain(router.sendPaymentV2(pay(invoice, 100)));

        assertThatThrownBy(() -> drain(router.sendPaymentV2(pay(invoice, 100))))
                .isInstanceOf(StatusException.class)
                .satisfies(e -> {
                    Status status = ((StatusException) e).getStatus();
                    assertThat(status.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
                    assertThat(status.getDescription()).isEqualTo("invoice is already paid");
                });
        assertThat(sim.channelBalanceMsat()).isEqualTo(100_000_000 - AMOUNT - FEE);
    }

    @Test
    void aFeeAboveTheLimitLeavesNoRoute() throws Exception {
        List<Payment> updates = drain(router.sendPaymentV2(pay(sim.createSellerInvoice(AMOUNT), 10)));

        assertThat(last(updates).getStatus()).isEqualTo(PaymentStatus.FAILED);
        assertThat(last(updates).getFailureReason()).isEqualTo(PaymentFailureReason.FAILURE_REASON_NO_ROUTE);
        assertThat(sim.channelBalanceMsat()).isEqualTo(100_000_000);
    }

    @Test
    void aPaymentBeyondTheChannelBalanceFailsWithInsufficientBalance() throws Exception {
        List<Payment> updates = drain(router.sendPaymentV2(pay(sim.createSellerInvoice(99_950_000), 1_000)));

        assertThat(updates)
                .extracting(Payment::getStatus)
                .containsExactly(PaymentStatus.IN_FLIGHT, PaymentStatus.FAILED);
        assertThat(last(updates).getFailureReason())
                .isEqualTo(PaymentFailureReason.FAILURE_REASON_INSUFFICIENT_BALANCE);
    }

    @Test
    void anInjectedFailureFailsThePaymentAndARetryOnTheSameHashSucceeds() throws Exception {
        String invoice = sim.createSellerInvoice(AMOUNT);
        sim.failNext(LightningApi.PaymentFailureReason.FAILURE_REASON_TIMEOUT);

        Payment failed = last(drain(router.sendPaymentV2(pay(invoice, 100))));
        assertThat(failed.getStatus()).isEqualTo(PaymentStatus.FAILED);
        assertThat(failed.getFailureReason()).isEqualTo(PaymentFailureReason.FAILURE_REASON_TIMEOUT);
        assertThat(failed.getFeeMsat()).isZero();
        assertThat(sim.channelBalanceMsat()).isEqualTo(100_000_000);

        assertThat(last(drain(router.sendPaymentV2(pay(invoice, 100)))).getStatus())
                .isEqualTo(PaymentStatus.SUCCEEDED);
    }

    @Test
    void aStalledPaymentStaysInFlightForTrackersUntilReleased() throws Exception {
        String invoice = sim.createSellerInvoice(AMOUNT);
        byte[] hash = HexFormat.of().parseHex(lnd.decodePayReq(invoice).getPaymentHash());
        sim.stallNextPayment();
        Recorder<Payment> send = new Recorder<>();
        asyncRouter.sendPaymentV2(pay(invoice, 100), send);
        assertThat(send.nextValue().getStatus()).isEqualTo(PaymentStatus.IN_FLIGHT);

        // The payer gives up on its stream; the node keeps the HTLC in flight.
        sim.dropStreams();
        assertThat(send.next().error().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThatThrownBy(() -> drain(router.sendPaymentV2(pay(invoice, 100))))
                .isInstanceOf(StatusException.class)
                .hasMessageContaining("payment is in transition");
        Recorder<Payment> track = track(hash);
        assertThat(track.nextValue().getStatus()).isEqualTo(PaymentStatus.IN_FLIGHT);
        assertThat(track.poll(Duration.ofMillis(100))).isNull();
        assertThat(sim.channelBalanceMsat()).isEqualTo(100_000_000 - AMOUNT - FEE);

        sim.releaseStalled();
        Payment done = track.nextValue();
        assertThat(done.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(done.getFeeMsat()).isEqualTo(FEE);
        assertThat(track.next().completed()).isTrue();
    }

    @Test
    void trackingAFinishedPaymentStreamsItsFinalStateAndEnds() throws Exception {
        String invoice = sim.createSellerInvoice(AMOUNT);
        drain(router.sendPaymentV2(pay(invoice, 100)));
        TrackPaymentRequest req = new TrackPaymentRequest();
        req.setPaymentHash(HexFormat.of().parseHex(lnd.decodePayReq(invoice).getPaymentHash()));

        assertThat(drain(router.trackPaymentV2(req)))
                .extracting(Payment::getStatus)
                .containsExactly(PaymentStatus.SUCCEEDED);
    }

    @Test
    void trackingAnUnknownPaymentAnswersNotFound() throws Exception {
        Recorder<Payment> track = track(randomPreimage());

        Status error = track.next().error();
        assertThat(error.getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(error.getDescription()).isEqualTo("payment isn't initiated");
    }

    @Test
    void keysendWithThePreimageRecordPaysTheSeller() throws Exception {
        byte[] preimage = randomPreimage();
        SendPaymentRequest req = new SendPaymentRequest();
        req.setDest(HexFormat.of().parseHex(sim.sellerNodePubkey()));
        req.setAmtMsat(AMOUNT);
        req.setPaymentHash(SimulatedNode.sha256(preimage));
        req.setDestCustomRecords(Map.of(SimulatedNode.KEYSEND_RECORD, preimage));
        req.setFeeLimitSat(100);
        req.setTimeoutSeconds(30);

        Payment done = last(drain(router.sendPaymentV2(req)));

        assertThat(done.getStatus()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(done.getPaymentPreimage()).isEqualTo(HexFormat.of().formatHex(preimage));
    }

    @Test
    void aPaymentWithoutTimeoutIsRefusedLikeLnd() throws Exception {
        SendPaymentRequest req = pay(sim.createSellerInvoice(AMOUNT), 100);
        req.setTimeoutSeconds(0);

        assertLndError(
                () -> drain(router.sendPaymentV2(req)), Status.Code.UNKNOWN, "timeout_seconds must be specified");
    }

    @Test
    void anInvoiceFromOutsideTheSimulatedNetworkHasNoRoute() throws Exception {
        String foreign;
        try (LndSimulator other = LndSimulator.builder().build()) {
            foreign = other.createSellerInvoice(AMOUNT);
        }
        assertThat(last(drain(router.sendPaymentV2(pay(foreign, 100)))).getFailureReason())
                .isEqualTo(PaymentFailureReason.FAILURE_REASON_NO_ROUTE);
    }

    @Test
    void failNextWithAStatusFailsExactlyTheNextCall() throws Exception {
        sim.failNext(Status.UNAVAILABLE.withDescription("connection reset"));

        assertLndError(() -> lnd.getInfo(), Status.Code.UNAVAILABLE, "connection reset");
        GetInfoResponse info = lnd.getInfo();
        assertThat(info.getIdentityPubkey()).isEqualTo(sim.identityPubkey());
        assertThat(info.getSyncedToChain()).isTrue();
    }

    @Test
    void aStalledUnaryCallAnswersOnlyWhenReleased() throws Exception {
        sim.stallNext();
        Recorder<org.lightningj.lnd.wrapper.message.ChannelBalanceResponse> answer = new Recorder<>();
        new org.lightningj.lnd.wrapper.AsynchronousLndAPI(channel).channelBalance(answer);

        assertThat(answer.poll(Duration.ofMillis(200))).isNull();
        sim.releaseStalled();
        assertThat(answer.nextValue().getLocalBalance().getMsat()).isEqualTo(100_000_000);
    }

    private static SendPaymentRequest pay(String paymentRequest, long feeLimitSat) {
        SendPaymentRequest req = new SendPaymentRequest();
        req.setPaymentRequest(paymentRequest);
        req.setFeeLimitSat(feeLimitSat);
        req.setTimeoutSeconds(30);
        return req;
    }

    private Recorder<Payment> track(byte[] hash) throws Exception {
        TrackPaymentRequest req = new TrackPaymentRequest();
        req.setPaymentHash(hash);
        Recorder<Payment> recorder = new Recorder<>();
        asyncRouter.trackPaymentV2(req, recorder);
        return recorder;
    }

    private static List<Payment> drain(Iterator<Payment> updates) {
        List<Payment> out = new ArrayList<>();
        updates.forEachRemaining(out::add);
        return out;
    }

    private static Payment last(List<Payment> updates) {
        return updates.get(updates.size() - 1);
    }
}
