package dev.holdfast.api;

import java.util.Objects;

/**
 * Where a payout goes: straight to an address on the escrow's rail, to the party's internal balance held by the
 * platform (from which the party later withdraws), or, for refunds, back to where the funds came from.
 *
 * @since 0.1
 */
public sealed interface PayoutDestination {
    /**
     * An address the rail understands: a BOLT11 invoice or Lightning address, a Stellar account, an Open Payments
     * wallet address. The rail validates it.
     *
     * @param address the address as text
     */
    record RailAddress(String address) implements PayoutDestination {
        /**
         * @throws EscrowException {@link ErrorCode#INVALID_DESTINATION} when blank or longer than 2 000 characters
         */
        public RailAddress {
            if (address == null || address.isBlank() || address.length() > 2000) {
                throw new EscrowException(ErrorCode.INVALID_DESTINATION, String.valueOf(address));
            }
        }
    }

    /** The party's internal balance with the platform. */
    record InternalBalance() implements PayoutDestination {}

    /**
     * Back to the account the escrow was funded from (a refund): cancelling a native hold, or paying the funding
     * account on rails that know it.
     */
    record FundingSource() implements PayoutDestination {}

    /**
     * @param address the address
     * @return a rail address destination
     */
    static PayoutDestination railAddress(String address) {
        return new RailAddress(Objects.requireNonNull(address, "address"));
    }

    /** @return the funding source destination */
    static PayoutDestination fundingSource() {
        return new FundingSource();
    }

    /** @return the internal balance destination */
    static PayoutDestination internalBalance() {
        return new InternalBalance();
    }
}
