package dev.holdfast.lightning.internal;

import io.grpc.Status;
import java.util.Locale;

/**
 * A failed LND call, classified: whether its effect is unknown (the node may have acted) or it was a clear refusal.
 * Immutable.
 */
public final class LndException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Status.Code code;
    private final String lndMessage;

    /** @param code the gRPC code @param lndMessage LND's text, never containing a secret of ours */
    public LndException(Status.Code code, String lndMessage) {
        super(code + ": " + lndMessage, null, false, false);
        this.code = code;
        this.lndMessage = lndMessage == null ? "" : lndMessage;
    }

    /** @param status a gRPC status @return the exception */
    public static LndException of(Status status) {
        return new LndException(status.getCode(), status.getDescription());
    }

    /** @param t what a call threw or a stream reported @return it, classified */
    public static LndException from(Throwable t) {
        if (t instanceof LndException e) {
            return e;
        }
        if (t instanceof org.lightningj.lnd.wrapper.StatusException e) {
            return of(e.getStatus());
        }
        if (t instanceof org.lightningj.lnd.wrapper.ValidationException e) {
            return new LndException(Status.Code.INVALID_ARGUMENT, "invalid request: " + e.getMessage());
        }
        return of(Status.fromThrowable(t));
    }

    /** @return the gRPC code */
    public Status.Code code() {
        return code;
    }

    /** @return LND's message */
    public String lndMessage() {
        return lndMessage;
    }

    /**
     * Whether the call may have taken effect although it failed: the connection broke, the deadline passed, or the
     * server gave up mid-way. LND reports its own refusals as UNKNOWN with a text, so UNKNOWN is a refusal here.
     *
     * @return true when the outcome is unknown
     */
    public boolean outcomeUnknown() {
        return switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, ABORTED, INTERNAL, RESOURCE_EXHAUSTED, DATA_LOSS -> true;
            default -> false;
        };
    }

    /** @param fragment lower-case text @return whether LND's message contains it */
    public boolean says(String fragment) {
        return lndMessage.toLowerCase(Locale.ROOT).contains(fragment);
    }
}
