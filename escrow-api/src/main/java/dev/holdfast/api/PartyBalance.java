package dev.holdfast.api;

/**
 * A party's money in one asset across all escrows. Immutable and thread-safe.
 *
 * @param party the party
 * @param asset the asset
 * @param reservedAsBuyer held in escrows where the party is the buyer
 * @param pendingAsSeller held in escrows where the party is the seller, not yet released (before the seller's fee)
 * @param available on the party's internal balance, withdrawable
 * @param paidOut paid to the party's own rail addresses so far (releases, refunds and withdrawals)
 * @since 0.1
 */
public record PartyBalance(
        PartyId party, Asset asset, Money reservedAsBuyer, Money pendingAsSeller, Money available, Money paidOut) {}
