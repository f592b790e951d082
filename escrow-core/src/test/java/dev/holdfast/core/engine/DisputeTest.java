package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.USD;
import static dev.holdfast.core.engine.EngineFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.DisputeId;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeStatus;
import dev.holdfast.api.DisputeTier;
import dev.holdfast.api.DisputeView;
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
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.EvidenceAttachment;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.MilestoneView;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.spi.EvidenceStore.StoredEvidence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisputeTest {
    static final PartyId CAROL = PartyId.of("carol");
    static final PartyId DAVE = PartyId.of("dave");
    static final MilestoneId M1 = MilestoneId.of("m1");
    static final MilestoneId M2 = MilestoneId.of("m2");

    private final EngineFixture f = new EngineFixture()
            .withDisputes(DisputePolicy.defaults()
                    .withArbiters(List.of(CAROL, DAVE))
                    .withResponsePeriod(Duration.ofDays(1))
                    .withAppeals(true, Duration.ofHours(12)));

    private EscrowView fundedWithSellerFee() {
        return f.funded(
                f.create(10_000, new FeeSchedule(1000, 0, FeePayer.SELLER), PayoutDestination.internalBalance()));
    }

    private DisputeView open(EscrowView e, Actor by, MilestoneId m) {
        EscrowView v = f.submit(new OpenDispute(by, e.id(), m, "not as described"));
        return v.disputes().get(v.disputes().size() - 1);
    }

    private DisputeView dispute(EscrowView e, DisputeId id) {
        return f.engine.get(e.id()).dispute(id).orElseThrow();
    }

    private MilestoneView m(EscrowView e, MilestoneId id) {
        return f.engine.get(e.id()).milestone(id).orElseThrow();
    }

    @Test
    void openingADisputeFreezesTheMilestoneSoAutoReleaseNeverFires() {
        EscrowView e = f.funded(f.create(10_000));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        f.engine.advanceTime(null, Duration.ofDays(2));
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        assertThat(d.status()).isEqualTo(DisputeStatus.OPEN);
        assertThat(d.buyerAnswered()).isTrue();
        assertThat(d.deadline()).isEqualTo(f.clock.instant().plus(Duration.ofDays(3)));
        f.engine.advanceTime(null, Duration.ofHours(23));
        // the inspection period ended an hour after the dispute would have been too late; nothing was released
        assertThat(m(e, M1).status()).isEqualTo(MilestoneStatus.DISPUTED);
        assertThat(m(e, M1).released().isZero()).isTrue();
    }

    @Test
    void otherMilestonesGoOnWhileOneIsDisputed() {
        EscrowView e = f.funded(f.createMilestones(1_000, 2_000));
        open(e, Actor.seller(BOB), M1);
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), M2));
        EscrowView v = f.submit(new AcceptDelivery(Actor.buyer(ALICE), e.id(), M2));
        assertThat(v.milestone(M2).orElseThrow().status()).isEqualTo(MilestoneStatus.RELEASED);
        assertThat(v.milestone(M1).orElseThrow().status()).isEqualTo(MilestoneStatus.DISPUTED);
        assertThat(v.status()).isEqualTo(EscrowStatus.FUNDED);
    }

    @Test
    void aWholeEscrowDisputeFreezesEveryOpenMilestone() {
        EscrowView e = f.funded(f.createMilestones(1_000, 2_000));
        DisputeView d = open(e, Actor.platform(), null);
        assertThat(d.milestones()).containsExactly(M1, M2);
        assertThat(d.buyerAnswered()).isFalse();
        assertThat(f.engine.get(e.id()).milestones())
                .extracting(MilestoneView::status)
                .containsOnly(MilestoneStatus.DISPUTED);
    }

    @Test
    void acceptedSplitOfferRefundsTheBuyerPartThenReleasesTheRestWithAProRataFee() {
        EscrowView e = fundedWithSellerFee();
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        f.submit(new OfferSettlement(Actor.seller(BOB), e.id(), d.id(), DisputeOutcome.splitBasisPoints(6_000)));
        EscrowView v = f.submit(new AcceptSettlement(Actor.buyer(ALICE), e.id(), d.id(), 1));
        DisputeView done = v.dispute(d.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(DisputeStatus.RESOLVED);
        assertThat(done.resolution().tier()).isEqualTo(DisputeTier.SETTLEMENT);
        MilestoneView m = v.milestone(M1).orElseThrow();
        assertThat(m.status()).isEqualTo(MilestoneStatus.RELEASED);
        assertThat(m.refunded()).isEqualTo(usd(4_000));
        // seller fee 1 000 on 10 000, charged on the released 6 000 only: 600
        assertThat(m.released()).isEqualTo(usd(5_400));
        assertThat(v.held().isZero()).isTrue();
        assertThat(f.engine.balance(BOB, USD).available()).isEqualTo(usd(5_400));
        assertThat(f.rail.platformBalance(USD)).isEqualTo(5_400 + 600);
    }

    @Test
    void aSplitByAmountWithABuyerFeeReturnsTheUnusedFeeToTheBuyer() {
        EscrowView e = f.funded(f.create(10_000, new FeeSchedule(300, 0, FeePayer.BUYER), null));
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        f.submit(new OfferSettlement(Actor.buyer(ALICE), e.id(), d.id(), DisputeOutcome.splitAmount(usd(2_501))));
        EscrowView v = f.submit(new AcceptSettlement(Actor.seller(BOB), e.id(), d.id(), 1));
        MilestoneView m = v.milestone(M1).orElseThrow();
        // buyer fee 300 held on top; the released 2 501 carries floor(300 × 2 501 / 10 000) = 75 of it
        assertThat(m.released()).isEqualTo(usd(2_501));
        assertThat(m.refunded()).isEqualTo(usd(10_300 - 2_501 - 75));
        assertThat(v.held().isZero()).isTrue();
    }

    @Test
    void anArbiterDecidesAndAnAppealGoesToASecondArbiterWhoseDecisionIsFinal() {
        EscrowView e = fundedWithSellerFee();
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        d = f.submit(new EscalateDispute(Actor.seller(BOB), e.id(), d.id()))
                .dispute(d.id())
                .orElseThrow();
        assertThat(d.status()).isEqualTo(DisputeStatus.ARBITRATION);
        PartyId first = d.arbiter();
        assertThat(first).isIn(CAROL, DAVE);
        f.submit(new PostDisputeMessage(Actor.arbiter(first), e.id(), d.id(), "please send the photos"));
        d = f.submit(new DecideDispute(Actor.arbiter(first), e.id(), d.id(), DisputeOutcome.refund(), "broken"))
                .dispute(d.id())
                .orElseThrow();
        assertThat(d.status()).isEqualTo(DisputeStatus.DECIDED);
        assertThat(m(e, M1).status()).isEqualTo(MilestoneStatus.DISPUTED);
        d = f.submit(new AppealDecision(Actor.seller(BOB), e.id(), d.id(), "it was fine"))
                .dispute(d.id())
                .orElseThrow();
        assertThat(d.status()).isEqualTo(DisputeStatus.APPEALED);
        PartyId second = d.appealArbiter();
        assertThat(second).isNotEqualTo(first).isIn(CAROL, DAVE);
        EscrowView v = f.submit(new DecideDispute(
                Actor.arbiter(second), e.id(), d.id(), DisputeOutcome.release(), "photos show it intact"));
        assertThat(v.dispute(d.id()).orElseThrow().resolution().tier()).isEqualTo(DisputeTier.APPEAL);
        assertThat(v.milestone(M1).orElseThrow().status()).isEqualTo(MilestoneStatus.RELEASED);
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(f.engine.balance(BOB, USD).available()).isEqualTo(usd(9_000));
    }

    @Test
    void theFirstDecisionBecomesFinalWhenTheAppealWindowPasses() {
        EscrowView e = f.funded(f.create(10_000));
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        d = f.submit(new EscalateDispute(Actor.buyer(ALICE), e.id(), d.id()))
                .dispute(d.id())
                .orElseThrow();
        f.submit(new DecideDispute(Actor.arbiter(d.arbiter()), e.id(), d.id(), DisputeOutcome.refund(), "no show"));
        f.engine.advanceTime(null, Duration.ofHours(13));
        EscrowView v = f.engine.get(e.id());
        assertThat(v.dispute(d.id()).orElseThrow().resolution().tier()).isEqualTo(DisputeTier.ARBITRATION);
        assertThat(v.status()).isEqualTo(EscrowStatus.REFUNDED);
        assertThat(v.milestone(M1).orElseThrow().refunded()).isEqualTo(usd(10_000));
    }

    @Test
    void theResponseDeadlineRefundsWhenTheSellerNeverAnswered() {
        EscrowView e = f.funded(f.create(10_000));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        f.engine.advanceTime(null, Duration.ofDays(1));
        DisputeView done = dispute(e, d.id());
        assertThat(done.resolution().tier()).isEqualTo(DisputeTier.RULE);
        assertThat(done.resolution().reason()).contains("seller never answered");
        assertThat(f.engine.get(e.id()).status()).isEqualTo(EscrowStatus.REFUNDED);
    }

    @Test
    void theResponseDeadlineReleasesWhenTheBuyerNeverAnswered() {
        EscrowView e = f.funded(f.create(10_000));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        DisputeView d = open(e, Actor.seller(BOB), M1);
        f.engine.advanceTime(null, Duration.ofDays(1));
        assertThat(dispute(e, d.id()).resolution().reason()).contains("buyer never answered");
        assertThat(f.engine.get(e.id()).status()).isEqualTo(EscrowStatus.RELEASED);
    }

    @Test
    void aSellerWhoNeverMarkedDeliveryBeforeTheDeadlineIsRefundedByRule() {
        EscrowView e = f.funded(f.create(10_000));
        f.engine.advanceTime(null, Duration.ofDays(4).plusHours(12));
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        f.submit(new SubmitEvidence(Actor.seller(BOB), e.id(), d.id(), "it is on its way", List.of()));
        f.engine.advanceTime(null, Duration.ofDays(1));
        assertThat(dispute(e, d.id()).resolution().reason()).contains("never marked delivery");
        assertThat(f.engine.get(e.id()).status()).isEqualTo(EscrowStatus.REFUNDED);
    }

    @Test
    void whenBothAnsweredTheResponseDeadlineCallsAnArbiter() {
        EscrowView e = f.funded(f.create(10_000));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        f.submit(new PostDisputeMessage(Actor.seller(BOB), e.id(), d.id(), "it works for me"));
        f.engine.advanceTime(null, Duration.ofDays(1));
        assertThat(dispute(e, d.id()).status()).isEqualTo(DisputeStatus.ARBITRATION);
        assertThat(dispute(e, d.id()).messages()).hasSize(1);
    }

    @Test
    void aMissedLastDeadlineResolvesByTheDefaultOutcome() {
        f.withDisputes(DisputePolicy.defaults().withDefaultOutcome(DisputeOutcome.splitBasisPoints(5_000)));
        EscrowView e = f.funded(f.create(10_000));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        f.submit(new PostDisputeMessage(Actor.seller(BOB), e.id(), d.id(), "no"));
        f.engine.advanceTime(null, Duration.ofDays(3));
        DisputeView done = dispute(e, d.id());
        assertThat(done.resolution().tier()).isEqualTo(DisputeTier.DEFAULT);
        assertThat(done.resolution().reason()).contains("deadline passed");
        assertThat(m(e, M1).released()).isEqualTo(usd(5_000));
        assertThat(m(e, M1).refunded()).isEqualTo(usd(5_000));
    }

    @Test
    void evidenceHashesAreCheckedAndRecordedInTheAuditLog() throws IOException {
        EscrowView e = f.funded(f.create(10_000));
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        StoredEvidence photo = f.evidence.put("a broken vase".getBytes(StandardCharsets.UTF_8), "image/png");
        EvidenceAttachment a = new EvidenceAttachment(photo.reference(), "image/png", photo.size(), photo.sha256());
        f.submit(new SubmitEvidence(Actor.buyer(ALICE), e.id(), d.id(), "see photo", List.of(a)));
        assertThat(dispute(e, d.id()).evidence().get(0).attachments()).containsExactly(a);
        StringBuilder audit = new StringBuilder();
        f.engine.exportAudit(audit);
        assertThat(audit).contains(photo.sha256());
        assertThat(f.engine.verifyAudit().intact()).isTrue();
    }

    @Test
    void aFailedRefundLegOfASplitIsRetriedAndThenTheRestIsReleased() {
        EscrowView e = fundedWithSellerFee();
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        f.submit(new OfferSettlement(Actor.seller(BOB), e.id(), d.id(), DisputeOutcome.splitBasisPoints(5_000)));
        f.rail.failNext("NO_ROUTE");
        EscrowView v = f.submit(new AcceptSettlement(Actor.buyer(ALICE), e.id(), d.id(), 1));
        assertThat(v.milestone(M1).orElseThrow().status()).isEqualTo(MilestoneStatus.SETTLING);
        assertThat(v.held()).isEqualTo(usd(10_000));
        f.engine.advanceTime(null, Duration.ofHours(1));
        MilestoneView m = m(e, M1);
        assertThat(m.status()).isEqualTo(MilestoneStatus.RELEASED);
        assertThat(m.refunded()).isEqualTo(usd(5_000));
        assertThat(m.released()).isEqualTo(usd(4_500));
    }

    @Test
    void aDisputeOpenWhenTheRailHoldLapsesEndsAsARefundRecordedAsHoldExpiry() {
        EscrowView e = f.funded(f.create(10_000));
        DisputeView d = open(e, Actor.buyer(ALICE), M1);
        f.rail.lapseHold(e.fundingTransfer());
        EscrowView after = f.engine.get(e.id());
        DisputeView done = after.dispute(d.id()).orElseThrow();
        assertThat(done.resolution().tier()).isEqualTo(DisputeTier.HOLD_EXPIRY);
        assertThat(after.status()).isEqualTo(EscrowStatus.REFUNDED);
        assertThat(after.held().isZero()).isTrue();
    }
}
