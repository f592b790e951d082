package dev.holdfast.lightning.simulator;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.lightningj.lnd.proto.LightningApi.Payment;
import org.lightningj.lnd.router.proto.RouterGrpc;
import org.lightningj.lnd.router.proto.RouterOuterClass.SendPaymentRequest;
import org.lightningj.lnd.router.proto.RouterOuterClass.TrackPaymentRequest;

/** LND's {@code routerrpc.Router} service, limited to SendPaymentV2 and TrackPaymentV2. Thread-safe. */
final class RouterService extends RouterGrpc.RouterImplBase {
    private final SimulatedNode node;

    RouterService(SimulatedNode node) {
        this.node = node;
    }

    @Override
    public void sendPaymentV2(SendPaymentRequest request, StreamObserver<Payment> observer) {
        ((ServerCallStreamObserver<Payment>) observer).setOnCancelHandler(() -> {});
        // A stalled SendPaymentV2 is accepted and stays IN_FLIGHT, which is what a stuck HTLC looks like.
        node.sendPayment(request, observer, node.takeCallStall());
    }

    @Override
    public void trackPaymentV2(TrackPaymentRequest request, StreamObserver<Payment> observer) {
        Calls.stream(
                node,
                observer,
                () -> node.trackPayment(
                        request.getPaymentHash().toByteArray(), request.getNoInflightUpdates(), observer));
    }
}
