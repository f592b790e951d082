package dev.holdfast.lightning.simulator;

import org.lightningj.lnd.invoices.proto.InvoicesGrpc;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.AddHoldInvoiceRequest;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.AddHoldInvoiceResp;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.CancelInvoiceMsg;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.CancelInvoiceResp;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.LookupInvoiceMsg;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.SettleInvoiceMsg;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.SettleInvoiceResp;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.SubscribeSingleInvoiceRequest;
import org.lightningj.lnd.proto.LightningApi.Invoice;

/** LND's {@code invoicesrpc.Invoices} service (hold invoices) over the simulated node. Thread-safe. */
final class InvoicesService extends InvoicesGrpc.InvoicesImplBase {
    private final SimulatedNode node;

    InvoicesService(SimulatedNode node) {
        this.node = node;
    }

    @Override
    public void addHoldInvoice(
            AddHoldInvoiceRequest request, io.grpc.stub.StreamObserver<AddHoldInvoiceResp> observer) {
        Calls.unary(node, observer, () -> node.addHoldInvoice(request));
    }

    @Override
    public void settleInvoice(SettleInvoiceMsg request, io.grpc.stub.StreamObserver<SettleInvoiceResp> observer) {
        Calls.unary(node, observer, () -> {
            node.settleInvoice(request.getPreimage().toByteArray());
            return SettleInvoiceResp.getDefaultInstance();
        });
    }

    @Override
    public void cancelInvoice(CancelInvoiceMsg request, io.grpc.stub.StreamObserver<CancelInvoiceResp> observer) {
        Calls.unary(node, observer, () -> {
            node.cancelInvoice(request.getPaymentHash().toByteArray());
            return CancelInvoiceResp.getDefaultInstance();
        });
    }

    @Override
    public void lookupInvoiceV2(LookupInvoiceMsg request, io.grpc.stub.StreamObserver<Invoice> observer) {
        Calls.unary(node, observer, () -> {
            if (!request.getPaymentHash().isEmpty()) {
                return node.lookupInvoice(request.getPaymentHash().toByteArray());
            }
            if (!request.getPaymentAddr().isEmpty()) {
                return node.lookupInvoiceByAddr(request.getPaymentAddr().toByteArray());
            }
            throw SimulatedNode.lndError("invalid invoice reference");
        });
    }

    @Override
    public void subscribeSingleInvoice(
            SubscribeSingleInvoiceRequest request, io.grpc.stub.StreamObserver<Invoice> observer) {
        Calls.stream(
                node,
                observer,
                () -> node.subscribeSingleInvoice(request.getRHash().toByteArray(), observer));
    }
}
