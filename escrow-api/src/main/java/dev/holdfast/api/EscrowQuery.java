package dev.holdfast.api;

import java.util.Objects;
import java.util.Set;

/**
 * A filter and a page position for {@link EscrowEngine#list}.
 *
 * @param party only escrows this party buys or sells in; {@code null} for all escrows (an operator's view)
 * @param statuses only escrows in one of these statuses; empty for any status
 * @param cursor where the previous page ended ({@link EscrowPage#nextCursor()}); {@code null} for the first page
 * @param limit at most this many escrows, 1 to 200
 * @since 0.1
 */
public record EscrowQuery(PartyId party, Set<EscrowStatus> statuses, String cursor, int limit) {
    /** Largest page. */
    public static final int MAX_LIMIT = 200;

    public EscrowQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "limit must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
        if (cursor != null && !cursor.matches("[0-9]{1,18}")) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "cursor is not one this engine returned");
        }
    }

    /**
     * @param party a party, or {@code null} for all escrows
     * @param limit page size
     * @return the first page of a party's escrows in any status
     */
    public static EscrowQuery firstPage(PartyId party, int limit) {
        return new EscrowQuery(party, Set.of(), null, limit);
    }

    /**
     * @param nextCursor the cursor of the page just read
     * @return the same query, one page further
     */
    public EscrowQuery after(String nextCursor) {
        return new EscrowQuery(party, statuses, Objects.requireNonNull(nextCursor, "nextCursor"), limit);
    }
}
