package dev.holdfast.examples.console;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyBalance;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.TestClock;
import dev.holdfast.api.Withdraw;
import dev.holdfast.api.WithdrawalView;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.core.sandbox.SandboxRail;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Three complete escrow stories against the in-memory store and the sandbox rail, printed as a timeline: a happy
 * path with a withdrawal, a job paid per milestone (one accepted, one released automatically after inspection, one
 * partly refunded), and refunds when the seller never delivers or the buyer never funds. Time is a {@link TestClock}
 * the demo moves forward, so days pass in milliseconds.
 */
public final class ConsoleDemo {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("MMM dd HH:mm").withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T09:00:00Z"));
    private final SandboxRail sandbox = SandboxRail.builder().clock(clock).build();
    private final InMemoryStore store = new InMemoryStore();
    private final EscrowEngine engine =
            Holdfast.builder().store(store).rail(sandbox).clock(clock).build();
    private final AtomicInteger keys = new AtomicInteger();

    ConsoleDemo(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the three stories.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        new ConsoleDemo(System.out).run();
    }

    void run() {
        out.println("Holdfast console demo: in-memory store, sandbox rail, simulated time");
        happyPath();
        milestones();
        refunds();
        summary();
        engine.close();
    }

    private void happyPath() {
        heading("1. A logo for 250.00 USD: fund, deliver, accept, withdraw");
        PartyId alice = PartyId.of("alice");
        PartyId bob = PartyId.of("bob");
        EscrowView e = submit(new CreateEscrow(
                Actor.buyer(alice),
                alice,
                bob,
                sandbox.id(),
                usd(25_000),
                List.of(new MilestoneSpec(MilestoneId.of("logo"), "Logo, three drafts", 25_000, days(5))),
                new FeeSchedule(250, 30, FeePayer.BUYER),
                days(1),
                Duration.ofDays(3),
                Duration.ofDays(7),
                PayoutDestination.internalBalance(),
                null,
                "order-1001",
                Map.of("listing", "logo-design")));
        describeFunding(e);
        payAsBuyer(e);
        clock.advance(Duration.ofHours(20));
        submit(new MarkDelivered(Actor.seller(bob), e.id(), null));
        clock.advance(Duration.ofHours(5));
        IdempotencyKey acceptKey = key();
        AcceptDelivery accept = new AcceptDelivery(Actor.buyer(alice), e.id(), null);
        EscrowView accepted = engine.submit(acceptKey, accept);
        // the buyer's app lost the answer and retries with the same key: same result, nothing paid twice
        EscrowView retried = engine.submit(acceptKey, accept);
        timeline(e.id());
        out.println("  retry with the same idempotency key: same result " + retried.equals(accepted) + ", rail paid "
                + sandbox.payouts().size() + " payout(s)");
        try {
            submit(new MarkDelivered(Actor.seller(bob), e.id(), null));
        } catch (EscrowException refused) {
            out.println("  delivering again is refused and changes nothing: " + refused.code() + " (" + refused.detail()
                    + ")");
        }
        PartyBalance b = engine.balance(bob, Asset.USD);
        out.println("  bob's balance: available " + fmt(b.available()) + ", paid out " + fmt(b.paidOut()));
        WithdrawalView w = engine.withdraw(
                key(), new Withdraw(Actor.seller(bob), bob, b.available(), sandbox.id(), "sandbox:bob-bank"));
        out.println("  bob withdraws " + fmt(w.amount()) + " to " + w.destination() + ": " + w.status());
        b = engine.balance(bob, Asset.USD);
        out.println("  bob's balance: available " + fmt(b.available()) + ", paid out " + fmt(b.paidOut()));
    }

    private void milestones() {
        heading("2. A website in three milestones (1 200.00 USD, 5 % fee split between buyer and seller)");
        PartyId carol = PartyId.of("carol");
        PartyId dave = PartyId.of("dave");
        EscrowView e = submit(new CreateEscrow(
                Actor.platform(),
                carol,
                dave,
                sandbox.id(),
                usd(120_000),
                List.of(
                        new MilestoneSpec(MilestoneId.of("design"), "Design", 30_000, days(7)),
                        new MilestoneSpec(MilestoneId.of("build"), "Build", 60_000, days(14)),
                        new MilestoneSpec(MilestoneId.of("launch"), "Launch", 30_000, days(20))),
                new FeeSchedule(500, 0, FeePayer.SPLIT),
                days(2),
                Duration.ofDays(2),
                Duration.ofDays(5),
                PayoutDestination.railAddress("sandbox:dave-wallet"),
                null,
                "job-77",
                Map.of()));
        describeFunding(e);
        payAsBuyer(e);
        clock.advance(Duration.ofDays(4));
        submit(new MarkDelivered(Actor.seller(dave), e.id(), MilestoneId.of("design")));
        submit(new AcceptDelivery(Actor.buyer(carol), e.id(), MilestoneId.of("design")));
        clock.advance(Duration.ofDays(6));
        submit(new MarkDelivered(Actor.seller(dave), e.id(), MilestoneId.of("build")));
        out.println("  carol does not answer; the inspection period ends two days later");
        engine.advanceTime(null, Duration.ofDays(2).plusMinutes(1));
        submit(new RefundMilestone(
                Actor.seller(dave), e.id(), MilestoneId.of("launch"), usd(5_000), "launch a day late, 50.00 back"));
        submit(new MarkDelivered(Actor.seller(dave), e.id(), MilestoneId.of("launch")));
        submit(new AcceptDelivery(Actor.buyer(carol), e.id(), MilestoneId.of("launch")));
        timeline(e.id());
    }

    private void refunds() {
        heading("3. Deadlines: the seller never delivers, and a buyer who never pays");
        PartyId erin = PartyId.of("erin");
        PartyId frank = PartyId.of("frank");
        EscrowView e = submit(simple(erin, frank, 8_000, "order-2001"));
        payAsBuyer(e);
        out.println("  frank never delivers; the test clock moves this escrow alone 6 days ahead");
        engine.advanceTime(e.id(), Duration.ofDays(6));
        timeline(e.id());
        EscrowView unpaid = submit(simple(erin, frank, 4_000, "order-2002"));
        out.println("  erin never pays; the funding deadline passes");
        engine.advanceTime(unpaid.id(), Duration.ofDays(2));
        timeline(unpaid.id());
    }

    private void summary() {
        heading("Books");
        for (String p : List.of("alice", "bob", "carol", "dave", "erin", "frank")) {
            PartyBalance b = engine.balance(PartyId.of(p), Asset.USD);
            out.printf(
                    "  %-6s reserved %10s   pending %10s   available %10s   paid out %10s%n",
                    p, fmt(b.reservedAsBuyer()), fmt(b.pendingAsSeller()), fmt(b.available()), fmt(b.paidOut()));
        }
        var audit = engine.verifyAudit();
        out.println("  audit log: " + audit.entriesChecked() + " hash-chained entries, intact: " + audit.intact());
    }

    private CreateEscrow simple(PartyId buyer, PartyId seller, long cents, String ref) {
        return new CreateEscrow(
                Actor.buyer(buyer),
                buyer,
                seller,
                sandbox.id(),
                usd(cents),
                List.of(new MilestoneSpec(MilestoneId.of("item"), "Second-hand camera", cents, days(5))),
                FeeSchedule.none(),
                days(1),
                Duration.ofDays(2),
                Duration.ofDays(3),
                null,
                null,
                ref,
                Map.of());
    }

    private EscrowView submit(dev.holdfast.api.EscrowCommand command) {
        return engine.submit(key(), command);
    }

    private void describeFunding(EscrowView e) {
        PartyInstruction i = e.fundingInstruction().orElseThrow();
        if (i instanceof PartyInstruction.SendPayment p) {
            out.println("  funding instruction for the buyer: send " + fmt(p.amount()) + " to " + p.destination()
                    + " with reference " + p.reference() + " before " + TIME.format(p.expiresAt()));
        } else {
            out.println("  funding instruction for the buyer: " + i);
        }
    }

    private void payAsBuyer(EscrowView e) {
        sandbox.fund(e.fundingTransfer());
    }

    private void timeline(EscrowId id) {
        out.println("  timeline of " + id + ":");
        for (EscrowEvent ev : engine.history(id)) {
            out.println("    " + TIME.format(ev.at()) + "  " + Narration.describe(ev));
        }
        EscrowView v = engine.get(id);
        out.println("    => " + v.status() + ", still held " + fmt(v.held()));
    }

    private void heading(String text) {
        out.println();
        out.println(text);
        out.println("-".repeat(text.length()));
    }

    private Instant days(int n) {
        return clock.instant().plus(Duration.ofDays(n));
    }

    private IdempotencyKey key() {
        return IdempotencyKey.of("demo-" + keys.incrementAndGet());
    }

    private static Money usd(long cents) {
        return Money.of(cents, Asset.USD);
    }

    static String fmt(Money m) {
        return Narration.fmt(m);
    }
}
