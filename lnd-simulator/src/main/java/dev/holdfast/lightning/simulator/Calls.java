package dev.holdfast.lightning.simulator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Shared plumbing of the three services: stalls, LND-style error mapping, cancel handlers. Stateless. */
final class Calls {
    private Calls() {}

    static <T> void unary(SimulatedNode node, StreamObserver<T> observer, Supplier<T> body) {
        // Registered now because a stalled call runs after this method returns, when grpc-java forbids it.
        ((ServerCallStreamObserver<T>) observer).setOnCancelHandler(() -> {});
        node.runOrStall(() -> {
            T response;
            try {
                response = body.get();
            } catch (StatusRuntimeException e) {
                observer.onError(e);
                return;
            } catch (RuntimeException e) {
                observer.onError(Status.UNKNOWN
                        .withDescription(String.valueOf(e.getMessage()))
                        .asRuntimeException());
                return;
            }
            observer.onNext(response);
            observer.onCompleted();
        });
    }

    static <T> void stream(SimulatedNode node, StreamObserver<T> observer, Runnable body) {
        ((ServerCallStreamObserver<T>) observer).setOnCancelHandler(() -> {});
        node.runOrStall(() -> {
            try {
                body.run();
            } catch (StatusRuntimeException e) {
                observer.onError(e);
            }
        });
    }
}
