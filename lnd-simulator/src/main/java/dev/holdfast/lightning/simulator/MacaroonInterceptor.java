package dev.holdfast.lightning.simulator;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks the {@code macaroon} metadata of every call like LND's {@code rpcperms} interceptor, with LND's messages.
 * Understands the {@code time-before} first-party caveat; any other caveat is unsatisfied. Thread-safe.
 *
 * <p>Real LND reports these failures as plain errors (gRPC code UNKNOWN); the simulator uses UNAUTHENTICATED with
 * the same text so that tests can tell them apart, which is why adapters should match on the text as well.
 */
final class MacaroonInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> MACAROON = Metadata.Key.of("macaroon", Metadata.ASCII_STRING_MARSHALLER);

    private final byte[] rootKey;
    private final Clock clock;

    MacaroonInterceptor(byte[] rootKey, Clock clock) {
        this.rootKey = rootKey.clone();
        this.clock = clock;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String problem = check(headers);
        if (problem != null) {
            call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    private String check(Metadata headers) {
        List<String> values = new ArrayList<>();
        Iterable<String> all = headers.getAll(MACAROON);
        if (all != null) {
            all.forEach(values::add);
        }
        if (values.size() != 1) {
            return "expected 1 macaroon, got " + values.size();
        }
        Macaroon macaroon;
        try {
            macaroon = Macaroon.fromBinary(HexFormat.of().parseHex(values.get(0)));
        } catch (IllegalArgumentException e) {
            return "cannot get macaroon: " + e.getMessage();
        }
        if (!macaroon.signatureValid(rootKey)) {
            return "verification failed: signature mismatch after caveat verification";
        }
        for (String caveat : macaroon.caveats()) {
            String unsatisfied = unsatisfied(caveat);
            if (unsatisfied != null) {
                return "verification failed: caveat \"" + caveat + "\" not satisfied: " + unsatisfied;
            }
        }
        return null;
    }

    private String unsatisfied(String caveat) {
        if (caveat.startsWith("time-before ")) {
            try {
                Instant limit = Instant.parse(caveat.substring("time-before ".length()));
                return clock.instant().isBefore(limit) ? null : "macaroon has expired";
            } catch (DateTimeParseException e) {
                return "cannot parse \"time-before\" caveat";
            }
        }
        return "caveat not recognized";
    }
}
