package dev.holdfast.api;

import java.util.List;

/**
 * The one exception the engine throws for a refused command: a broken business rule or misuse of the API.
 *
 * <p>When a command ends in this exception nothing was changed: no event, no ledger entry, no rail call. The
 * {@link #code()} is stable and machine-readable; the message is for people.
 *
 * @since 0.1
 */
public class EscrowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<Object> arguments;

    /**
     * @param code the stable code
     * @param args the arguments of the code's message template
     */
    public EscrowException(ErrorCode code, Object... args) {
        super(code.code() + ": " + code.format(args));
        this.code = code;
        this.arguments = List.of(stringify(args));
    }

    /**
     * @param code the stable code
     * @param cause the underlying cause
     * @param args the arguments of the code's message template
     */
    public EscrowException(ErrorCode code, Throwable cause, Object... args) {
        super(code.code() + ": " + code.format(args), cause);
        this.code = code;
        this.arguments = List.of(stringify(args));
    }

    /** @return the stable error code */
    public ErrorCode code() {
        return code;
    }

    /** @return the message without the code prefix, suitable for a problem document's {@code detail} */
    public String detail() {
        return code.format(arguments.toArray());
    }

    private static Object[] stringify(Object[] args) {
        Object[] out = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = String.valueOf(args[i]);
        }
        return out;
    }
}
