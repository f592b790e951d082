package dev.holdfast.api;

/**
 * Identifies a milestone within its escrow (unique per escrow, not globally).
 *
 * <p>1 to 200 characters from {@code A-Z a-z 0-9 . _ : @ $ / + -}. Immutable and thread-safe.
 *
 * @param value the id as text
 * @since 0.1
 */
public record MilestoneId(String value) {
    /**
     * @throws EscrowException {@link ErrorCode#INVALID_ID} when the text is not a valid id
     */
    public MilestoneId {
        Ids.check("milestone", value);
    }

    /**
     * @param value the id as text
     * @return the id
     */
    public static MilestoneId of(String value) {
        return new MilestoneId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
