package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CancelEscrow;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Withdraw;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every refusal carries a specific code, and leaves no trace: no event, no audit entry, no ledger line, no key used. */
class BadInputTest {
    private final EngineFixture f = new EngineFixture();
    private EscrowView funded;

    @BeforeEach
    void oneFundedEscrow() {
        funded = f.funded(f.create(10_000));
    }

    private void refused(ErrorCode code, EscrowCommand command) {
        String before = snapshot();
        IdempotencyKey key = f.key();
        assertThatThrownBy(() -> f.engine.submit(key, command))
                .isInstanceOf(EscrowException.class)
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(code);
        assertThat(snapshot()).as("nothing changed").isEqualTo(before);
        // the key was not consumed: a valid request can use it
        EscrowView ok = f.engine.submit(key, f.create(100));
        assertThat(ok.id()).isNotNull();
    }

    private String snapshot() {
        StringBuilder out = new StringBuilder();
        try {
            f.engine.exportAudit(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out + "|" + f.engine.get(funded.id()) + "|" + f.engine.balance(ALICE, Asset.USD) + "|"
                + f.engine.balance(BOB, Asset.USD);
    }

    private CreateEscrow with(UnaryOperator<Object[]> change) {
        CreateEscrow c = f.create(10_000);
        Object[] a = {
            c.actor(),
            c.buyer(),
            c.seller(),
            c.rail(),
            c.amount(),
            c.milestones(),
            c.fee(),
            c.fundBy(),
            c.inspectionPeriod(),
            c.disputeWindow(),
            c.sellerPayout(),
            c.buyerRefund(),
            c.reference(),
            c.metadata()
        };
        a = change.apply(a);
        @SuppressWarnings("unchecked")
        CreateEscrow out = new CreateEscrow(
                (Actor) a[0],
                (PartyId) a[1],
                (PartyId) a[2],
                (RailId) a[3],
                (Money) a[4],
                (List<MilestoneSpec>) a[5],
                (FeeSchedule) a[6],
                (java.time.Instant) a[7],
                (Duration) a[8],
                (Duration) a[9],
                (dev.holdfast.api.PayoutDestination) a[10],
                (dev.holdfast.api.PayoutDestination) a[11],
                (String) a[12],
                (Map<String, String>) a[13]);
        return out;
    }

    private List<MilestoneSpec> one(long amount) {
        return List.of(new MilestoneSpec(MilestoneId.of("m1"), "", amount, f.inDays(5)));
    }

    @Test
    void negativeAndZeroAmountsAreRefused() {
        refused(ErrorCode.INVALID_AMOUNT, with(a -> set(a, 4, usd(-1))));
        refused(ErrorCode.INVALID_AMOUNT, with(a -> set(set(a, 4, usd(0)), 5, one(0))));
        refused(
                ErrorCode.INVALID_AMOUNT,
                with(a -> set(
                        a,
                        5,
                        List.of(
                                new MilestoneSpec(MilestoneId.of("m1"), "", 10_001, f.inDays(5)),
                                new MilestoneSpec(MilestoneId.of("m2"), "", -1, f.inDays(5))))));
    }

    @Test
    void milestoneSumsThatDoNotMatchAreRefused() {
        refused(ErrorCode.MILESTONE_SUM_MISMATCH, with(a -> set(a, 5, one(9_999))));
    }

    @Test
    void duplicateOrMissingMilestonesAreRefused() {
        refused(ErrorCode.INVALID_MILESTONES, with(a -> set(a, 5, List.of())));
        refused(
                ErrorCode.INVALID_MILESTONES,
                with(a -> set(
                        a,
                        5,
                        List.of(
                                new MilestoneSpec(MilestoneId.of("m1"), "", 5_000, f.inDays(5)),
                                new MilestoneSpec(MilestoneId.of("m1"), "", 5_000, f.inDays(5))))));
    }

    @Test
    void unknownAssetsAndRailsAreRefused() {
        refused(ErrorCode.ASSET_NOT_SUPPORTED, with(a -> set(a, 4, Money.of(10_000, new Asset("DOGE", 8)))));
        refused(ErrorCode.RAIL_NOT_FOUND, with(a -> set(a, 3, RailId.of("nowhere"))));
        assertThatThrownBy(() -> new Asset("no such", 2))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INVALID_ASSET);
    }

    @Test
    void deadlinesInThePastOrOutOfOrderAreRefused() {
        refused(
                ErrorCode.DEADLINE_IN_PAST,
                with(a -> set(a, 7, f.clock.instant().minusSeconds(1))));
        refused(
                ErrorCode.DEADLINE_IN_PAST,
                with(a -> set(a, 5, List.of(new MilestoneSpec(MilestoneId.of("m1"), "", 10_000, f.clock.instant())))));
        refused(ErrorCode.INVALID_DEADLINES, with(a -> set(a, 7, f.inDays(6))));
        refused(ErrorCode.INVALID_DEADLINES, with(a -> set(a, 8, Duration.ofDays(-1))));
    }

    @Test
    void buyerAndSellerMustDifferAndTheActorMustBeTheBuyer() {
        refused(ErrorCode.SAME_PARTY, with(a -> set(a, 2, ALICE)));
        refused(ErrorCode.PARTY_NOT_ALLOWED, with(a -> set(a, 0, Actor.buyer(BOB))));
        refused(ErrorCode.PARTY_NOT_ALLOWED, with(a -> set(a, 0, Actor.seller(BOB))));
    }

    @Test
    void feesThatLeaveTheSellerNothingAreRefused() {
        refused(ErrorCode.INVALID_FEE, with(a -> set(a, 6, new FeeSchedule(0, 10_000, FeePayer.SELLER))));
    }

    @Test
    void wrongStateIsRefused() {
        refused(ErrorCode.INVALID_STATE, new AcceptDelivery(Actor.buyer(ALICE), funded.id(), null));
        refused(ErrorCode.INVALID_STATE, new CancelEscrow(Actor.buyer(ALICE), funded.id(), "changed my mind"));
        f.submit(new MarkDelivered(Actor.seller(BOB), funded.id(), null));
        refused(ErrorCode.INVALID_STATE, new MarkDelivered(Actor.seller(BOB), funded.id(), MilestoneId.of("m1")));
    }

    @Test
    void wrongPartyIsRefused() {
        refused(ErrorCode.PARTY_NOT_ALLOWED, new MarkDelivered(Actor.buyer(ALICE), funded.id(), null));
        refused(ErrorCode.PARTY_NOT_ALLOWED, new MarkDelivered(Actor.seller(PartyId.of("mallory")), funded.id(), null));
        refused(ErrorCode.PARTY_NOT_ALLOWED, new RefundMilestone(Actor.buyer(ALICE), funded.id(), null, null, "mine"));
    }

    @Test
    void unknownEscrowsAndMilestonesAreRefused() {
        refused(ErrorCode.ESCROW_NOT_FOUND, new MarkDelivered(Actor.seller(BOB), EscrowId.of("esc_nope"), null));
        refused(ErrorCode.MILESTONE_NOT_FOUND, new MarkDelivered(Actor.seller(BOB), funded.id(), MilestoneId.of("m9")));
    }

    @Test
    void partialRefundsMustBeOfTheEscrowAssetAndLeaveTheSellerSomething() {
        MilestoneId m1 = MilestoneId.of("m1");
        refused(
                ErrorCode.ASSET_MISMATCH,
                new RefundMilestone(Actor.seller(BOB), funded.id(), m1, Money.of(1, Asset.EUR), ""));
        refused(ErrorCode.INVALID_AMOUNT, new RefundMilestone(Actor.seller(BOB), funded.id(), m1, usd(10_000), ""));
        refused(ErrorCode.INVALID_AMOUNT, new RefundMilestone(Actor.seller(BOB), funded.id(), m1, usd(0), ""));
    }

    @Test
    void withdrawalsBeyondTheAvailableBalanceAreRefused() {
        String before = snapshot();
        assertThatThrownBy(() -> f.engine.withdraw(
                        f.key(), new Withdraw(Actor.seller(BOB), BOB, usd(1), f.rail.id(), "sandbox:bob")))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INSUFFICIENT_BALANCE);
        assertThatThrownBy(() -> f.engine.withdraw(
                        f.key(), new Withdraw(Actor.seller(ALICE), BOB, usd(1), f.rail.id(), "sandbox:bob")))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.PARTY_NOT_ALLOWED);
        assertThat(snapshot()).isEqualTo(before);
    }

    private static Object[] set(Object[] a, int i, Object v) {
        a[i] = v;
        return a;
    }
}
