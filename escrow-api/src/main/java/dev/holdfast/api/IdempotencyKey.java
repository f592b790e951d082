package dev.holdfast.api;

/**
 * The key a host sends with every command so that a retry returns the first result instead of acting twice.
 *
 * <p>1 to 200 characters from {@code A-Z a-z 0-9 . _ : @ $ / + -}. Immutable and thread-safe.
 *
 * @param value the id as text
 * @since 0.1
 */
public record IdempotencyKey(String value) {
    /**
     * @throws EscrowException {@link ErrorCode#INVALID_ID} when the text is not a valid id
     */
    public IdempotencyKey {
        Ids.check("idempotency key", value);
    }

    /**
     * @param value the id as text
     * @return the id
     */
    public static IdempotencyKey of(String value) {
        return new IdempotencyKey(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
