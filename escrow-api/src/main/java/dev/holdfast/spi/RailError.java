package dev.holdfast.spi;

import java.util.Objects;

/**
 * Why a rail call failed or could not be answered. Immutable and thread-safe.
 *
 * @param code the rail's own short code, e.g. {@code INVOICE_EXPIRED} or {@code tx_bad_seq}
 * @param message for people
 * @since 0.1
 */
public record RailError(String code, String message) {
    /** The code a rail answers to {@link PaymentRail#query} for a transfer id it never saw. */
    public static final String NOT_FOUND = "NOT_FOUND";

    /**
     * The code a rail answers to {@link PaymentRail#cancelFunding} once it has settled the funding (paid part of it
     * out): the rest can then only leave by payouts. The engine stops retrying the cancel on this code.
     */
    public static final String ALREADY_SETTLED = "ALREADY_SETTLED";

    /** The code for an answer that did not come in time. */
    public static final String TIMEOUT = "TIMEOUT";

    /**
     * The code {@link PaymentRail#onCallback} answers when the rail takes no callbacks.
     *
     * @since 0.5
     */
    public static final String CALLBACK_UNSUPPORTED = "CALLBACK_UNSUPPORTED";

    /**
     * The code {@link PaymentRail#onCallback} answers when a callback lacks what the rail needs (a parameter, a
     * transfer id it knows).
     *
     * @since 0.5
     */
    public static final String INVALID_CALLBACK = "INVALID_CALLBACK";

    public RailError {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
    }

    /** @return true for {@link #NOT_FOUND} */
    public boolean isNotFound() {
        return NOT_FOUND.equals(code);
    }

    @Override
    public String toString() {
        return code + (message.isEmpty() ? "" : ": " + message);
    }
}
