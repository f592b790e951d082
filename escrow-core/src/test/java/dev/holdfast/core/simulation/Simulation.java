package dev.holdfast.core.simulation;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeStatus;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CancelEscrow;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AcceptSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AppealDecision;
import dev.holdfast.api.EscrowCommand.DisputeCommand.DecideDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.EscalateDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OfferSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OpenDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.PostDisputeMessage;
import dev.holdfast.api.EscrowCommand.DisputeCommand.SubmitEvidence;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowCommand.ReleaseMilestone;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.EvidenceAttachment;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.MilestoneView;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.TestClock;
import dev.holdfast.api.TransferId;
import dev.holdfast.api.Withdraw;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryEvidenceStore;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.core.sandbox.SandboxPayout;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.EvidenceStore.StoredEvidence;
import dev.holdfast.spi.LedgerAccount;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One seeded run: random steps, then draining, then the checks. Not thread-safe. */
final class Simulation {
    private static final Asset USD = Asset.USD;
    private static final Logger QUIET = Logger.getLogger("dev.holdfast");

    private final long seed;
    private final int steps;
    private final Random rnd;
    private final TestClock clock = new TestClock(Instant.parse("2027-01-01T00:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final InMemoryEvidenceStore evidence = new InMemoryEvidenceStore();
    private static final List<PartyId> ARBITERS =
            List.of(PartyId.of("arb0"), PartyId.of("arb1"), PartyId.of("p0"), PartyId.of("arb2"));
    private final SandboxRail rail;
    private final List<PartyId> parties = new ArrayList<>();
    private final List<EscrowId> escrows = new ArrayList<>();
    private final List<TransferId> withdrawals = new ArrayList<>();
    private final Map<String, Integer> outcomes = new java.util.TreeMap<>();
    private EscrowEngine engine;
    private int keys;
    private int restarts;
    private IdempotencyKey lastKey;
    private EscrowCommand lastCommand;
    private EscrowView lastResult;

    /** Thrown by the store at commit: the process "dies" there. */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash at commit", null, false, false);
        }
    }

    /** Bond choices draw from their own stream, so the runs without bonds keep their shape. */
    private final Random bondRnd;

    Simulation(long seed, int steps) {
        this.seed = seed;
        this.bondRnd = new Random(~seed);
        this.steps = steps;
        this.rnd = new Random(seed);
        this.rail = SandboxRail.builder()
                .clock(clock)
                .railFeeMinor(rnd.nextBoolean() ? 0 : 3)
                .maxHold(rnd.nextBoolean() ? null : Duration.ofDays(40))
                .build();
        for (int i = 0; i < 6; i++) {
            parties.add(PartyId.of("p" + i));
        }
        engine = newEngine();
    }

    private EscrowEngine newEngine() {
        return Holdfast.builder()
                .store(store)
                .rail(rail)
                .clock(clock)
                .eventSink(m -> {
                    if (rnd.nextInt(10) == 0) {
                        throw new IllegalStateException("sink down");
                    }
                })
                .config(EngineConfig.defaults().withNodeId("node-" + restarts))
                .disputes(DisputePolicy.defaults()
                        .withArbiters(ARBITERS)
                        .withResponsePeriod(Duration.ofHours(6 + rnd.nextInt(48)))
                        .withAppeals(rnd.nextBoolean(), Duration.ofHours(1 + rnd.nextInt(24))))
                .evidenceStore(evidence)
                .build();
    }

    void run() {
        Level before = QUIET.getLevel();
        QUIET.setLevel(Level.OFF);
        try {
            for (int i = 0; i < steps; i++) {
                step();
                bondStep();
            }
            drain();
            check();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(
                    "simulation failed with seed " + seed + " (replay: -Dholdfast.sim.seeds=" + seed + ") outcomes "
                            + outcomes + ": " + e.getMessage(),
                    e);
        } finally {
            QUIET.setLevel(before);
            engine.close();
        }
    }

    private void step() {
        int r = rnd.nextInt(120);
        try {
            if (r >= 100) {
                disputeStep(r - 100);
            } else if (r < 14) {
                create();
            } else if (r < 26) {
                pick(EscrowStatus.AWAITING_FUNDING).ifPresent(e -> rail.fund(e.fundingTransfer()));
            } else if (r < 36) {
                milestoneCommand(
                        MilestoneStatus.FUNDED, (e, m) -> new MarkDelivered(Actor.seller(e.seller()), e.id(), m));
            } else if (r < 44) {
                milestoneCommand(
                        MilestoneStatus.DELIVERED, (e, m) -> new AcceptDelivery(Actor.buyer(e.buyer()), e.id(), m));
            } else if (r < 48) {
                milestoneCommand(
                        MilestoneStatus.FUNDED, (e, m) -> new ReleaseMilestone(Actor.buyer(e.buyer()), e.id(), m));
            } else if (r < 52) {
                milestoneCommand(
                        MilestoneStatus.FUNDED,
                        (e, m) -> new RefundMilestone(Actor.seller(e.seller()), e.id(), m, null, "sim"));
            } else if (r < 55) {
                partialRefund();
            } else if (r < 58) {
                pick(EscrowStatus.AWAITING_FUNDING)
                        .ifPresent(e -> submit(new CancelEscrow(Actor.buyer(e.buyer()), e.id(), "sim")));
            } else if (r < 60) {
                retryFailedPayouts();
            } else if (r < 63) {
                withdraw();
            } else if (r < 66) {
                retryLast();
            } else if (r < 72) {
                clock.advance(Duration.ofMinutes(1 + rnd.nextInt(3 * 24 * 60)));
            } else if (r < 80) {
                engine.runDueWork();
            } else if (r < 82) {
                restart();
            } else if (r < 85) {
                rail.failNext(rnd.nextBoolean() ? "NO_ROUTE" : "TIMEOUT");
            } else if (r < 88) {
                rail.unknownNext();
            } else if (r < 91) {
                rail.stallNext();
            } else if (r < 94) {
                rail.completeStalled();
            } else if (r < 96) {
                rail.dropNextNotification();
            } else if (r < 97) {
                rail.duplicateNotifications(rnd.nextBoolean());
            } else {
                store.failNextCommit(new SimulatedCrash());
            }
        } catch (EscrowException e) {
            outcomes.merge(e.code().name(), 1, Integer::sum);
        } catch (SimulatedCrash crash) {
            outcomes.merge("CRASH", 1, Integer::sum);
            restart();
        }
    }

    private void create() {
        PartyId buyer = parties.get(rnd.nextInt(parties.size()));
        PartyId seller = parties.get(rnd.nextInt(parties.size()));
        int n = 1 + rnd.nextInt(3);
        List<MilestoneSpec> specs = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < n; i++) {
            long cents = 100 + rnd.nextInt(100_000);
            total += cents;
            specs.add(new MilestoneSpec(
                    MilestoneId.of("m" + i), "", cents, clock.instant().plus(Duration.ofDays(2 + rnd.nextInt(10)))));
        }
        FeeSchedule fee = new FeeSchedule(rnd.nextInt(800), rnd.nextInt(50), FeePayer.values()[rnd.nextInt(3)]);
        PayoutDestination sellerPayout = rnd.nextBoolean()
                ? PayoutDestination.internalBalance()
                : PayoutDestination.railAddress("sandbox:" + seller);
        PayoutDestination buyerRefund = rnd.nextInt(3) == 0 ? PayoutDestination.railAddress("sandbox:" + buyer) : null;
        EscrowView e = submit(new CreateEscrow(
                Actor.buyer(buyer),
                buyer,
                seller,
                rail.id(),
                Money.of(total, USD),
                specs,
                fee,
                clock.instant().plus(Duration.ofHours(1 + rnd.nextInt(36))),
                Duration.ofHours(rnd.nextInt(72)),
                Duration.ofDays(rnd.nextInt(5)),
                sellerPayout,
                buyerRefund,
                "",
                Map.of()));
        if (e != null) {
            escrows.add(e.id());
        }
    }

    /** Requires bonds on some new escrows (fixed or basis points, every forfeit destination) and pays some. */
    private void bondStep() {
        try {
            int r = bondRnd.nextInt(20);
            if (r < 2 && !escrows.isEmpty()) {
                EscrowView e = engine.get(escrows.get(escrows.size() - 1));
                dev.holdfast.api.Role party =
                        bondRnd.nextBoolean() ? dev.holdfast.api.Role.BUYER : dev.holdfast.api.Role.SELLER;
                dev.holdfast.api.BondTerms.BondForfeit forfeit = new dev.holdfast.api.BondTerms.BondForfeit(
                        List.of(0, 10_000, 2_500).get(bondRnd.nextInt(3)));
                dev.holdfast.api.BondTerms terms = bondRnd.nextBoolean()
                        ? dev.holdfast.api.BondTerms.fixed(party, Money.of(1 + bondRnd.nextInt(5_000), USD), forfeit)
                        : dev.holdfast.api.BondTerms.basisPoints(party, 1 + bondRnd.nextInt(2_000), forfeit);
                submit(new dev.holdfast.api.EscrowCommand.RequireBond(Actor.platform(), e.id(), terms));
            } else if (r < 6) {
                for (EscrowId id : escrows) {
                    for (dev.holdfast.api.BondView b : engine.get(id).bonds()) {
                        if (b.status() == dev.holdfast.api.BondStatus.REQUESTED && bondRnd.nextBoolean()) {
                            rail.fund(b.fundingTransfer());
                            return;
                        }
                    }
                }
            }
        } catch (EscrowException e) {
            outcomes.merge(e.code().name(), 1, Integer::sum);
        } catch (SimulatedCrash crash) {
            outcomes.merge("CRASH", 1, Integer::sum);
            restart();
        }
    }

    private void milestoneCommand(
            MilestoneStatus status, java.util.function.BiFunction<EscrowView, MilestoneId, EscrowCommand> command) {
        pickMilestone(status).ifPresent(p -> submit(command.apply(p.escrow, rnd.nextInt(4) == 0 ? null : p.milestone)));
    }

    private void partialRefund() {
        pickMilestone(MilestoneStatus.FUNDED).ifPresent(p -> {
            MilestoneView m = p.escrow.milestone(p.milestone).orElseThrow();
            long share = m.held().minor()
                    - m.terms().buyerFee().minor()
                    - m.terms().sellerFee().minor();
            if (share > 1) {
                submit(new RefundMilestone(
                        Actor.platform(),
                        p.escrow.id(),
                        p.milestone,
                        Money.of(1 + rnd.nextInt((int) Math.min(share - 1, 1_000_000)), USD),
                        "partial"));
            }
        });
    }

    /** Random dispute commands; many are refused (wrong party, state or window), which the outcomes count. */
    private void disputeStep(int r) {
        if (r < 4) {
            java.util.Optional<Pick> p = rnd.nextBoolean()
                    ? pickMilestone(MilestoneStatus.FUNDED)
                    : pickMilestone(MilestoneStatus.DELIVERED);
            p.ifPresent(pick -> submit(new OpenDispute(
                    anyActor(pick.escrow), pick.escrow.id(), rnd.nextInt(4) == 0 ? null : pick.milestone, "sim")));
            return;
        }
        java.util.Optional<Open> open = pickDispute();
        if (open.isEmpty()) {
            return;
        }
        EscrowView e = open.get().escrow;
        DisputeView d = open.get().dispute;
        if (r < 6) {
            StoredEvidence s =
                    evidence.put(("evidence " + rnd.nextInt()).getBytes(StandardCharsets.UTF_8), "text/plain");
            submit(new SubmitEvidence(
                    party(e),
                    e.id(),
                    d.id(),
                    "statement",
                    List.of(new EvidenceAttachment(s.reference(), s.mediaType(), s.size(), s.sha256()))));
        } else if (r < 7) {
            submit(new PostDisputeMessage(anyActor(e), e.id(), d.id(), "message"));
        } else if (r < 9) {
            submit(new OfferSettlement(party(e), e.id(), d.id(), outcome(e, d)));
        } else if (r < 11) {
            if (!d.openOffers().isEmpty()) {
                var offer = d.openOffers().get(rnd.nextInt(d.openOffers().size()));
                Actor other = offer.actor().role() == dev.holdfast.api.Role.BUYER
                        ? Actor.seller(e.seller())
                        : Actor.buyer(e.buyer());
                submit(new AcceptSettlement(rnd.nextInt(8) == 0 ? party(e) : other, e.id(), d.id(), offer.offer()));
            }
        } else if (r < 12) {
            submit(new EscalateDispute(anyActor(e), e.id(), d.id()));
        } else if (r < 14) {
            PartyId arbiter = d.status() == DisputeStatus.APPEALED ? d.appealArbiter() : d.arbiter();
            if (arbiter == null || rnd.nextInt(8) == 0) {
                arbiter = ARBITERS.get(rnd.nextInt(ARBITERS.size()));
            }
            submit(new DecideDispute(Actor.arbiter(arbiter), e.id(), d.id(), outcome(e, d), "sim decision"));
        } else {
            submit(new AppealDecision(party(e), e.id(), d.id(), "sim appeal"));
        }
    }

    private Actor party(EscrowView e) {
        return rnd.nextBoolean() ? Actor.buyer(e.buyer()) : Actor.seller(e.seller());
    }

    private Actor anyActor(EscrowView e) {
        return rnd.nextInt(5) == 0 ? Actor.platform() : party(e);
    }

    private DisputeOutcome outcome(EscrowView e, DisputeView d) {
        switch (rnd.nextInt(4)) {
            case 0:
                return DisputeOutcome.release();
            case 1:
                return DisputeOutcome.refund();
            case 2:
                return DisputeOutcome.splitBasisPoints(rnd.nextInt(10_001));
            default:
                long contested = 0;
                for (MilestoneId id : d.milestones()) {
                    MilestoneView m = e.milestone(id).orElseThrow();
                    contested += m.held().minor() - m.terms().buyerFee().minor();
                }
                return DisputeOutcome.splitAmount(Money.of(Math.floorMod(rnd.nextLong(), contested + 1), USD));
        }
    }

    private record Open(EscrowView escrow, DisputeView dispute) {}

    private java.util.Optional<Open> pickDispute() {
        List<Open> matching = new ArrayList<>();
        for (EscrowId id : escrows) {
            EscrowView v = engine.get(id);
            for (DisputeView d : v.disputes()) {
                if (!d.status().isResolved()) {
                    matching.add(new Open(v, d));
                }
            }
        }
        return matching.isEmpty()
                ? java.util.Optional.empty()
                : java.util.Optional.of(matching.get(rnd.nextInt(matching.size())));
    }

    private void retryFailedPayouts() {
        for (EscrowId id : escrows) {
            EscrowView e = engine.get(id);
            for (MilestoneView m : e.milestones()) {
                if (m.status() == MilestoneStatus.RELEASE_FAILED || m.status() == MilestoneStatus.REFUND_FAILED) {
                    try {
                        submit(new RefundMilestone(Actor.platform(), id, m.id(), null, "retry"));
                    } catch (EscrowException ignored) {
                        outcomes.merge(ignored.code().name(), 1, Integer::sum);
                    }
                    return;
                }
            }
        }
    }

    private void withdraw() {
        PartyId p = parties.get(rnd.nextInt(parties.size()));
        long available = engine.balance(p, USD).available().minor();
        if (available > 0) {
            long amount = 1 + Math.floorMod(rnd.nextLong(), available);
            withdrawals.add(engine.withdraw(
                            key(), new Withdraw(Actor.seller(p), p, Money.of(amount, USD), rail.id(), "sandbox:" + p))
                    .transferId());
        }
    }

    private void retryLast() {
        if (lastCommand == null || lastResult == null) {
            return;
        }
        EscrowView again = engine.submit(lastKey, lastCommand);
        if (!again.equals(lastResult)) {
            throw new AssertionError("retry with key " + lastKey + " returned another result:\n  first " + lastResult
                    + "\n  again " + again);
        }
    }

    private EscrowView submit(EscrowCommand command) {
        IdempotencyKey key = key();
        lastKey = key;
        lastCommand = command;
        lastResult = null;
        EscrowView v = engine.submit(key, command);
        lastResult = v;
        outcomes.merge("OK", 1, Integer::sum);
        return v;
    }

    private void restart() {
        engine.close();
        restarts++;
        engine = newEngine();
    }

    private java.util.Optional<EscrowView> pick(EscrowStatus status) {
        List<EscrowView> matching = new ArrayList<>();
        for (EscrowId id : escrows) {
            EscrowView v = engine.get(id);
            if (v.status() == status) {
                matching.add(v);
            }
        }
        return matching.isEmpty()
                ? java.util.Optional.empty()
                : java.util.Optional.of(matching.get(rnd.nextInt(matching.size())));
    }

    private record Pick(EscrowView escrow, MilestoneId milestone) {}

    private java.util.Optional<Pick> pickMilestone(MilestoneStatus status) {
        List<Pick> matching = new ArrayList<>();
        for (EscrowId id : escrows) {
            EscrowView v = engine.get(id);
            for (MilestoneView m : v.milestones()) {
                if (m.status() == status) {
                    matching.add(new Pick(v, m.id()));
                }
            }
        }
        return matching.isEmpty()
                ? java.util.Optional.empty()
                : java.util.Optional.of(matching.get(rnd.nextInt(matching.size())));
    }

    private IdempotencyKey key() {
        return IdempotencyKey.of("sim-" + seed + "-" + (++keys));
    }

    /** Faults stop; everything stalled completes; time runs until every escrow is closed and every call resolved. */
    private void drain() {
        rail.duplicateNotifications(false);
        for (int round = 0; round < 400; round++) {
            rail.completeStalled();
            try {
                engine.advanceTime(null, Duration.ofHours(12));
                retryFailedPayouts();
            } catch (EscrowException e) {
                outcomes.merge(e.code().name(), 1, Integer::sum);
            } catch (SimulatedCrash crash) {
                restart();
            }
            if (settled()) {
                return;
            }
        }
    }

    private boolean settled() {
        for (EscrowId id : escrows) {
            if (!engine.get(id).status().isTerminal()) {
                return false;
            }
        }
        return store.inTransaction(tx -> {
            for (EscrowId id : escrows) {
                if (tx.railOperations().of(id).stream()
                        .anyMatch(op -> !op.status().isFinal())) {
                    return false;
                }
            }
            for (TransferId w : withdrawals) {
                if (!tx.railOperations().find(w).orElseThrow().status().isFinal()) {
                    return false;
                }
            }
            return true;
        });
    }

    private void check() {
        List<String> problems = new ArrayList<>();
        for (EscrowId id : escrows) {
            EscrowView v = engine.get(id);
            if (!v.status().isTerminal()) {
                problems.add(id + " is still " + v.status() + " " + v.milestones());
                if (System.getProperty("holdfast.sim.debug") != null) {
                    engine.history(id).forEach(ev -> System.out.println("EV " + ev));
                }
                continue;
            }
            var open = store.inTransaction(tx -> tx.railOperations().of(id)).stream()
                    .filter(op -> !op.status().isFinal())
                    .toList();
            if (!open.isEmpty()) {
                problems.add(id + " has unresolved rail operations " + open);
            }
            if (!v.held().isZero()) {
                problems.add(id + " closed as " + v.status() + " but holds " + v.held());
            }
            long ledgerHeld = balance(AccountType.ESCROW_HELD, id.value());
            if (ledgerHeld != 0) {
                if (System.getProperty("holdfast.sim.debug") != null) {
                    engine.history(id).forEach(ev -> System.out.println("EV " + ev));
                    store.inTransaction(tx -> tx.ledger().entries(id.value()))
                            .forEach(en -> System.out.println("LE " + en));
                    store.inTransaction(tx -> tx.railOperations().of(id)).forEach(op -> System.out.println("OP " + op));
                    System.exit(3);
                }
                problems.add(id + " ledger still holds " + ledgerHeld);
            }
            for (dev.holdfast.api.BondView b : v.bonds()) {
                if (b.status() == dev.holdfast.api.BondStatus.REQUESTED
                        || b.status() == dev.holdfast.api.BondStatus.POSTED) {
                    problems.add(id + " closed as " + v.status() + " but its bond is still " + b);
                }
                if (rail.held(b.fundingTransfer()) != 0) {
                    problems.add(id + " rail still holds the bond " + b);
                }
            }
            if (v.fundingTransfer() != null && rail.held(v.fundingTransfer()) != 0) {
                problems.add(id + " rail still holds " + rail.held(v.fundingTransfer()));
            }
        }
        Set<TransferId> paid = new HashSet<>();
        for (SandboxPayout p : rail.payouts()) {
            if (!paid.add(p.transferId()) || rail.movements(p.transferId()) != 1) {
                problems.add("transfer " + p.transferId() + " moved money more than once");
            }
        }
        Map<AccountType, Long> sums = new EnumMap<>(AccountType.class);
        for (LedgerAccount a : store.inTransaction(tx -> tx.ledger().accounts())) {
            if (a.asset().equals(USD)) {
                sums.merge(a.type(), balance(a.type(), a.owner()), Long::sum);
            }
        }
        long in = -sums.getOrDefault(AccountType.RAIL_CLEARING, 0L);
        long paidOut = sums.getOrDefault(AccountType.PARTY_PAID_OUT, 0L);
        long railFees = sums.getOrDefault(AccountType.RAIL_FEES, 0L);
        long platform = sums.getOrDefault(AccountType.PARTY_AVAILABLE, 0L)
                + sums.getOrDefault(AccountType.PARTY_WITHDRAWING, 0L)
                + sums.getOrDefault(AccountType.PLATFORM_REVENUE, 0L);
        // A payment the rail gave back before the engine learned of it (cancelled hold) never enters the books; it
        // must then show on the rail as received and returned alike, and its escrow's buyer must be whole.
        long unbooked = rail.received(USD) - in;
        if (unbooked < 0) {
            problems.add("the ledger booked " + (-unbooked) + " more than the rail ever received");
        }
        expect(
                problems,
                "paid out (ledger vs rail)",
                paidOut + unbooked,
                rail.paidOut(USD) + rail.returnedToBuyers(USD));
        for (EscrowId id : escrows) {
            EscrowView v = engine.get(id);
            boolean booked = store.inTransaction(tx -> tx.ledger().entries(id.value())).stream()
                    .anyMatch(en -> en.entryId().endsWith("/funded"));
            if (!booked && v.fundingTransfer() != null && rail.buyerNetPaid(v.fundingTransfer()) != 0) {
                problems.add(id + ": the buyer is out " + rail.buyerNetPaid(v.fundingTransfer())
                        + " for a funding the books never saw");
            }
        }
        expect(problems, "rail fees (ledger vs rail)", railFees, rail.railFees(USD));
        expect(problems, "platform funds (ledger vs rail)", platform, rail.platformBalance(USD));
        expect(problems, "held by escrows (ledger)", sums.getOrDefault(AccountType.ESCROW_HELD, 0L), 0);
        expect(problems, "bonds held (ledger)", sums.getOrDefault(AccountType.BOND_HELD, 0L), 0);
        long bonds = 0;
        for (EscrowId id : escrows) {
            bonds += engine.get(id).bonds().size();
        }
        if (bonds == 0) {
            problems.add("no bond was ever required: the run says nothing about bonds");
        }
        expect(problems, "money in = out + held", in, paidOut + railFees + platform);
        var audit = engine.verifyAudit();
        if (!audit.intact()) {
            problems.add("audit chain broken: " + audit.problem());
        }
        Map<String, Integer> disputes = new java.util.TreeMap<>();
        for (EscrowId id : escrows) {
            for (DisputeView d : engine.get(id).disputes()) {
                if (d.resolution() == null) {
                    problems.add(id + " has an unresolved dispute " + d.id() + " " + d.status());
                } else {
                    disputes.merge(
                            d.resolution().tier() + "/"
                                    + d.resolution().outcome().getClass().getSimpleName(),
                            1,
                            Integer::sum);
                }
            }
        }
        if (System.getProperty("holdfast.sim.stats") != null) {
            System.out.println("seed " + seed + " outcomes " + outcomes + " disputes " + disputes);
        }
        if (disputes.values().stream().mapToInt(Integer::intValue).sum() < steps / 300) {
            problems.add("too few disputes were resolved to mean anything: " + disputes);
        }
        if (outcomes.getOrDefault("OK", 0) < steps / 20) {
            problems.add("too few commands succeeded to mean anything: " + outcomes);
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    private long balance(AccountType type, String owner) {
        return store.inTransaction(tx -> tx.ledger().balance(new LedgerAccount(type, owner, USD)));
    }

    private static void expect(List<String> problems, String what, long actual, long expected) {
        if (actual != expected) {
            problems.add(what + ": " + actual + " but expected " + expected);
        }
    }
}
