package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.USD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.BondStatus;
import dev.holdfast.api.BondTerms;
import dev.holdfast.api.BondTerms.BondForfeit;
import dev.holdfast.api.BondView;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AcceptSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AppealDecision;
import dev.holdfast.api.EscrowCommand.DisputeCommand.DecideDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.EscalateDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OfferSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OpenDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.SubmitEvidence;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowCommand.RequireBond;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.MilestoneView;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.Role;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.internal.ledger.Journal;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.LedgerAccount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * Issue 3's money property: for any sequence of bonds, disputes, offers, decisions, appeals, deadlines and rail
 * faults, per asset and to the smallest unit, payouts to the seller + refunds to the buyer + platform fees kept +
 * forfeited (and returned) bonds = funded amount + posted bonds. Checked from the engine's ledger after every step
 * and against the sandbox rail's own books; after draining, every escrow and bond is closed and holds nothing.
 */
class DisputePropertiesTest {
    static final PartyId CAROL = PartyId.of("carol");
    static final PartyId DAVE = PartyId.of("dave");

    enum Step {
        FUND,
        BOND_BUYER,
        BOND_SELLER,
        POST_BONDS,
        DELIVER,
        ACCEPT_DELIVERY,
        OPEN_WHOLE,
        OPEN_MILESTONE,
        EVIDENCE,
        OFFER_RELEASE,
        OFFER_REFUND,
        OFFER_SPLIT_AMOUNT,
        OFFER_SPLIT_BP,
        ACCEPT_OFFER,
        ESCALATE,
        DECIDE,
        APPEAL,
        DECIDE_APPEAL,
        ADVANCE_HOURS,
        ADVANCE_DAY,
        ADVANCE_DAYS,
        FAIL_NEXT,
        UNKNOWN_NEXT,
        STALL_NEXT,
        COMPLETE_STALLED,
        RUN_DUE_WORK
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        // time and faults are rarer than the dispute steps, or most runs would expire before anything is disputed
        List<net.jqwik.api.Tuple.Tuple2<Integer, Step>> weighted = new ArrayList<>();
        for (Step s : Step.values()) {
            int weight =
                    switch (s) {
                        case ADVANCE_DAY, ADVANCE_DAYS, FUND, BOND_BUYER, BOND_SELLER, POST_BONDS -> 1;
                        case ADVANCE_HOURS, FAIL_NEXT, UNKNOWN_NEXT, STALL_NEXT, COMPLETE_STALLED, RUN_DUE_WORK -> 2;
                        default -> 5;
                    };
            weighted.add(net.jqwik.api.Tuple.of(weight, s));
        }
        @SuppressWarnings("unchecked")
        net.jqwik.api.Tuple.Tuple2<Integer, Step>[] pairs = weighted.toArray(new net.jqwik.api.Tuple.Tuple2[0]);
        return Arbitraries.frequency(pairs).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 300)
    void everyUnitOfEscrowAndBondsIsAccountedForAfterAnyDisputeSequence(
            @ForAll("steps") List<Step> steps,
            @ForAll @Size(min = 1, max = 2) List<@IntRange(min = 2, max = 200_000) Integer> amounts,
            @ForAll @IntRange(min = 0, max = 2000) int bp,
            @ForAll @IntRange(min = 0, max = 2) int payer,
            @ForAll boolean internalPayout,
            @ForAll @IntRange(min = 0, max = 10_000) int forfeitToPlatformBp,
            @ForAll @IntRange(min = 0, max = 1_000_000) int pick,
            @ForAll @IntRange(min = 0, max = 7) int prologue) {
        EngineFixture f = new EngineFixture()
                .withDisputes(DisputePolicy.defaults()
                        .withArbiters(List.of(CAROL, DAVE))
                        .withResponsePeriod(Duration.ofDays(1))
                        .withAppeals(true, Duration.ofHours(12)));
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
                    Duration.ofDays(3),
                    internalPayout ? PayoutDestination.internalBalance() : PayoutDestination.railAddress("sandbox:bob"),
                    null,
                    "",
                    Map.of()));
        } catch (EscrowException refused) {
            return; // e.g. a seller fee that takes a whole small milestone
        }
        Run run = new Run(f, e, amounts.size(), new BondForfeit(forfeitToPlatformBp));
        int n = pick;
        // most runs start funded, some with bonds posted; the random steps may still do anything
        List<Step> all = new ArrayList<>();
        if (prologue > 0) {
            all.add(Step.FUND);
        }
        if ((prologue & 2) != 0) {
            all.add(Step.BOND_BUYER);
        }
        if ((prologue & 4) != 0) {
            all.add(Step.BOND_SELLER);
        }
        if (prologue > 1) {
            all.add(Step.POST_BONDS);
        }
        all.addAll(steps);
        for (Step step : all) {
            try {
                run.apply(step, n++);
            } catch (EscrowException expected) {
                // refused steps change nothing; the invariants below still hold
            }
            run.check(false);
        }
        run.drain();
        run.check(true);
        if (System.getProperty("holdfast.prop.stats") != null) {
            EscrowView v = f.engine.get(e.id());
            System.out.println("STAT " + v.status() + " disputes="
                    + v.disputes().stream()
                            .map(d -> d.resolution() == null
                                    ? "open"
                                    : d.resolution().tier().name())
                            .toList()
                    + " bonds=" + v.bonds().stream().map(b -> b.status().name()).toList());
        }
    }

    /** One escrow under test and the steps on it. */
    private static final class Run {
        private final EngineFixture f;
        private final EscrowView e;
        private final int milestones;
        private final BondForfeit forfeit;

        Run(EngineFixture f, EscrowView e, int milestones, BondForfeit forfeit) {
            this.f = f;
            this.e = e;
            this.milestones = milestones;
            this.forfeit = forfeit;
        }

        private EscrowView view() {
            return f.engine.get(e.id());
        }

        private DisputeView latest() {
            List<DisputeView> all = view().disputes();
            return all.isEmpty() ? null : all.get(all.size() - 1);
        }

        private static Actor party(int n) {
            return n % 2 == 0 ? Actor.buyer(ALICE) : Actor.seller(BOB);
        }

        private DisputeOutcome decision(int n) {
            return switch (n % 4) {
                case 0 -> DisputeOutcome.release();
                case 1 -> DisputeOutcome.refund();
                case 2 -> DisputeOutcome.splitBasisPoints(1 + n % 9_999);
                default -> DisputeOutcome.splitAmount(Money.of(1 + n % 5_000, USD));
            };
        }

        void apply(Step step, int n) {
            MilestoneId m = MilestoneId.of("m" + (n % milestones));
            DisputeView d = latest();
            switch (step) {
                case FUND -> f.rail.fund(e.fundingTransfer());
                case BOND_BUYER -> f.submit(new RequireBond(
                        Actor.platform(), e.id(), BondTerms.fixed(Role.BUYER, Money.of(1 + n % 700, USD), forfeit)));
                case BOND_SELLER -> f.submit(new RequireBond(
                        Actor.platform(), e.id(), BondTerms.basisPoints(Role.SELLER, 1 + n % 1_500, forfeit)));
                case POST_BONDS -> {
                    for (BondView b : view().bonds()) {
                        f.rail.fund(b.fundingTransfer());
                    }
                }
                case DELIVER -> f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), m));
                case ACCEPT_DELIVERY -> f.submit(new AcceptDelivery(Actor.buyer(ALICE), e.id(), m));
                case OPEN_WHOLE -> f.submit(new OpenDispute(party(n), e.id(), null, "whole"));
                case OPEN_MILESTONE -> f.submit(new OpenDispute(party(n), e.id(), m, "one"));
                case EVIDENCE -> {
                    if (d != null) {
                        f.submit(new SubmitEvidence(party(n), e.id(), d.id(), "statement " + n, List.of()));
                    }
                }
                case OFFER_RELEASE, OFFER_REFUND, OFFER_SPLIT_AMOUNT, OFFER_SPLIT_BP -> {
                    if (d != null) {
                        DisputeOutcome o =
                                switch (step) {
                                    case OFFER_RELEASE -> DisputeOutcome.release();
                                    case OFFER_REFUND -> DisputeOutcome.refund();
                                    case OFFER_SPLIT_AMOUNT -> DisputeOutcome.splitAmount(Money.of(1 + n % 5_000, USD));
                                    default -> DisputeOutcome.splitBasisPoints(1 + n % 9_999);
                                };
                        f.submit(new OfferSettlement(party(n), e.id(), d.id(), o));
                    }
                }
                case ACCEPT_OFFER -> {
                    if (d != null && !d.openOffers().isEmpty()) {
                        var offer = d.openOffers().get(n % d.openOffers().size());
                        Actor other = offer.actor().role() == Role.BUYER ? Actor.seller(BOB) : Actor.buyer(ALICE);
                        f.submit(new AcceptSettlement(other, e.id(), d.id(), offer.offer()));
                    }
                }
                case ESCALATE -> {
                    if (d != null) {
                        f.submit(new EscalateDispute(party(n), e.id(), d.id()));
                    }
                }
                case DECIDE -> {
                    if (d != null && d.arbiter() != null) {
                        f.submit(new DecideDispute(Actor.arbiter(d.arbiter()), e.id(), d.id(), decision(n), "why"));
                    }
                }
                case APPEAL -> {
                    if (d != null) {
                        f.submit(new AppealDecision(party(n), e.id(), d.id(), "unfair"));
                    }
                }
                case DECIDE_APPEAL -> {
                    if (d != null && d.appealArbiter() != null) {
                        f.submit(new DecideDispute(
                                Actor.arbiter(d.appealArbiter()), e.id(), d.id(), decision(n), "final"));
                    }
                }
                case ADVANCE_HOURS -> f.engine.advanceTime(null, Duration.ofHours(1 + n % 23));
                case ADVANCE_DAY -> f.engine.advanceTime(null, Duration.ofDays(1)); // past a response deadline
                case ADVANCE_DAYS -> f.engine.advanceTime(null, Duration.ofDays(3)); // past a dispute deadline
                case FAIL_NEXT -> f.rail.failNext("NO_ROUTE");
                case UNKNOWN_NEXT -> f.rail.unknownNext();
                case STALL_NEXT -> f.rail.stallNext();
                case COMPLETE_STALLED -> f.rail.completeStalled();
                case RUN_DUE_WORK -> f.engine.runDueWork();
            }
        }

        private long ledger(AccountType type, String owner) {
            return f.memory.inTransaction(tx -> tx.ledger().balance(Journal.account(type, owner, USD)));
        }

        /**
         * The money equation from the ledger, the same against the rail's books, and, once drained, everything closed
         * and empty.
         */
        void check(boolean drained) {
            EscrowView v = view();
            Map<AccountType, Long> sums = new EnumMap<>(AccountType.class);
            for (LedgerAccount a : f.memory.inTransaction(tx -> tx.ledger().accounts())) {
                if (a.asset().equals(USD)) {
                    sums.merge(a.type(), ledger(a.type(), a.owner()), Long::sum);
                }
            }
            long in = -sums.getOrDefault(AccountType.RAIL_CLEARING, 0L);
            long toSeller = ledger(AccountType.PARTY_PAID_OUT, BOB.value())
                    + ledger(AccountType.PARTY_AVAILABLE, BOB.value())
                    + ledger(AccountType.PARTY_WITHDRAWING, BOB.value());
            long toBuyer = ledger(AccountType.PARTY_PAID_OUT, ALICE.value())
                    + ledger(AccountType.PARTY_AVAILABLE, ALICE.value())
                    + ledger(AccountType.PARTY_WITHDRAWING, ALICE.value());
            // the platform bears rail fees out of its revenue: revenue + rail fees is what it kept before them
            long platformKept =
                    sums.getOrDefault(AccountType.PLATFORM_REVENUE, 0L) + sums.getOrDefault(AccountType.RAIL_FEES, 0L);
            long stillHeld =
                    sums.getOrDefault(AccountType.ESCROW_HELD, 0L) + sums.getOrDefault(AccountType.BOND_HELD, 0L);
            assertThat(toSeller + toBuyer + platformKept + stillHeld)
                    .as("seller + buyer + platform + held = funded + posted bonds (ledger)")
                    .isEqualTo(in);

            // the same money, as the rail saw it move; a funding still stalled on the rail is not booked yet
            assertThat(f.rail.received(USD))
                    .as("the rail received at least what was booked")
                    .isGreaterThanOrEqualTo(in);
            assertThat(sums.getOrDefault(AccountType.RAIL_FEES, 0L))
                    .as("rail fees")
                    .isEqualTo(f.rail.railFees(USD));

            // issue 3's form, from the events: what came in is the funding plus the posted bonds, and no more than
            // the posted bonds was ever forfeited
            long funded = 0;
            long posted = 0;
            long forfeited = 0;
            for (EscrowEvent ev : f.engine.history(e.id())) {
                if (ev instanceof EscrowEvent.EscrowFunded fe) {
                    funded += fe.amount().minor();
                } else if (ev instanceof EscrowEvent.BondEvent.BondPosted bp) {
                    posted += bp.amount().minor();
                } else if (ev instanceof EscrowEvent.BondEvent.BondForfeited bf) {
                    forfeited += bf.toCounterparty().minor() + bf.toPlatform().minor();
                }
            }
            // a payment that reached the rail after the escrow closed unfunded (its funding's cancel had failed) is
            // booked without an EscrowFunded event, and sent back by the retried cancel
            long late = 0;
            if (funded == 0 && v.fundingTransfer() != null) {
                String lateEntry = v.fundingTransfer().value() + "/funded";
                late = f.memory.inTransaction(tx -> tx.ledger().entries(v.id().value())).stream()
                        .filter(en -> en.entryId().equals(lateEntry))
                        .flatMap(en -> en.postings().stream())
                        .filter(p -> p.account().type() == AccountType.ESCROW_HELD)
                        .mapToLong(p -> p.amountMinor())
                        .sum();
            }
            assertThat(in)
                    .as("the ledger took in the funding (or a late payment) and the posted bonds")
                    .isEqualTo(funded + late + posted);
            assertThat(forfeited + sums.getOrDefault(AccountType.BOND_HELD, 0L))
                    .as("forfeited + still held bonds never exceed the posted bonds")
                    .isLessThanOrEqualTo(posted);

            if (!drained) {
                return;
            }
            assertThat(v.status().isTerminal())
                    .as("closed after draining: %s", v)
                    .isTrue();
            assertThat(stillHeld).as("nothing held in the ledger").isZero();
            assertThat(f.rail.held(e.fundingTransfer()))
                    .as("rail holds nothing of the escrow")
                    .isZero();
            for (BondView b : v.bonds()) {
                assertThat(b.status())
                        .as("bond %s closed", b.party())
                        .isIn(BondStatus.RETURNED, BondStatus.FORFEITED, BondStatus.CANCELLED);
                assertThat(f.rail.held(b.fundingTransfer()))
                        .as("rail holds no bond")
                        .isZero();
            }
            // every unit that came in left again, as the rail saw it: to parties, to the platform, or as rail fees
            assertThat(f.rail.paidOut(USD)
                            + f.rail.returnedToBuyers(USD)
                            + f.rail.platformBalance(USD)
                            + f.rail.railFees(USD))
                    .as("rail: received = paid out + returned + platform + rail fees")
                    .isEqualTo(f.rail.received(USD));
            assertThat(in).as("booked everything the rail received").isEqualTo(f.rail.received(USD));
            assertThat(f.rail.platformBalance(USD))
                    .as("platform funds on the rail = internal balances + platform revenue")
                    .isEqualTo(sums.getOrDefault(AccountType.PARTY_AVAILABLE, 0L)
                            + sums.getOrDefault(AccountType.PARTY_WITHDRAWING, 0L)
                            + sums.getOrDefault(AccountType.PLATFORM_REVENUE, 0L));
        }

        /** Faults stop, stalled operations complete, time runs out, failed payouts are refunded by the platform. */
        void drain() {
            for (int i = 0; i < 30; i++) {
                f.rail.completeStalled();
                f.engine.advanceTime(null, Duration.ofDays(1));
                for (MilestoneView m : view().milestones()) {
                    if (m.status() == MilestoneStatus.RELEASE_FAILED || m.status() == MilestoneStatus.REFUND_FAILED) {
                        try {
                            f.submit(new RefundMilestone(Actor.platform(), e.id(), m.id(), null, "retry"));
                        } catch (EscrowException inFlight) {
                            // tried again next round
                        }
                    }
                }
            }
        }
    }
}
