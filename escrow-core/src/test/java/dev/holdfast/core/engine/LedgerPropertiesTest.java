package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.USD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CancelEscrow;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowCommand.ReleaseMilestone;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.MilestoneView;
import dev.holdfast.api.Money;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.LedgerAccount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever happens to an escrow, every milestone's money is accounted for: what is still held, plus what was
 * released, refunded and kept as fee, equals what the buyer funded; the ledger agrees with the views; and a closed
 * escrow holds nothing.
 */
class LedgerPropertiesTest {

    enum Step {
        FUND,
        DELIVER,
        ACCEPT,
        RELEASE,
        REFUND,
        REFUND_PART,
        CANCEL,
        ADVANCE_HOURS,
        ADVANCE_DAYS,
        FAIL_NEXT,
        UNKNOWN_NEXT,
        STALL_NEXT,
        COMPLETE_STALLED,
        RUN_DUE_WORK
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 150)
    void everyUnitIsAccountedForAfterAnySequenceOfSteps(
            @ForAll("steps") List<Step> steps,
            @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 500_000) Integer> amounts,
            @ForAll @IntRange(min = 0, max = 2000) int bp,
            @ForAll @IntRange(min = 0, max = 2) int payer,
            @ForAll @IntRange(min = 0, max = 1_000_000) int pick) {
        EngineFixture f = new EngineFixture();
        List<MilestoneSpec> specs = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < amounts.size(); i++) {
            specs.add(new MilestoneSpec(MilestoneId.of("m" + i), "", amounts.get(i), f.inDays(3 + i)));
            total += amounts.get(i);
        }
        EscrowView e;
        try {
            e = f.submit(new CreateEscrow(
                    Actor.buyer(ALICE),
                    ALICE,
                    BOB,
                    f.rail.id(),
                    Money.of(total, USD),
                    specs,
                    new FeeSchedule(bp, 0, FeePayer.values()[payer]),
                    f.inDays(1),
                    Duration.ofDays(1),
                    Duration.ofDays(1),
                    PayoutDestination.railAddress("sandbox:bob"),
                    null,
                    "",
                    Map.of()));
        } catch (EscrowException refused) {
            return; // e.g. a seller fee that takes a whole small milestone
        }
        int n = pick;
        for (Step step : steps) {
            MilestoneId m = MilestoneId.of("m" + (n++ % amounts.size()));
            try {
                apply(f, e, step, m, n);
            } catch (EscrowException expected) {
                // refused steps change nothing; the invariants below still hold
            }
            check(f, f.engine.get(e.id()));
        }
        drain(f, e);
    }

    private static void apply(EngineFixture f, EscrowView e, Step step, MilestoneId m, int n) {
        switch (step) {
            case FUND -> f.rail.fund(e.fundingTransfer());
            case DELIVER -> f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), m));
            case ACCEPT -> f.submit(new AcceptDelivery(Actor.buyer(ALICE), e.id(), m));
            case RELEASE -> f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), m));
            case REFUND -> f.submit(new RefundMilestone(Actor.platform(), e.id(), m, null, "p"));
            case REFUND_PART -> f.submit(
                    new RefundMilestone(Actor.seller(BOB), e.id(), m, Money.of(1 + n % 997, USD), "p"));
            case CANCEL -> f.submit(new CancelEscrow(Actor.buyer(ALICE), e.id(), "p"));
            case ADVANCE_HOURS -> f.engine.advanceTime(null, Duration.ofHours(1 + n % 23));
            case ADVANCE_DAYS -> f.engine.advanceTime(null, Duration.ofDays(1));
            case FAIL_NEXT -> f.rail.failNext("NO_ROUTE");
            case UNKNOWN_NEXT -> f.rail.unknownNext();
            case STALL_NEXT -> f.rail.stallNext();
            case COMPLETE_STALLED -> f.rail.completeStalled();
            case RUN_DUE_WORK -> f.engine.runDueWork();
        }
    }

    private static void check(EngineFixture f, EscrowView v) {
        Money held = Money.zero(USD);
        for (MilestoneView m : v.milestones()) {
            held = held.plus(m.held());
            if (m.status() == MilestoneStatus.AWAITING_FUNDING || m.status() == MilestoneStatus.CANCELLED) {
                assertThat(m.held().isZero()).isTrue();
                continue;
            }
            Money feeKept = m.status() == MilestoneStatus.RELEASED
                    ? m.terms().buyerFee().plus(m.terms().sellerFee())
                    : Money.zero(USD);
            assertThat(m.held().plus(m.released()).plus(m.refunded()).plus(feeKept))
                    .as("milestone %s in %s", m.id(), m.status())
                    .isEqualTo(m.terms().funded());
        }
        assertThat(v.held()).isEqualTo(held);
        long ledger = f.memory.inTransaction(
                tx -> tx.ledger().balance(new LedgerAccount(AccountType.ESCROW_HELD, v.id().value(), USD)));
        if (closedUnfunded(v)) {
            // a payment that arrived after the escrow closed is booked and on its way back to the buyer
            assertThat(ledger).as("late funding being returned").isGreaterThanOrEqualTo(0);
        } else {
            assertThat(ledger)
                    .as("ledger holds what the view holds")
                    .isEqualTo(v.held().minor());
        }
        if (v.status().isTerminal()) {
            assertThat(v.held().isZero()).isTrue();
        }
    }

    private static boolean closedUnfunded(EscrowView v) {
        return switch (v.status()) {
            case CANCELLED, EXPIRED, FUNDING_FAILED -> true;
            default -> false;
        };
    }

    /** Once faults stop and time passes, everything settles: nothing is held anywhere for a closed escrow. */
    private static void drain(EngineFixture f, EscrowView e) {
        for (int i = 0; i < 20; i++) {
            f.rail.completeStalled();
            f.engine.advanceTime(null, Duration.ofDays(1));
            // a failed payout waits for the platform to decide; here it always refunds
            for (MilestoneView m : f.engine.get(e.id()).milestones()) {
                if (m.status() == MilestoneStatus.RELEASE_FAILED || m.status() == MilestoneStatus.REFUND_FAILED) {
                    f.submit(new RefundMilestone(Actor.platform(), e.id(), m.id(), null, "retry"));
                }
            }
        }
        EscrowView v = f.engine.get(e.id());
        assertThat(v.status().isTerminal())
                .as("closed after time ran out: %s", v)
                .isTrue();
        long ledger = f.memory.inTransaction(
                tx -> tx.ledger().balance(new LedgerAccount(AccountType.ESCROW_HELD, v.id().value(), USD)));
        assertThat(ledger).as("ledger holds nothing for a closed escrow").isZero();
        assertThat(f.rail.held(e.fundingTransfer()))
                .as("rail holds nothing for a closed escrow")
                .isZero();
    }
}
