package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.USD;
import static dev.holdfast.core.engine.EngineFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CancelEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowCommand.ReleaseMilestone;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.PartyBalance;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.Withdraw;
import dev.holdfast.api.WithdrawalView;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EscrowLifecycleTest {
    private final EngineFixture f = new EngineFixture();

    @Test
    void createAsksTheRailForFundingAndShowsTheBuyerWhatToDo() {
        EscrowView e = f.submit(f.create(10_000, new FeeSchedule(250, 30, FeePayer.BUYER), null));
        assertThat(e.status()).isEqualTo(EscrowStatus.AWAITING_FUNDING);
        assertThat(e.fundingAmount()).isEqualTo(usd(10_000 + 250 + 30));
        assertThat(e.fundingInstruction()).get().isInstanceOf(PartyInstruction.SendPayment.class);
        PartyInstruction.SendPayment pay =
                (PartyInstruction.SendPayment) e.fundingInstruction().get();
        assertThat(pay.amount()).isEqualTo(usd(10_280));
    }

    @Test
    void happyPathReleasesToTheSellerAndClosesWithNothingHeld() {
        EscrowView e = f.funded(f.create(10_000, new FeeSchedule(250, 30, FeePayer.BUYER), null));
        assertThat(e.status()).isEqualTo(EscrowStatus.FUNDED);
        assertThat(e.held()).isEqualTo(usd(10_280));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        EscrowView done = f.submit(new AcceptDelivery(Actor.buyer(ALICE), e.id(), null));
        assertThat(done.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(done.held().isZero()).isTrue();
        assertThat(done.milestones().get(0).released()).isEqualTo(usd(10_000));
        // no seller payout destination was given: the seller's internal balance
        PartyBalance bob = f.engine.balance(BOB, USD);
        assertThat(bob.available()).isEqualTo(usd(10_000));
        assertThat(bob.paidOut().isZero()).isTrue();
        assertThat(f.engine.balance(ALICE, USD).reservedAsBuyer().isZero()).isTrue();
    }

    @Test
    void sellerFeeIsDeductedAndLandsOnTheInternalBalance() {
        EscrowView e = f.funded(
                f.create(10_000, new FeeSchedule(1000, 0, FeePayer.SELLER), PayoutDestination.internalBalance()));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        f.submit(new AcceptDelivery(Actor.buyer(ALICE), e.id(), null));
        assertThat(f.engine.balance(BOB, USD).available()).isEqualTo(usd(9_000));
    }

    @Test
    void milestonesAreReleasedAndRefundedEachOnTheirOwn() {
        EscrowView e = f.funded(f.createMilestones(1_000, 2_000, 3_000));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), MilestoneId.of("m1")));
        EscrowView v = f.submit(new AcceptDelivery(Actor.buyer(ALICE), e.id(), MilestoneId.of("m1")));
        assertThat(v.status()).isEqualTo(EscrowStatus.FUNDED);
        assertThat(v.milestone(MilestoneId.of("m1")).orElseThrow().status()).isEqualTo(MilestoneStatus.RELEASED);
        assertThat(v.held()).isEqualTo(usd(5_000));

        v = f.submit(new RefundMilestone(Actor.seller(BOB), e.id(), MilestoneId.of("m2"), usd(500), "late"));
        assertThat(v.milestone(MilestoneId.of("m2")).orElseThrow().refunded()).isEqualTo(usd(500));
        assertThat(v.milestone(MilestoneId.of("m2")).orElseThrow().status()).isEqualTo(MilestoneStatus.FUNDED);
        v = f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), MilestoneId.of("m2")));
        assertThat(v.milestone(MilestoneId.of("m2")).orElseThrow().released()).isEqualTo(usd(1_500));

        v = f.submit(new RefundMilestone(Actor.seller(BOB), e.id(), MilestoneId.of("m3"), null, "cancelled part"));
        assertThat(v.status()).isEqualTo(EscrowStatus.SETTLED);
        assertThat(v.held().isZero()).isTrue();
        assertThat(f.engine.balance(ALICE, USD).paidOut()).isEqualTo(usd(3_500));
        assertThat(f.engine.balance(BOB, USD).paidOut()).isEqualTo(usd(2_500));
    }

    @Test
    void inspectionPeriodEndsInAnAutomaticRelease() {
        EscrowView e = f.funded(f.create(5_000));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        f.engine.advanceTime(null, Duration.ofDays(3).minusMinutes(1));
        assertThat(f.engine.get(e.id()).status()).isEqualTo(EscrowStatus.FUNDED);
        f.engine.advanceTime(null, Duration.ofMinutes(2));
        EscrowView v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(f.engine.history(e.id()))
                .filteredOn(ev -> ev instanceof EscrowEvent.PayoutRequested)
                .extracting(ev -> ((EscrowEvent.PayoutRequested) ev).actor())
                .containsExactly(Actor.system());
    }

    @Test
    void missedDeliveryDeadlineRefundsTheBuyer() {
        EscrowView e = f.funded(f.create(5_000));
        f.engine.advanceTime(null, Duration.ofDays(6));
        EscrowView v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.REFUNDED);
        assertThat(f.engine.balance(ALICE, USD).paidOut()).isEqualTo(usd(5_000));
    }

    @Test
    void aPartialRefundLeavesTheDeliveryDeadlineRunning() {
        EscrowView e = f.funded(f.create(5_000));
        f.submit(new RefundMilestone(Actor.seller(BOB), e.id(), MilestoneId.of("m1"), usd(1_000), "discount"));
        f.engine.advanceTime(null, Duration.ofDays(6));
        EscrowView v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.REFUNDED);
        assertThat(v.milestones().get(0).refunded()).isEqualTo(usd(5_000));
    }

    @Test
    void anAutoReleaseThatFindsAPartialRefundInFlightWaitsForItInsteadOfBeingLost() {
        EscrowView e = f.funded(f.create(600));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        f.rail.unknownNext();
        f.submit(new RefundMilestone(Actor.seller(BOB), e.id(), MilestoneId.of("m1"), usd(500), "discount"));
        // the refund's answer was lost; the inspection period ends before the reconciler has asked
        f.clock.advance(Duration.ofDays(3).plusMinutes(1));
        f.engine.advanceTime(null, Duration.ofMinutes(30));
        assertThat(f.engine.get(e.id()).milestones().get(0).refunded()).isEqualTo(usd(500));
        // the timer fired while the refund was in flight and was postponed by the reconciler's first delay
        f.engine.advanceTime(null, Duration.ofSeconds(10));
        EscrowView v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(v.milestones().get(0).released()).isEqualTo(usd(100));
    }

    @Test
    void unfundedEscrowExpiresAtItsFundingDeadline() {
        EscrowView e = f.submit(f.create(5_000));
        f.engine.advanceTime(null, Duration.ofDays(1).plusSeconds(1));
        EscrowView v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.EXPIRED);
        assertThat(v.fundingInstruction()).isEmpty();
        assertThat(v.milestones().get(0).status()).isEqualTo(MilestoneStatus.CANCELLED);
    }

    @Test
    void testClockCanMoveOneEscrowAlone() {
        EscrowView moved = f.submit(f.create(5_000));
        EscrowView still = f.submit(f.create(6_000));
        f.engine.advanceTime(moved.id(), Duration.ofDays(2));
        assertThat(f.engine.get(moved.id()).status()).isEqualTo(EscrowStatus.EXPIRED);
        assertThat(f.engine.get(still.id()).status()).isEqualTo(EscrowStatus.AWAITING_FUNDING);
    }

    @Test
    void cancellingBeforeFundingWithdrawsTheFundingRequest() {
        EscrowView e = f.submit(f.create(5_000));
        EscrowView v = f.submit(new CancelEscrow(Actor.seller(BOB), e.id(), "sold elsewhere"));
        assertThat(v.status()).isEqualTo(EscrowStatus.CANCELLED);
        assertThat(f.rail.fund(e.fundingTransfer())).isFalse();
        assertThat(f.engine.get(e.id()).held().isZero()).isTrue();
    }

    @Test
    void withdrawalPaysOutTheInternalBalance() {
        EscrowView e = f.funded(f.create(10_000, FeeSchedule.none(), PayoutDestination.internalBalance()));
        f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        WithdrawalView w = f.engine.withdraw(
                f.key(), new Withdraw(Actor.seller(BOB), BOB, usd(4_000), f.rail.id(), "sandbox:bob-bank"));
        assertThat(w.status()).isEqualTo(RailOperationStatus.SUCCEEDED);
        PartyBalance b = f.engine.balance(BOB, USD);
        assertThat(b.available()).isEqualTo(usd(6_000));
        assertThat(b.paidOut()).isEqualTo(usd(4_000));
    }

    @Test
    void failedWithdrawalIsReversedAndTheMoneyIsAvailableAgain() {
        EscrowView e = f.funded(f.create(10_000, FeeSchedule.none(), PayoutDestination.internalBalance()));
        f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        f.rail.failNext("DESTINATION_CLOSED");
        WithdrawalView w = f.engine.withdraw(
                f.key(), new Withdraw(Actor.seller(BOB), BOB, usd(4_000), f.rail.id(), "sandbox:bob-bank"));
        assertThat(w.status()).isEqualTo(RailOperationStatus.FAILED);
        assertThat(f.engine.balance(BOB, USD).available()).isEqualTo(usd(10_000));
    }

    @Test
    void eventsReachTheSinkInOrderPerEscrow() {
        EscrowView e = f.funded(f.create(5_000));
        f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        f.engine.runDueWork();
        assertThat(f.delivered)
                .filteredOn(m -> m.subject().equals(e.id().value()))
                .extracting(dev.holdfast.spi.OutboxMessage::type)
                .containsExactly(
                        "EscrowCreated",
                        "FundingRequested",
                        "InstructionIssued",
                        "EscrowFunded",
                        "PayoutRequested",
                        "PayoutSucceeded",
                        "EscrowClosed");
        assertThat(f.engine.verifyAudit().intact()).isTrue();
    }
}
