package dev.holdfast.api;

import java.time.Instant;

/**
 * What happens to a party's internal balance outside any escrow: withdrawals.
 *
 * @since 0.1
 */
public sealed interface BalanceEvent extends HoldfastEvent {
    /** @return the party whose balance it is */
    PartyId party();

    @Override
    default String subject() {
        return party().value();
    }

    /**
     * A withdrawal from the internal balance was requested and reserved.
     *
     * @param at when
     * @param party whose balance
     * @param transferId the payout's transfer id
     * @param amount amount withdrawn
     * @param destination rail address
     * @param rail the rail paying out
     */
    record WithdrawalRequested(
            Instant at, PartyId party, TransferId transferId, Money amount, String destination, RailId rail)
            implements BalanceEvent {}

    /**
     * The withdrawal reached the party.
     *
     * @param at when
     * @param party whose balance
     * @param transferId the payout's transfer id
     * @param railReference the rail's own reference
     * @param railFee what the rail charged, borne by the platform
     */
    record WithdrawalSucceeded(Instant at, PartyId party, TransferId transferId, String railReference, Money railFee)
            implements BalanceEvent {}

    /**
     * The withdrawal failed; the amount is available again.
     *
     * @param at when
     * @param party whose balance
     * @param transferId the payout's transfer id
     * @param reason why
     */
    record WithdrawalFailed(Instant at, PartyId party, TransferId transferId, String reason) implements BalanceEvent {}
}
