package dev.holdfast.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only snapshot of an escrow, folded from its events up to {@link #version()}. Immutable and thread-safe.
 *
 * @param id the escrow
 * @param version number of events folded; grows by one per event
 * @param status where it stands
 * @param buyer who pays
 * @param seller who is paid
 * @param rail the rail holding the funds
 * @param amount the escrow amount without the buyer's fee
 * @param fundingAmount what the buyer funds: amount plus buyer fees
 * @param held what the escrow still holds
 * @param fee the fee schedule
 * @param milestones the milestones in order
 * @param fundBy funding deadline
 * @param inspectionPeriod inspection period after delivery
 * @param disputeWindow longest a dispute may freeze funds
 * @param fundingTransfer the funding transfer, or {@code null} before funding was requested
 * @param pendingInstructions instructions waiting for a party
 * @param reference the host's reference
 * @param metadata the host's metadata
 * @param createdAt creation time
 * @param updatedAt time of the last event
 * @param disputes the escrow's disputes, oldest first (since 0.2)
 * @param bonds the escrow's bonds, in the order they were required (since 0.3)
 * @since 0.1
 */
public record EscrowView(
        EscrowId id,
        long version,
        EscrowStatus status,
        PartyId buyer,
        PartyId seller,
        RailId rail,
        Money amount,
        Money fundingAmount,
        Money held,
        FeeSchedule fee,
        List<MilestoneView> milestones,
        Instant fundBy,
        Duration inspectionPeriod,
        Duration disputeWindow,
        TransferId fundingTransfer,
        List<PendingInstruction> pendingInstructions,
        String reference,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt,
        List<DisputeView> disputes,
        List<BondView> bonds) {

    public EscrowView {
        milestones = List.copyOf(milestones);
        disputes = disputes == null ? List.of() : List.copyOf(disputes);
        bonds = bonds == null ? List.of() : List.copyOf(bonds);
        pendingInstructions = List.copyOf(pendingInstructions);
        metadata = Map.copyOf(metadata);
    }

    /**
     * @param id a dispute id
     * @return that dispute
     * @since 0.2
     */
    public Optional<DisputeView> dispute(DisputeId id) {
        return disputes.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /**
     * @param party buyer or seller
     * @return that party's bond
     * @since 0.3
     */
    public Optional<BondView> bond(Role party) {
        return bonds.stream().filter(b -> b.party() == party).findFirst();
    }

    /**
     * @param id a milestone id
     * @return that milestone
     */
    public Optional<MilestoneView> milestone(MilestoneId id) {
        return milestones.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** @return the instruction the buyer must follow to fund, while the escrow awaits funding */
    public Optional<PartyInstruction> fundingInstruction() {
        if (status != EscrowStatus.AWAITING_FUNDING || fundingTransfer == null) {
            return Optional.empty();
        }
        return pendingInstructions.stream()
                .filter(p -> p.transferId().equals(fundingTransfer))
                .map(PendingInstruction::instruction)
                .findFirst();
    }
}
