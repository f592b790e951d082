package dev.holdfast.api;

/**
 * Names a payment rail, e.g. {@code sandbox}, {@code lightning}, {@code stellar}, {@code openpayments}.
 *
 * <p>1 to 200 characters from {@code A-Z a-z 0-9 . _ : @ $ / + -}. Immutable and thread-safe.
 *
 * @param value the id as text
 * @since 0.1
 */
public record RailId(String value) {
    /**
     * @throws EscrowException {@link ErrorCode#INVALID_ID} when the text is not a valid id
     */
    public RailId {
        Ids.check("rail", value);
    }

    /**
     * @param value the id as text
     * @return the id
     */
    public static RailId of(String value) {
        return new RailId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
