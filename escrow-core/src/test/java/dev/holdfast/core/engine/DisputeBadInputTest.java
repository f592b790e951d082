package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.DisputeId;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AcceptSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AppealDecision;
import dev.holdfast.api.EscrowCommand.DisputeCommand.DecideDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.EscalateDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OfferSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OpenDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.PostDisputeMessage;
import dev.holdfast.api.EscrowCommand.DisputeCommand.SubmitEvidence;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.EvidenceAttachment;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.spi.EvidenceStore.StoredEvidence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every refused dispute command carries a specific code and leaves no trace, as in {@link BadInputTest}. */
class DisputeBadInputTest {
    private static final PartyId CAROL = PartyId.of("carol");
    private static final PartyId DAVE = PartyId.of("dave");
    private static final PartyId MALLORY = PartyId.of("mallory");
    private static final MilestoneId M1 = MilestoneId.of("m1");

    private final EngineFixture f =
            new EngineFixture().withDisputes(DisputePolicy.defaults().withArbiters(List.of(CAROL, ALICE, DAVE)));
    private EscrowView escrow;
    private DisputeId dispute;

    @BeforeEach
    void oneDisputedEscrow() {
        escrow = f.funded(f.create(10_000));
        dispute = f.submit(new OpenDispute(Actor.buyer(ALICE), escrow.id(), M1, "broken"))
                .disputes()
                .get(0)
                .id();
    }

    private void refused(ErrorCode code, EscrowCommand command) {
        String before = snapshot();
        IdempotencyKey key = f.key();
        assertThatThrownBy(() -> f.engine.submit(key, command))
                .isInstanceOf(EscrowException.class)
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(code);
        assertThat(snapshot()).as("nothing changed").isEqualTo(before);
        assertThat(f.engine.submit(key, f.create(100)).id()).isNotNull();
    }

    private String snapshot() {
        StringBuilder out = new StringBuilder();
        try {
            f.engine.exportAudit(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out + "|" + f.engine.get(escrow.id()) + "|" + f.engine.balance(ALICE, Asset.USD);
    }

    private DisputeView view() {
        return f.engine.get(escrow.id()).dispute(dispute).orElseThrow();
    }

    @Test
    void aNonPartyCannotOpenADispute() {
        EscrowView other = f.funded(f.create(5_000));
        refused(ErrorCode.PARTY_NOT_ALLOWED, new OpenDispute(Actor.buyer(MALLORY), other.id(), M1, "x"));
        refused(ErrorCode.PARTY_NOT_ALLOWED, new OpenDispute(Actor.arbiter(CAROL), other.id(), M1, "x"));
        refused(ErrorCode.INVALID_REQUEST, new OpenDispute(Actor.buyer(ALICE), other.id(), M1, " "));
    }

    @Test
    void aDisputeNeedsAFundedMilestoneWithinTheWindow() {
        EscrowView unfunded = f.submit(f.create(5_000));
        refused(ErrorCode.INVALID_STATE, new OpenDispute(Actor.buyer(ALICE), unfunded.id(), M1, "x"));
        refused(ErrorCode.DISPUTE_ALREADY_OPEN, new OpenDispute(Actor.seller(BOB), escrow.id(), M1, "x"));
        refused(ErrorCode.DISPUTE_ALREADY_OPEN, new OpenDispute(Actor.seller(BOB), escrow.id(), null, "x"));
        EscrowView released = f.funded(f.create(5_000));
        f.submit(new MarkDelivered(Actor.seller(BOB), released.id(), null));
        f.submit(new AcceptDelivery(Actor.buyer(ALICE), released.id(), null));
        refused(ErrorCode.INVALID_STATE, new OpenDispute(Actor.buyer(ALICE), released.id(), M1, "x"));
        EscrowView late = f.funded(f.create(5_000));
        f.clock.advance(Duration.ofDays(6)); // past deliverBy; the delivery deadline timer has not run yet
        refused(ErrorCode.DISPUTE_WINDOW_CLOSED, new OpenDispute(Actor.buyer(ALICE), late.id(), M1, "x"));
    }

    @Test
    void onlyTheAssignedArbiterWhoIsNoPartyDecides() {
        refused(
                ErrorCode.DISPUTE_NOT_OPEN,
                new DecideDispute(Actor.arbiter(CAROL), escrow.id(), dispute, DisputeOutcome.refund(), "x"));
        f.submit(new EscalateDispute(Actor.buyer(ALICE), escrow.id(), dispute));
        PartyId assigned = view().arbiter();
        assertThat(assigned).as("the buyer in the pool is never assigned").isNotEqualTo(ALICE);
        PartyId other = assigned.equals(CAROL) ? DAVE : CAROL;
        refused(
                ErrorCode.ARBITER_NOT_ALLOWED,
                new DecideDispute(Actor.arbiter(ALICE), escrow.id(), dispute, DisputeOutcome.refund(), "mine"));
        refused(
                ErrorCode.ARBITER_NOT_ALLOWED,
                new DecideDispute(Actor.arbiter(other), escrow.id(), dispute, DisputeOutcome.refund(), "x"));
        refused(
                ErrorCode.PARTY_NOT_ALLOWED,
                new DecideDispute(Actor.buyer(ALICE), escrow.id(), dispute, DisputeOutcome.refund(), "x"));
        refused(
                ErrorCode.INVALID_REQUEST,
                new DecideDispute(Actor.arbiter(assigned), escrow.id(), dispute, DisputeOutcome.refund(), ""));
        refused(ErrorCode.DISPUTE_NOT_OPEN, new EscalateDispute(Actor.buyer(ALICE), escrow.id(), dispute));
    }

    @Test
    void splitsThatDoNotAddUpAreRefused() {
        refused(
                ErrorCode.INVALID_SPLIT,
                new OfferSettlement(Actor.buyer(ALICE), escrow.id(), dispute, DisputeOutcome.splitBasisPoints(10_001)));
        refused(
                ErrorCode.INVALID_SPLIT,
                new OfferSettlement(Actor.buyer(ALICE), escrow.id(), dispute, DisputeOutcome.splitBasisPoints(0)));
        refused(
                ErrorCode.INVALID_SPLIT,
                new OfferSettlement(Actor.buyer(ALICE), escrow.id(), dispute, DisputeOutcome.splitAmount(usd(10_000))));
        refused(
                ErrorCode.INVALID_SPLIT,
                new OfferSettlement(Actor.buyer(ALICE), escrow.id(), dispute, DisputeOutcome.splitAmount(usd(-1))));
        refused(
                ErrorCode.ASSET_MISMATCH,
                new OfferSettlement(
                        Actor.buyer(ALICE), escrow.id(), dispute, DisputeOutcome.splitAmount(Money.of(1, Asset.EUR))));
    }

    @Test
    void offersComeFromAndAreAcceptedByTheOtherPartyOnly() {
        refused(
                ErrorCode.PARTY_NOT_ALLOWED,
                new OfferSettlement(Actor.platform(), escrow.id(), dispute, DisputeOutcome.refund()));
        refused(
                ErrorCode.PARTY_NOT_ALLOWED,
                new OfferSettlement(Actor.seller(MALLORY), escrow.id(), dispute, DisputeOutcome.refund()));
        f.submit(new OfferSettlement(Actor.seller(BOB), escrow.id(), dispute, DisputeOutcome.splitBasisPoints(5_000)));
        refused(ErrorCode.PARTY_NOT_ALLOWED, new AcceptSettlement(Actor.seller(BOB), escrow.id(), dispute, 1));
        refused(ErrorCode.PARTY_NOT_ALLOWED, new AcceptSettlement(Actor.platform(), escrow.id(), dispute, 1));
        refused(ErrorCode.OFFER_NOT_FOUND, new AcceptSettlement(Actor.buyer(ALICE), escrow.id(), dispute, 7));
        // a newer offer replaces the older one
        f.submit(new OfferSettlement(Actor.seller(BOB), escrow.id(), dispute, DisputeOutcome.splitBasisPoints(4_000)));
        refused(ErrorCode.OFFER_NOT_FOUND, new AcceptSettlement(Actor.buyer(ALICE), escrow.id(), dispute, 1));
    }

    @Test
    void aSecondAppealIsRefused() {
        f.submit(new EscalateDispute(Actor.buyer(ALICE), escrow.id(), dispute));
        refused(ErrorCode.APPEAL_NOT_ALLOWED, new AppealDecision(Actor.seller(BOB), escrow.id(), dispute, "early"));
        f.submit(new DecideDispute(
                Actor.arbiter(view().arbiter()), escrow.id(), dispute, DisputeOutcome.refund(), "not delivered"));
        refused(ErrorCode.PARTY_NOT_ALLOWED, new AppealDecision(Actor.platform(), escrow.id(), dispute, "x"));
        f.submit(new AppealDecision(Actor.seller(BOB), escrow.id(), dispute, "I delivered"));
        refused(ErrorCode.APPEAL_NOT_ALLOWED, new AppealDecision(Actor.seller(BOB), escrow.id(), dispute, "again"));
        refused(ErrorCode.APPEAL_NOT_ALLOWED, new AppealDecision(Actor.buyer(ALICE), escrow.id(), dispute, "me too"));
    }

    @Test
    void anAppealAfterTheWindowIsRefused() {
        f.withDisputes(
                DisputePolicy.defaults().withArbiters(List.of(CAROL, DAVE)).withAppeals(true, Duration.ofHours(6)));
        f.submit(new EscalateDispute(Actor.buyer(ALICE), escrow.id(), dispute));
        f.submit(new DecideDispute(
                Actor.arbiter(view().arbiter()), escrow.id(), dispute, DisputeOutcome.refund(), "not delivered"));
        f.clock.advance(Duration.ofHours(7)); // the window timer has not run yet
        refused(
                ErrorCode.DISPUTE_DEADLINE_PASSED,
                new AppealDecision(Actor.seller(BOB), escrow.id(), dispute, "too late"));
    }

    @Test
    void evidenceMustMatchTheStoredBytesAndComeBeforeTheDeadline() {
        StoredEvidence s = f.evidence.put("receipt".getBytes(StandardCharsets.UTF_8), "application/pdf");
        EvidenceAttachment wrongHash =
                new EvidenceAttachment(s.reference(), "application/pdf", s.size(), "0".repeat(64));
        refused(
                ErrorCode.EVIDENCE_MISMATCH,
                new SubmitEvidence(Actor.seller(BOB), escrow.id(), dispute, "", List.of(wrongHash)));
        EvidenceAttachment missing = new EvidenceAttachment("mem:nothing", "application/pdf", 1, s.sha256());
        refused(
                ErrorCode.EVIDENCE_NOT_FOUND,
                new SubmitEvidence(Actor.seller(BOB), escrow.id(), dispute, "", List.of(missing)));
        refused(ErrorCode.INVALID_EVIDENCE, new SubmitEvidence(Actor.seller(BOB), escrow.id(), dispute, " ", null));
        refused(
                ErrorCode.PARTY_NOT_ALLOWED,
                new SubmitEvidence(Actor.platform(), escrow.id(), dispute, "platform view", null));
        assertThatThrownBy(() -> new EvidenceAttachment("r", "not a type", 1, s.sha256()))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INVALID_EVIDENCE);
        f.clock.advance(Duration.ofDays(3)); // the response deadline passed; its timer has not run yet
        refused(
                ErrorCode.DISPUTE_DEADLINE_PASSED,
                new SubmitEvidence(Actor.seller(BOB), escrow.id(), dispute, "late", null));
    }

    @Test
    void unknownDisputesAndStrangersAreRefused() {
        refused(
                ErrorCode.DISPUTE_NOT_FOUND,
                new PostDisputeMessage(Actor.buyer(ALICE), escrow.id(), DisputeId.of("nope"), "hi"));
        refused(
                ErrorCode.ESCROW_NOT_FOUND,
                new PostDisputeMessage(Actor.buyer(ALICE), EscrowId.of("esc_nope"), dispute, "hi"));
        refused(
                ErrorCode.ARBITER_NOT_ALLOWED,
                new PostDisputeMessage(Actor.arbiter(CAROL), escrow.id(), dispute, "hi"));
        refused(ErrorCode.PARTY_NOT_ALLOWED, new PostDisputeMessage(Actor.buyer(MALLORY), escrow.id(), dispute, "hi"));
    }
}
