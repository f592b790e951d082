package dev.holdfast.api;

/**
 * A read-only snapshot of one party's bond. Immutable and thread-safe.
 *
 * @param party buyer or seller
 * @param partyId who posts it
 * @param amount the bond
 * @param status where it stands
 * @param fundingTransfer the bond's own funding on the escrow's rail ({@code <escrow>:bond:<party>})
 * @param terms the terms it was required with
 * @param reason why it was returned or forfeited, empty before
 * @since 0.3
 */
public record BondView(
        Role party,
        PartyId partyId,
        Money amount,
        BondStatus status,
        TransferId fundingTransfer,
        BondTerms terms,
        String reason) {}
