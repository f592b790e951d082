package dev.holdfast.spi;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.TransferId;
import java.time.Instant;

/**
 * One call to a rail and its sub-state, recorded before the rail is called. Immutable and thread-safe; changes are
 * made with the {@code with…} methods and saved.
 *
 * @param transferId the engine-generated id the rail is idempotent on
 * @param rail the rail
 * @param kind what it does
 * @param status INIT → PENDING → SUCCEEDED / FAILED, or UNKNOWN until queried
 * @param escrowId the escrow, or {@code null} for a withdrawal
 * @param milestone the milestone, or {@code null}
 * @param party who receives (payouts) or pays (funding)
 * @param amount what the destination receives, or what is funded
 * @param platformFee what the platform keeps with a payout
 * @param fundingTransferId the funding a payout draws from, or {@code null}
 * @param destination where a payout goes, or {@code null}
 * @param railReference the rail's reference once known
 * @param attempts how many times the rail was called or queried
 * @param nextCheckAt when the reconciler looks at it next
 * @param leaseOwner the node working on it, or {@code null}
 * @param leaseUntil the claim lapses then, or {@code null}
 * @param lastError the last error the rail gave, or {@code null}
 * @param createdAt when recorded
 * @since 0.1
 */
public record RailOperation(
        TransferId transferId,
        RailId rail,
        RailOperationKind kind,
        RailOperationStatus status,
        EscrowId escrowId,
        MilestoneId milestone,
        PartyId party,
        Money amount,
        Money platformFee,
        TransferId fundingTransferId,
        PayoutDestination destination,
        String railReference,
        int attempts,
        Instant nextCheckAt,
        String leaseOwner,
        Instant leaseUntil,
        String lastError,
        Instant createdAt) {

    /**
     * A new operation in status {@link RailOperationStatus#INIT}, recorded before the rail is called.
     *
     * @param transferId the engine-generated id
     * @param rail the rail
     * @param kind what it does
     * @param escrowId the escrow, or {@code null} for a withdrawal
     * @param milestone the milestone, or {@code null}
     * @param party who receives or pays
     * @param amount what is funded or received
     * @param platformFee what the platform keeps with a payout
     * @param fundingTransferId the funding a payout or cancel acts on, or {@code null}
     * @param destination where a payout goes, or {@code null}
     * @param now when recorded
     * @param firstCheck when the reconciler may look at it if the immediate call never reports back
     * @return the operation
     */
    public static RailOperation init(
            TransferId transferId,
            RailId rail,
            RailOperationKind kind,
            EscrowId escrowId,
            MilestoneId milestone,
            PartyId party,
            Money amount,
            Money platformFee,
            TransferId fundingTransferId,
            PayoutDestination destination,
            Instant now,
            Instant firstCheck) {
        return new RailOperation(
                transferId,
                rail,
                kind,
                RailOperationStatus.INIT,
                escrowId,
                milestone,
                party,
                amount,
                platformFee,
                fundingTransferId,
                destination,
                null,
                0,
                firstCheck,
                null,
                null,
                null,
                now);
    }

    /**
     * @param newStatus the status
     * @param reference the rail reference, or {@code null} to keep the current one
     * @param error the error text, or {@code null}
     * @param nextCheck when to look again
     * @return a copy with those changes, attempts + 1 and the lease released
     */
    public RailOperation withOutcome(RailOperationStatus newStatus, String reference, String error, Instant nextCheck) {
        return new RailOperation(
                transferId,
                rail,
                kind,
                newStatus,
                escrowId,
                milestone,
                party,
                amount,
                platformFee,
                fundingTransferId,
                destination,
                reference != null ? reference : railReference,
                attempts + 1,
                nextCheck,
                null,
                null,
                error,
                createdAt);
    }

    /**
     * @param owner the claiming node
     * @param until the claim lapses then
     * @return a copy claimed by owner
     */
    public RailOperation withLease(String owner, Instant until) {
        return new RailOperation(
                transferId,
                rail,
                kind,
                status,
                escrowId,
                milestone,
                party,
                amount,
                platformFee,
                fundingTransferId,
                destination,
                railReference,
                attempts,
                nextCheckAt,
                owner,
                until,
                lastError,
                createdAt);
    }
}
