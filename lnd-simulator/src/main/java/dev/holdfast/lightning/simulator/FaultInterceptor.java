package dev.holdfast.lightning.simulator;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Applies the call faults queued by {@link LndSimulator#failNext(Status)}, {@link LndSimulator#failNextCall} and
 * {@link LndSimulator#loseNextAnswer}. Thread-safe.
 */
final class FaultInterceptor implements ServerInterceptor {
    private final SimulatedNode node;

    FaultInterceptor(SimulatedNode node) {
        this.node = node;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        SimulatedNode.CallFault fault =
                node.pollCallFailure(call.getMethodDescriptor().getFullMethodName());
        if (fault == null) {
            return next.startCall(call, headers);
        }
        if (fault.loseAnswer()) {
            // The call runs and takes effect; the client sees the connection fail before any answer arrives.
            return next.startCall(new LostAnswerCall<>(call, fault.status()), headers);
        }
        call.close(fault.status(), new Metadata());
        return new ServerCall.Listener<>() {};
    }

    /** Forwards nothing of the answer: the first message or close becomes {@code lost}, later ones are dropped. */
    private static final class LostAnswerCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final Status lost;
        private boolean closed;

        LostAnswerCall(ServerCall<Q, R> delegate, Status lost) {
            super(delegate);
            this.lost = lost;
        }

        @Override
        public void sendHeaders(Metadata headers) {}

        @Override
        public synchronized void sendMessage(R message) {
            closeLost();
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            closeLost();
        }

        private void closeLost() {
            if (!closed) {
                closed = true;
                super.close(lost, new Metadata());
            }
        }
    }
}
