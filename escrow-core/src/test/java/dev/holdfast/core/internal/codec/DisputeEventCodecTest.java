package dev.holdfast.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.DisputeId;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeTier;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeResolved;
import dev.holdfast.api.EscrowEvent.DisputeEvent.EvidenceSubmitted;
import dev.holdfast.api.EscrowEvent.DisputeEvent.SellerShare;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EvidenceAttachment;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dispute events are persisted and hashed like every escrow event, so they must survive the canonical encoding. */
class DisputeEventCodecTest {
    private static final EscrowId E = EscrowId.of("esc_1");
    private static final DisputeId D = DisputeId.of("esc_1:d1");
    private static final Instant T = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void disputeEventsWithNestedOutcomesAndAttachmentsSurviveARoundTrip() {
        EscrowEvent resolved = new DisputeResolved(
                E,
                T,
                D,
                DisputeTier.SETTLEMENT,
                DisputeOutcome.splitAmount(Money.of(2_501, Asset.USD)),
                Actor.buyer(PartyId.of("alice")),
                "offer 1 accepted",
                List.of(new SellerShare(
                        MilestoneId.of("m1"), Money.of(10_000, Asset.USD), Money.of(2_501, Asset.USD))));
        EscrowEvent evidence = new EvidenceSubmitted(
                E,
                T,
                D,
                Actor.seller(PartyId.of("bob")),
                "receipt",
                List.of(new EvidenceAttachment("mem:x", "application/pdf", 7, "a".repeat(64))));
        for (EscrowEvent e : List.of(resolved, evidence)) {
            String json = CanonicalJson.encode(e);
            assertThat(json).contains("\"@type\"");
            assertThat(CanonicalJson.decode(json, EscrowEvent.class)).isEqualTo(e);
        }
    }
}
