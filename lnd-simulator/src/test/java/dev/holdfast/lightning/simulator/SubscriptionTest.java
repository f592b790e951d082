package dev.holdfast.lightning.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceResp;
import org.lightningj.lnd.wrapper.invoices.message.SettleInvoiceMsg;
import org.lightningj.lnd.wrapper.invoices.message.SubscribeSingleInvoiceRequest;
import org.lightningj.lnd.wrapper.message.Invoice;
import org.lightningj.lnd.wrapper.message.Invoice.InvoiceState;

class SubscriptionTest extends SimulatorTestBase {

    @Test
    void subscribeSingleInvoiceSendsTheCurrentStateFirstThenEveryChangeThenEnds() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 1_000_000, 3_600, 80);
        sim.payInvoiceAsBuyer(resp.getPaymentRequest());

        Recorder<Invoice> stream = subscribe(preimage);
        assertThat(stream.nextValue().getState()).isEqualTo(InvoiceState.ACCEPTED);

        settle(preimage);
        assertThat(stream.nextValue().getState()).isEqualTo(InvoiceState.SETTLED);
        assertThat(stream.next().completed()).isTrue();
    }

    @Test
    void aSubscriberSeesOpenThenAcceptedThenCanceled() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 1_000_000, 3_600, 40);
        Recorder<Invoice> stream = subscribe(preimage);
        assertThat(stream.nextValue().getState()).isEqualTo(InvoiceState.OPEN);

        sim.payInvoiceAsBuyer(resp.getPaymentRequest());
        assertThat(stream.nextValue().getState()).isEqualTo(InvoiceState.ACCEPTED);
        sim.mineBlocks(28);
        assertThat(stream.nextValue().getState()).isEqualTo(InvoiceState.CANCELED);
        assertThat(stream.next().completed()).isTrue();
    }

    @Test
    void droppedStreamsEndWithUnavailableAndAResubscriptionCatchesUp() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 1_000_000, 3_600, 80);
        Recorder<Invoice> stream = subscribe(preimage);
        assertThat(stream.nextValue().getState()).isEqualTo(InvoiceState.OPEN);

        sim.dropStreams();
        assertThat(stream.next().error().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

        sim.payInvoiceAsBuyer(resp.getPaymentRequest());
        Recorder<Invoice> again = subscribe(preimage);
        assertThat(again.nextValue().getState()).isEqualTo(InvoiceState.ACCEPTED);
    }

    @Test
    void restartEndsStreamsButKeepsInvoicesAndMacaroon() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 1_000_000, 3_600, 80);
        sim.payInvoiceAsBuyer(resp.getPaymentRequest());
        Recorder<Invoice> stream = subscribe(preimage);
        assertThat(stream.nextValue().getState()).isEqualTo(InvoiceState.ACCEPTED);
        String macaroon = sim.adminMacaroonHex();

        sim.restart();

        assertThat(stream.next().error().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        channel.shutdownNow();
        connect();
        assertThat(sim.adminMacaroonHex()).isEqualTo(macaroon);
        assertThat(lnd.lookupInvoice(null, SimulatedNode.sha256(preimage)).getState())
                .isEqualTo(InvoiceState.ACCEPTED);
        settle(preimage);
        assertThat(lnd.lookupInvoice(null, SimulatedNode.sha256(preimage)).getState())
                .isEqualTo(InvoiceState.SETTLED);
    }

    @Test
    void aStalledSubscriptionAnswersOnlyWhenReleased() throws Exception {
        byte[] preimage = randomPreimage();
        addHold(preimage, 1_000_000, 3_600, 80);

        sim.stallNext();
        Recorder<Invoice> stream = subscribe(preimage);
        assertThat(stream.poll(Duration.ofMillis(200))).isNull();

        sim.releaseStalled();
        assertThat(stream.nextValue().getState()).isEqualTo(InvoiceState.OPEN);
    }

    private Recorder<Invoice> subscribe(byte[] preimage) throws Exception {
        Recorder<Invoice> recorder = new Recorder<>();
        SubscribeSingleInvoiceRequest req = new SubscribeSingleInvoiceRequest();
        req.setRHash(SimulatedNode.sha256(preimage));
        asyncInvoices.subscribeSingleInvoice(req, recorder);
        return recorder;
    }

    private void settle(byte[] preimage) throws Exception {
        SettleInvoiceMsg settle = new SettleInvoiceMsg();
        settle.setPreimage(preimage);
        invoices.settleInvoice(settle);
    }
}
