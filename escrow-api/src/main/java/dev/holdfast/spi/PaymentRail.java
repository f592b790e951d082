package dev.holdfast.spi;

import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;

/**
 * A payment rail that can hold a buyer's funds and pay them out: the port every adapter implements.
 *
 * <p>Three mechanisms fit it: a native hold (a Lightning hold invoice), a multi-party signed escrow account (Stellar:
 * payouts are transactions the parties sign, so {@link #payout} answers {@link RailStatus#PENDING} with a {@link
 * dev.holdfast.api.PartyInstruction.SignTransaction} and the signed result comes back through {@link
 * #submitPartyResponse}), and a custodial escrow wallet reached through interactive consent (Open Payments: funding
 * answers with an {@link dev.holdfast.api.PartyInstruction.ApproveAt}).
 *
 * <p><b>Contract</b> (requirement ids from {@code docs/rail-contract.md}): every call is idempotent on its transfer id
 * (RC-1); a call never throws for a rail-side problem but answers {@link RailStatus#FAILED} or {@link
 * RailStatus#UNKNOWN} (RC-2); {@link #query} tells the real outcome of any transfer id it has seen (RC-3); amounts are
 * exact at the asset's scale (RC-4); a rail never pays out more than was funded (RC-5).
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface PaymentRail {

    /** @return the rail's name, as escrows refer to it */
    RailId id();

    /** @return what the rail can do */
    RailCapabilities capabilities();

    /**
     * Opens funding. Usually answers {@link RailStatus#PENDING} with an instruction for the buyer; the rail later
     * notifies {@link RailNotification.Funded}.
     *
     * @param request what to fund
     * @return the outcome
     */
    RailResult openFunding(FundingRequest request);

    /**
     * Withdraws an open funding that should no longer be paid (cancelled or expired escrow). If the buyer's money is
     * already held natively it goes back to the buyer.
     *
     * @param fundingTransferId the funding
     * @return SUCCEEDED when no money is (or will be) held for the funding any more
     */
    RailResult cancelFunding(TransferId fundingTransferId);

    /**
     * Moves money out of a funding, or out of the platform's funds for a withdrawal.
     *
     * @param request what to pay
     * @return the outcome
     */
    RailResult payout(PayoutRequest request);

    /**
     * Tells the current outcome of a transfer: the reconciler's question for PENDING and UNKNOWN operations.
     *
     * @param transferId a funding or payout transfer id
     * @return the outcome; FAILED with code {@code NOT_FOUND} when the rail never saw the id
     */
    RailResult query(TransferId transferId);

    /**
     * Hands the rail what a party produced for an instruction (a signed transaction).
     *
     * @param transferId the transfer the instruction belongs to
     * @param party who produced it
     * @param payload what they produced
     * @return the transfer's outcome after the submission
     */
    RailResult submitPartyResponse(TransferId transferId, Role party, String payload);

    /**
     * Registers the engine's listener. Called once, before any other call.
     *
     * @param listener where notifications go
     */
    void setListener(RailListener listener);

    /**
     * A cheap probe for readiness checks: no money moves, and it should answer within a second (a cached connection
     * state, a lightweight status call). The default says the rail has no probe and counts as up.
     *
     * @return whether the rail can take calls now
     * @since 0.5
     */
    default RailHealth checkHealth() {
        return RailHealth.up("no probe");
    }

    /**
     * Handles a request that came back to the host for this rail, such as the browser redirect after a party's
     * interactive consent (see {@link RailCallback}). The rail verifies the callback itself; one it cannot verify
     * changes nothing. The default answers FAILED with {@link RailError#CALLBACK_UNSUPPORTED}.
     *
     * @param callback what the host received
     * @return the outcome of the transfer the callback belongs to, or FAILED with {@link
     *     RailError#CALLBACK_UNSUPPORTED} when this rail takes no callbacks, or with {@link RailError#INVALID_CALLBACK}
     *     when the callback lacks what the rail needs
     * @since 0.5
     */
    default RailResult onCallback(RailCallback callback) {
        return RailResult.failed(new RailError(RailError.CALLBACK_UNSUPPORTED, "rail " + id() + " takes no callbacks"));
    }
}
