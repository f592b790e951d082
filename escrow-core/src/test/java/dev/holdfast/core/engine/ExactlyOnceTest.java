package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.USD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Actor;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.ReleaseMilestone;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.TransferId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExactlyOnceTest {
    private final EngineFixture f = new EngineFixture();

    @Test
    void sameKeyAndSameRequestReturnsTheFirstResultWithoutActingAgain() {
        IdempotencyKey key = f.key();
        CreateEscrow c = f.create(5_000);
        EscrowView first = f.engine.submit(key, c);
        EscrowView again = f.engine.submit(key, c);
        assertThat(again).isEqualTo(first);
        assertThat(f.engine.balance(ALICE, USD).reservedAsBuyer().isZero()).isTrue();
        // only one escrow exists: the second call did not create another
        java.util.List<dev.holdfast.api.EscrowId> escrows =
                f.memory.inTransaction(tx -> tx.events().escrowsOf(ALICE));
        assertThat(escrows).hasSize(1);
    }

    @Test
    void sameKeyWithAnotherRequestIsAConflict() {
        IdempotencyKey key = f.key();
        f.engine.submit(key, f.create(5_000));
        assertThatThrownBy(() -> f.engine.submit(key, f.create(6_000)))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT);
    }

    @Test
    void aKeyHeldByARequestInProgressIsReportedAsSuchUntilItsLockLapses() {
        IdempotencyKey key = f.key();
        CreateEscrow c = f.create(5_000);
        // a request that died after taking its key: the store holds an in-progress record
        String hash = dev.holdfast.core.internal.codec.CanonicalJson.sha256(c);
        f.memory.inTransaction(tx -> {
            tx.idempotency()
                    .insert(new dev.holdfast.spi.IdempotencyRecord(
                            key,
                            hash,
                            false,
                            null,
                            0,
                            f.clock.instant(),
                            f.clock.instant().plusSeconds(60)));
            return null;
        });
        assertThatThrownBy(() -> f.engine.submit(key, c))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.IDEMPOTENCY_IN_PROGRESS);
        f.clock.advance(Duration.ofSeconds(61));
        assertThat(f.engine.submit(key, c).status()).isEqualTo(EscrowStatus.AWAITING_FUNDING);
    }

    @Test
    void concurrentRetriesOfOneReleasePayOnce() throws Exception {
        EscrowView e = f.funded(f.create(5_000));
        IdempotencyKey key = f.key();
        ReleaseMilestone release = new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<EscrowView>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(pool.submit(() -> {
                go.await();
                try {
                    return f.engine.submit(key, release);
                } catch (EscrowException busy) {
                    assertThat(busy.code()).isEqualTo(ErrorCode.IDEMPOTENCY_IN_PROGRESS);
                    return null;
                }
            }));
        }
        go.countDown();
        for (Future<EscrowView> c : calls) {
            c.get();
        }
        pool.shutdown();
        assertThat(f.engine.get(e.id()).status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(f.rail.paidOut(USD)).isEqualTo(5_000);
        TransferId payout = f.engine.get(e.id()).milestones().get(0).payoutTransfer();
        assertThat(f.rail.movements(payout)).isEqualTo(1);
    }

    @Test
    void aLostPayoutAnswerIsResolvedByQueryNotByResending() {
        EscrowView e = f.funded(f.create(5_000));
        f.rail.unknownNext();
        EscrowView v = f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        assertThat(v.milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASING);
        f.engine.advanceTime(null, Duration.ofSeconds(6));
        v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(f.rail.movements(v.milestones().get(0).payoutTransfer())).isEqualTo(1);
        assertThat(f.rail.paidOut(USD)).isEqualTo(5_000);
    }

    @Test
    void aStalledPayoutCompletesByNotificationAndAgainByQueryWithoutPayingTwice() {
        EscrowView e = f.funded(f.create(5_000));
        f.rail.stallNext();
        EscrowView v = f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        assertThat(v.milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASING);
        f.engine.advanceTime(null, Duration.ofMinutes(1));
        assertThat(f.engine.get(e.id()).milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASING);
        f.rail.duplicateNotifications(true);
        f.rail.completeStalled();
        f.engine.advanceTime(null, Duration.ofMinutes(30));
        v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(f.rail.paidOut(USD)).isEqualTo(5_000);
        assertThat(f.engine.history(e.id()))
                .filteredOn(ev -> ev instanceof dev.holdfast.api.EscrowEvent.PayoutSucceeded)
                .hasSize(1);
    }

    @Test
    void aLostFundingNotificationIsMadeUpForByTheReconciler() {
        EscrowView e = f.submit(f.create(5_000));
        f.rail.dropNextNotification();
        f.rail.fund(e.fundingTransfer());
        assertThat(f.engine.get(e.id()).status()).isEqualTo(EscrowStatus.AWAITING_FUNDING);
        f.engine.advanceTime(null, Duration.ofMinutes(20));
        assertThat(f.engine.get(e.id()).status()).isEqualTo(EscrowStatus.FUNDED);
    }

    @Test
    void aFailedPayoutCanBeRetriedWithANewTransferAndPaysOnce() {
        EscrowView e = f.funded(f.create(5_000));
        f.rail.failNext("NO_ROUTE");
        EscrowView v = f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        assertThat(v.milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASE_FAILED);
        TransferId failed = v.milestones().get(0).payoutTransfer();
        v = f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(v.milestones().get(0).payoutTransfer()).isNotEqualTo(failed);
        assertThat(f.rail.movements(failed)).isZero();
        assertThat(f.rail.paidOut(USD)).isEqualTo(5_000);
    }

    @Test
    void aCrashAtCommitChangesNothingAndTheRetrySucceeds() {
        EscrowView e = f.funded(f.create(5_000));
        IdempotencyKey key = f.key();
        MarkDelivered deliver = new MarkDelivered(Actor.seller(BOB), e.id(), null);
        long before = f.engine.get(e.id()).version();
        f.memory.failNextCommit(new IllegalStateException("power cut"));
        assertThatThrownBy(() -> f.engine.submit(key, deliver)).hasMessageContaining("power cut");
        assertThat(f.engine.get(e.id()).version()).isEqualTo(before);
        assertThat(f.engine.submit(key, deliver).milestones().get(0).status()).isEqualTo(MilestoneStatus.DELIVERED);
    }

    @Test
    void anEngineRestartedOnTheSameStoreFinishesWhatTheOldOneStarted() {
        EscrowView e = f.funded(f.create(5_000));
        f.rail.stallNext();
        f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        f.engine.close();
        EscrowEngine restarted = f.build(f.memory);
        f.rail.completeStalled();
        f.clock.advance(Duration.ofMinutes(30));
        restarted.runDueWork();
        assertThat(restarted.get(e.id()).status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(f.rail.paidOut(USD)).isEqualTo(5_000);
        assertThat(restarted.verifyAudit().intact()).isTrue();
    }

    @Test
    void aFailedRefundIsSentAgainWithBackoffUntilTheBuyerHasTheMoney() {
        EscrowView e = f.funded(f.create(5_000));
        f.rail.failNext("TEMPORARILY_UNAVAILABLE");
        f.rail.failNext("TEMPORARILY_UNAVAILABLE");
        EscrowView v = f.submit(new dev.holdfast.api.EscrowCommand.RefundMilestone(
                Actor.seller(BOB), e.id(), null, null, "out of stock"));
        assertThat(v.milestones().get(0).status()).isEqualTo(MilestoneStatus.REFUND_FAILED);
        f.engine.advanceTime(null, Duration.ofSeconds(11));
        assertThat(f.engine.get(e.id()).milestones().get(0).status()).isEqualTo(MilestoneStatus.REFUND_FAILED);
        f.engine.advanceTime(null, Duration.ofSeconds(21));
        v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.REFUNDED);
        assertThat(f.rail.returnedToBuyers(USD)).isEqualTo(5_000);
        assertThat(f.engine.history(e.id()))
                .filteredOn(ev -> ev instanceof dev.holdfast.api.EscrowEvent.PayoutRequested)
                .hasSize(3);
    }

    @Test
    void termsLongerThanTheRailCanHoldAreRefusedAndTheGuardActsBeforeTheHoldLapses() {
        EngineFixture g = new EngineFixture(Duration.ofDays(10));
        CreateEscrow tooLong = g.create(5_000); // 5 days to deliver + 3 inspection + 3 dispute = 11 days
        assertThatThrownBy(() -> g.submit(tooLong))
                .extracting(ex -> ((EscrowException) ex).code())
                .isEqualTo(ErrorCode.TERMS_EXCEED_RAIL_HOLD);
        EngineFixture h = new EngineFixture(Duration.ofDays(12));
        EscrowView e = h.funded(h.create(5_000));
        h.rail.failNext("NO_ROUTE");
        EscrowView v = h.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        assertThat(v.milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASE_FAILED);
        // nobody retries the release; the guard must give the money back before the rail's 12-day hold lapses
        h.engine.advanceTime(null, Duration.ofDays(12).minusHours(2));
        assertThat(h.engine.get(e.id()).status()).isEqualTo(EscrowStatus.FUNDED);
        h.engine.advanceTime(null, Duration.ofHours(1).plusMinutes(1));
        v = h.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.REFUNDED);
        assertThat(h.rail.returnedToBuyers(USD)).isEqualTo(5_000);
    }
}
