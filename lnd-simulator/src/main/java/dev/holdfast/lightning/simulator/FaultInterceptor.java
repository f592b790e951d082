package dev.holdfast.lightning.simulator;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Fails the next call with a status queued by {@link LndSimulator#failNext(Status)}. Thread-safe. */
final class FaultInterceptor implements ServerInterceptor {
    private final SimulatedNode node;

    FaultInterceptor(SimulatedNode node) {
        this.node = node;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Status failure = node.pollCallFailure();
        if (failure != null) {
            call.close(failure, new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
