package dev.holdfast.lightning.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.invoices.proto.InvoicesGrpc;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.LookupInvoiceMsg;
import org.lightningj.lnd.proto.LightningApi;
import org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceResp;
import org.lightningj.lnd.wrapper.invoices.message.CancelInvoiceMsg;
import org.lightningj.lnd.wrapper.invoices.message.SettleInvoiceMsg;
import org.lightningj.lnd.wrapper.message.AddInvoiceResponse;
import org.lightningj.lnd.wrapper.message.Invoice;
import org.lightningj.lnd.wrapper.message.Invoice.InvoiceState;
import org.lightningj.lnd.wrapper.message.PayReq;

class HoldInvoiceTest extends SimulatorTestBase {

    @Test
    void addsHoldInvoiceWhosePaymentRequestDecodesToTheRequestedTerms() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 250_000_000L, 7_200, 144);

        assertThat(resp.getPaymentRequest()).startsWith("lnbcrt2500u1");
        PayReq decoded = lnd.decodePayReq(resp.getPaymentRequest());
        assertThat(decoded.getPaymentHash()).isEqualTo(HexFormat.of().formatHex(SimulatedNode.sha256(preimage)));
        assertThat(decoded.getNumMsat()).isEqualTo(250_000_000L);
        assertThat(decoded.getExpiry()).isEqualTo(7_200);
        assertThat(decoded.getCltvExpiry()).isEqualTo(144);
        assertThat(decoded.getDescription()).isEqualTo("escrow 42");
        assertThat(decoded.getDestination()).isEqualTo(sim.identityPubkey());
        assertThat(decoded.getTimestamp()).isEqualTo(EPOCH.getEpochSecond());
        assertThat(decoded.getPaymentAddr()).isEqualTo(resp.getPaymentAddr());
    }

    @Test
    void newHoldInvoiceIsOpenWithoutPreimage() throws Exception {
        byte[] preimage = randomPreimage();
        addHold(preimage, 1_000_000, 3_600, 80);

        Invoice invoice = lnd.lookupInvoice(null, SimulatedNode.sha256(preimage));

        assertThat(invoice.getState()).isEqualTo(InvoiceState.OPEN);
        assertThat(invoice.getValueMsat()).isEqualTo(1_000_000);
        assertThat(invoice.getRPreimage()).isNullOrEmpty();
        assertThat(invoice.getCltvExpiry()).isEqualTo(80);
    }

    @Test
    void buyerPaymentAcceptsHoldInvoiceAndSettleWithPreimageSettlesIt() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 5_000_000, 3_600, 144);
        long balanceBefore = sim.channelBalanceMsat();

        assertThat(sim.payInvoiceAsBuyer(resp.getPaymentRequest()))
                .isEqualTo(LightningApi.Invoice.InvoiceState.ACCEPTED);
        Invoice accepted = lnd.lookupInvoice(null, SimulatedNode.sha256(preimage));
        assertThat(accepted.getState()).isEqualTo(InvoiceState.ACCEPTED);
        assertThat(accepted.getAmtPaidMsat()).isEqualTo(5_000_000);
        assertThat(accepted.getHtlcs()).singleElement().satisfies(htlc -> {
            assertThat(htlc.getAcceptHeight()).isEqualTo(sim.blockHeight());
            assertThat(htlc.getExpiryHeight()).isEqualTo(sim.blockHeight() + 144);
        });

        SettleInvoiceMsg settle = new SettleInvoiceMsg();
        settle.setPreimage(preimage);
        invoices.settleInvoice(settle);

        Invoice settled = lnd.lookupInvoice(null, SimulatedNode.sha256(preimage));
        assertThat(settled.getState()).isEqualTo(InvoiceState.SETTLED);
        assertThat(settled.getSettled()).isTrue();
        assertThat(settled.getRPreimage()).isEqualTo(preimage);
        assertThat(settled.getSettleIndex()).isEqualTo(1);
        assertThat(sim.channelBalanceMsat()).isEqualTo(balanceBefore + 5_000_000);
    }

    @Test
    void settlingAnOpenInvoiceFailsWithInvoiceStillOpen() throws Exception {
        byte[] preimage = randomPreimage();
        addHold(preimage, 1_000_000, 3_600, 80);
        SettleInvoiceMsg settle = new SettleInvoiceMsg();
        settle.setPreimage(preimage);

        assertLndError(() -> invoices.settleInvoice(settle), Status.Code.UNKNOWN, "invoice still open");
    }

    @Test
    void aPreimageThatHashesToNoInvoiceIsRefused() throws Exception {
        addHold(randomPreimage(), 1_000_000, 3_600, 80);
        SettleInvoiceMsg settle = new SettleInvoiceMsg();
        settle.setPreimage(randomPreimage());

        assertLndError(() -> invoices.settleInvoice(settle), Status.Code.UNKNOWN, "unable to locate invoice");
    }

    @Test
    void aSecondInvoiceOnTheSameHashIsRefused() throws Exception {
        byte[] preimage = randomPreimage();
        addHold(preimage, 1_000_000, 3_600, 80);

        assertLndError(
                () -> addHold(preimage, 2_000_000, 3_600, 80),
                Status.Code.UNKNOWN,
                "invoice with payment hash already exists");
    }

    @Test
    void cancellingAnAcceptedInvoiceCancelsItAndLaterSettleFails() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 1_000_000, 3_600, 80);
        sim.payInvoiceAsBuyer(resp.getPaymentRequest());
        CancelInvoiceMsg cancel = new CancelInvoiceMsg();
        cancel.setPaymentHash(SimulatedNode.sha256(preimage));

        invoices.cancelInvoice(cancel);
        invoices.cancelInvoice(cancel); // LND treats a repeated cancel as success

        assertThat(lnd.lookupInvoice(null, SimulatedNode.sha256(preimage)).getState())
                .isEqualTo(InvoiceState.CANCELED);
        SettleInvoiceMsg settle = new SettleInvoiceMsg();
        settle.setPreimage(preimage);
        assertLndError(() -> invoices.settleInvoice(settle), Status.Code.UNKNOWN, "invoice already canceled");
    }

    @Test
    void cancellingAnOpenInvoiceCancelsIt() throws Exception {
        byte[] preimage = randomPreimage();
        addHold(preimage, 1_000_000, 3_600, 80);
        CancelInvoiceMsg cancel = new CancelInvoiceMsg();
        cancel.setPaymentHash(SimulatedNode.sha256(preimage));

        invoices.cancelInvoice(cancel);

        assertThat(lnd.lookupInvoice(null, SimulatedNode.sha256(preimage)).getState())
                .isEqualTo(InvoiceState.CANCELED);
    }

    @Test
    void cancellingASettledInvoiceFailsWithInvoiceAlreadySettled() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 1_000_000, 3_600, 80);
        sim.payInvoiceAsBuyer(resp.getPaymentRequest());
        SettleInvoiceMsg settle = new SettleInvoiceMsg();
        settle.setPreimage(preimage);
        invoices.settleInvoice(settle);
        CancelInvoiceMsg cancel = new CancelInvoiceMsg();
        cancel.setPaymentHash(SimulatedNode.sha256(preimage));

        assertLndError(() -> invoices.cancelInvoice(cancel), Status.Code.UNKNOWN, "invoice already settled");
        assertLndError(() -> invoices.settleInvoice(settle), Status.Code.UNKNOWN, "invoice already settled");
    }

    @Test
    void buyerCannotPayAnInvoiceTwice() throws Exception {
        AddHoldInvoiceResp resp = addHold(randomPreimage(), 1_000_000, 3_600, 80);
        sim.payInvoiceAsBuyer(resp.getPaymentRequest());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sim.payInvoiceAsBuyer(resp.getPaymentRequest()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ACCEPTED");
    }

    @Test
    void aBuyerPaysAnAnyAmountHoldInvoiceWithTheAmountGiven() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 0, 3_600, 80);

        sim.payInvoiceAsBuyer(resp.getPaymentRequest(), 777_000);

        assertThat(lnd.lookupInvoice(null, SimulatedNode.sha256(preimage)).getAmtPaidMsat())
                .isEqualTo(777_000);
    }

    @Test
    void valueAndValueMsatTogetherAreRefused() throws Exception {
        org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceRequest req =
                new org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceRequest();
        req.setHash(SimulatedNode.sha256(randomPreimage()));
        req.setValue(1);
        req.setValueMsat(1_000);

        assertLndError(
                () -> invoices.addHoldInvoice(req),
                Status.Code.UNKNOWN,
                "sat and msat arguments are mutually exclusive");
    }

    @Test
    void ordinaryInvoiceIsSettledAtOnceWhenTheBuyerPays() throws Exception {
        Invoice request = new Invoice();
        request.setValueMsat(21_000);
        request.setMemo("coffee");
        AddInvoiceResponse added = lnd.addInvoice(request);

        assertThat(sim.payInvoiceAsBuyer(added.getPaymentRequest()))
                .isEqualTo(LightningApi.Invoice.InvoiceState.SETTLED);
        Invoice settled = lnd.lookupInvoice(HexFormat.of().formatHex(added.getRHash()), null);
        assertThat(settled.getState()).isEqualTo(InvoiceState.SETTLED);
        assertThat(SimulatedNode.sha256(settled.getRPreimage())).isEqualTo(added.getRHash());
    }

    @Test
    void lookupInvoiceV2FindsByHashAndAnswersNotFoundForUnknownHashes() throws Exception {
        byte[] preimage = randomPreimage();
        addHold(preimage, 1_000_000, 3_600, 80);
        InvoicesGrpc.InvoicesBlockingStub stub = InvoicesGrpc.newBlockingStub(channel);

        LightningApi.Invoice found = stub.lookupInvoiceV2(LookupInvoiceMsg.newBuilder()
                .setPaymentHash(com.google.protobuf.ByteString.copyFrom(SimulatedNode.sha256(preimage)))
                .build());
        assertThat(found.getState()).isEqualTo(LightningApi.Invoice.InvoiceState.OPEN);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stub.lookupInvoiceV2(LookupInvoiceMsg.newBuilder()
                        .setPaymentHash(com.google.protobuf.ByteString.copyFrom(randomPreimage()))
                        .build()))
                .isInstanceOf(StatusRuntimeException.class)
                .hasMessage("NOT_FOUND: unable to locate invoice");
    }
}
