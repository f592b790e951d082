package dev.holdfast.spi;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.TransferId;

/**
 * Asks a rail to move money out of a held funding (release, refund) or out of the platform's funds (withdrawal).
 * Immutable and thread-safe.
 *
 * <p>The rail draws {@code amount + platformFee} from the funding: {@code amount} goes to the destination, {@code
 * platformFee} to the platform's own account on the rail. A refund of a whole funding that the rail still holds
 * natively (an unsettled hold invoice) may be done by cancelling the hold.
 *
 * @param transferId the engine's id for this payout; the rail is idempotent on it
 * @param kind release, refund or withdrawal
 * @param escrowId the escrow, or {@code null} for a withdrawal
 * @param fundingTransferId the funding drawn from, or {@code null} for a withdrawal
 * @param party who receives the money
 * @param amount what the destination receives
 * @param platformFee what the platform keeps from the funding with this payout
 * @param destination where the amount goes; {@link PayoutDestination.InternalBalance} means the platform's own
 *     account on the rail (the party is credited inside Holdfast)
 * @param lastFromFunding true when nothing will remain in the funding after this payout, so the rail may close it
 * @since 0.1
 */
public record PayoutRequest(
        TransferId transferId,
        PayoutKind kind,
        EscrowId escrowId,
        TransferId fundingTransferId,
        PartyId party,
        Money amount,
        Money platformFee,
        PayoutDestination destination,
        boolean lastFromFunding) {

    /** @return amount plus platform fee */
    public Money drawn() {
        return amount.plus(platformFee);
    }
}
