package dev.holdfast.jakarta.security;

import dev.holdfast.api.PartyId;
import java.util.Objects;

/**
 * Who is calling the REST API, as the host's authentication established it.
 *
 * @param party the party the caller acts as; {@code null} for an operator who is no party
 * @param operator true when the caller holds the operator role and may see and do everything the platform may
 */
public record Caller(PartyId party, boolean operator) {
    public Caller {
        if (party == null && !operator) {
            throw new IllegalArgumentException("a caller is a party, an operator, or both");
        }
    }

    /** @return a caller acting as this party, without operator rights */
    public static Caller party(PartyId party) {
        return new Caller(Objects.requireNonNull(party, "party"), false);
    }

    /** @return an operator who is no party */
    public static Caller platformOperator() {
        return new Caller(null, true);
    }
}
