package dev.holdfast.api;

import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeDecided;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeMessagePosted;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeResolved;
import dev.holdfast.api.EscrowEvent.DisputeEvent.EvidenceSubmitted;
import dev.holdfast.api.EscrowEvent.DisputeEvent.SettlementOffered;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A read-only snapshot of one dispute, folded from the escrow's events. Immutable and thread-safe.
 *
 * @param id the dispute
 * @param status where it stands
 * @param milestones the disputed milestones
 * @param openedBy who opened it
 * @param reason the opener's statement
 * @param openedAt when
 * @param buyerRespondBy the buyer's evidence and response deadline
 * @param sellerRespondBy the seller's evidence and response deadline
 * @param deadline when the default outcome applies if nothing else resolved it
 * @param buyerAnswered whether the buyer opened, submitted evidence, wrote or offered
 * @param sellerAnswered whether the seller did
 * @param evidence the evidence, oldest first
 * @param messages the message thread, oldest first
 * @param openOffers each party's latest offer that is still open
 * @param arbiter the first arbiter, or {@code null}
 * @param appealArbiter the appeal's arbiter, or {@code null}
 * @param decision the first arbiter's decision, or {@code null}
 * @param appealed whether the decision was appealed
 * @param resolution the final outcome, or {@code null}
 * @since 0.2
 */
public record DisputeView(
        DisputeId id,
        DisputeStatus status,
        List<MilestoneId> milestones,
        Actor openedBy,
        String reason,
        Instant openedAt,
        Instant buyerRespondBy,
        Instant sellerRespondBy,
        Instant deadline,
        boolean buyerAnswered,
        boolean sellerAnswered,
        List<EvidenceSubmitted> evidence,
        List<DisputeMessagePosted> messages,
        List<SettlementOffered> openOffers,
        PartyId arbiter,
        PartyId appealArbiter,
        DisputeDecided decision,
        boolean appealed,
        DisputeResolved resolution) {

    public DisputeView {
        milestones = List.copyOf(milestones);
        evidence = List.copyOf(evidence);
        messages = List.copyOf(messages);
        openOffers = List.copyOf(openOffers);
    }

    /**
     * @param number an offer number
     * @return that offer, if it is still open
     */
    public Optional<SettlementOffered> offer(int number) {
        return openOffers.stream().filter(o -> o.offer() == number).findFirst();
    }
}
