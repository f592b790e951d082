package dev.holdfast.openpayments.internal;

/**
 * A refused or unanswered Open Payments call. {@link #outcomeUnknown()} tells whether the server may have acted (a
 * timeout, a dropped connection, a 5xx on a request that creates something): the caller must then look the resource up
 * rather than resend.
 */
public final class OpenPaymentsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final boolean outcomeUnknown;

    /**
     * @param status the HTTP status, or 0 when none came
     * @param code the server's error code, or a client-side one
     * @param message for people
     * @param outcomeUnknown whether the server may have acted
     */
    public OpenPaymentsException(int status, String code, String message, boolean outcomeUnknown) {
        super(code + " (" + status + "): " + message);
        this.status = status;
        this.code = code;
        this.outcomeUnknown = outcomeUnknown;
    }

    /** @return the HTTP status, or 0 */
    public int status() {
        return status;
    }

    /** @return the rail error code: {@code OP_<SERVER_CODE>} or a client-side code */
    public String code() {
        return code;
    }

    /** @return whether the server may have acted */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
