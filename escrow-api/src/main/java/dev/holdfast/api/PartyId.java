package dev.holdfast.api;

/**
 * Identifies a party of the marketplace (buyer, seller, arbiter) as the host app knows it.
 *
 * <p>1 to 200 characters from {@code A-Z a-z 0-9 . _ : @ $ / + -}. Immutable and thread-safe.
 *
 * @param value the id as text
 * @since 0.1
 */
public record PartyId(String value) {
    /**
     * @throws EscrowException {@link ErrorCode#INVALID_ID} when the text is not a valid id
     */
    public PartyId {
        Ids.check("party", value);
    }

    /**
     * @param value the id as text
     * @return the id
     */
    public static PartyId of(String value) {
        return new PartyId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
