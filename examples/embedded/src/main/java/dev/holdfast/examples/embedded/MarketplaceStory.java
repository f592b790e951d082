package dev.holdfast.examples.embedded;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.AuditVerification;
import dev.holdfast.api.DisputeId;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.DisputeCommand.AcceptSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OfferSettlement;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OpenDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.SubmitEvidence;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowPage;
import dev.holdfast.api.EscrowQuery;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.EvidenceAttachment;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyBalance;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.Withdraw;
import dev.holdfast.api.WithdrawalView;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.spi.EvidenceStore;
import dev.holdfast.spi.EvidenceStore.StoredEvidence;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One order on a freelance marketplace: a website in two milestones, 1 000.00 USD, 5 % fee paid by the seller. The
 * design milestone is accepted and released; the build milestone is disputed and settled by a split; the seller
 * withdraws what the marketplace holds for her.
 *
 * <p>Idempotency: every key is the marketplace's order number plus the step ({@code order-1002/accept-design}), as a
 * host would derive it from its own records, so a retried request is answered from the store instead of acting
 * twice. Each run is a new order: its number follows the escrows already in the database, which is also what shows
 * that the earlier runs are still there.
 */
final class MarketplaceStory {
    static final PartyId BUYER = PartyId.of("ana");
    static final PartyId SELLER = PartyId.of("ben");
    static final MilestoneId DESIGN = MilestoneId.of("design");
    static final MilestoneId BUILD = MilestoneId.of("build");

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final EscrowEngine engine;
    private final SandboxRail rail;
    private final EvidenceStore evidence;
    private final PrintStream out;
    private String order;

    MarketplaceStory(EscrowEngine engine, SandboxRail rail, EvidenceStore evidence, PrintStream out) {
        this.engine = engine;
        this.rail = rail;
        this.evidence = evidence;
        this.out = out;
    }

    void run() {
        List<EscrowView> earlier = allEscrows();
        out.println("Escrows already in the database: " + earlier.size());
        earlier.forEach(e -> out.println("  " + line(e)));
        order = "order-" + (1001 + earlier.size());

        out.println();
        out.println(order + ": a website from " + SELLER + " for " + BUYER + ", two milestones");
        CreateEscrow create = create(order);
        EscrowView escrow = submit("create", create);
        // the marketplace lost the answer and retries with the same key: the same escrow, not a second one
        EscrowView retried = submit("create", create);
        out.println("  created " + escrow.id() + "; a retry with the same key returns " + retried.id());

        rail.fund(escrow.fundingTransfer()); // the sandbox plays the buyer's bank paying the funding instruction
        out.println("  funded: " + engine.get(escrow.id()).status() + ", held "
                + fmt(engine.get(escrow.id()).held()));

        submit("deliver-design", new MarkDelivered(Actor.seller(SELLER), escrow.id(), DESIGN));
        submit("accept-design", new AcceptDelivery(Actor.buyer(BUYER), escrow.id(), DESIGN));
        out.println("  design accepted and released");

        submit("deliver-build", new MarkDelivered(Actor.seller(SELLER), escrow.id(), BUILD));
        EscrowView disputed = submit(
                "dispute-build",
                new OpenDispute(Actor.buyer(BUYER), escrow.id(), BUILD, "the contact page is missing"));
        DisputeId dispute = disputed.disputes().get(0).id();
        StoredEvidence screenshot =
                evidence.put("<html>no contact page</html>".getBytes(StandardCharsets.UTF_8), "text/html");
        submit(
                "evidence-build",
                new SubmitEvidence(
                        Actor.buyer(BUYER),
                        escrow.id(),
                        dispute,
                        "the site as delivered",
                        List.of(new EvidenceAttachment(
                                screenshot.reference(),
                                screenshot.mediaType(),
                                screenshot.size(),
                                screenshot.sha256()))));
        EscrowView offered = submit(
                "offer-build",
                new OfferSettlement(
                        Actor.seller(SELLER), escrow.id(), dispute, DisputeOutcome.splitAmount(usd(45_000))));
        int offer = offered.dispute(dispute).orElseThrow().openOffers().get(0).offer();
        EscrowView settled =
                submit("settle-build", new AcceptSettlement(Actor.buyer(BUYER), escrow.id(), dispute, offer));
        out.println("  build disputed by " + BUYER + ", settled: 450.00 USD to " + SELLER + ", the rest back: "
                + settled.dispute(dispute).orElseThrow().status());

        Money available = engine.balance(SELLER, Asset.USD).available();
        WithdrawalView withdrawal = engine.withdraw(
                key("withdraw"), new Withdraw(Actor.seller(SELLER), SELLER, available, rail.id(), "sandbox:ben-bank"));
        out.println("  " + SELLER + " withdraws " + fmt(withdrawal.amount()) + ": " + withdrawal.status());

        out.println();
        out.println("History of " + escrow.id() + ":");
        for (EscrowEvent event : engine.history(escrow.id())) {
            out.println("  " + TIME.format(event.at()) + "  " + describe(event));
        }
        out.println("  => " + line(engine.get(escrow.id())));

        out.println();
        out.println("Balances (all orders so far):");
        balance(BUYER);
        balance(SELLER);
        AuditVerification audit = engine.verifyAudit();
        out.println("Audit log: " + audit.entriesChecked() + " hash-chained entries, intact: " + audit.intact());
        out.println("Escrows in the database now: " + allEscrows().size());
    }

    private CreateEscrow create(String reference) {
        Instant now = Instant.now();
        return new CreateEscrow(
                Actor.platform(),
                BUYER,
                SELLER,
                rail.id(),
                usd(100_000),
                List.of(
                        new MilestoneSpec(DESIGN, "Design", 40_000, now.plus(Duration.ofDays(7))),
                        new MilestoneSpec(BUILD, "Build", 60_000, now.plus(Duration.ofDays(21)))),
                new FeeSchedule(500, 0, FeePayer.SELLER),
                now.plus(Duration.ofDays(2)), // fund by
                Duration.ofDays(3), // inspection period after each delivery
                Duration.ofDays(14), // longest a dispute may freeze the money
                PayoutDestination.internalBalance(), // releases land on the seller's balance; she withdraws later
                null,
                reference,
                Map.of("listing", "website"));
    }

    private EscrowView submit(String step, EscrowCommand command) {
        return engine.submit(key(step), command);
    }

    private IdempotencyKey key(String step) {
        return IdempotencyKey.of(order + "/" + step);
    }

    private List<EscrowView> allEscrows() {
        List<EscrowView> all = new ArrayList<>();
        EscrowQuery query = EscrowQuery.firstPage(null, EscrowQuery.MAX_LIMIT);
        while (true) {
            EscrowPage page = engine.list(query);
            all.addAll(page.items());
            if (page.nextCursor() == null) {
                return all;
            }
            query = query.after(page.nextCursor());
        }
    }

    private void balance(PartyId party) {
        PartyBalance b = engine.balance(party, Asset.USD);
        out.println("  " + party + ": reserved " + fmt(b.reservedAsBuyer()) + ", pending " + fmt(b.pendingAsSeller())
                + ", available " + fmt(b.available()) + ", paid out " + fmt(b.paidOut()));
    }

    private static String line(EscrowView e) {
        return e.id() + " " + e.reference() + " " + e.status() + ", amount " + fmt(e.amount()) + ", held "
                + fmt(e.held());
    }

    private static String describe(EscrowEvent event) {
        String name = event.getClass().getSimpleName();
        if (event instanceof EscrowEvent.PayoutRequested p) {
            return name + ": " + p.kind() + " of " + p.milestone() + ", " + fmt(p.amount()) + " to "
                    + (p.kind() == PayoutKind.RELEASE ? "the seller" : "the buyer") + ", platform fee "
                    + fmt(p.platformFee());
        }
        return name;
    }

    private static Money usd(long cents) {
        return Money.of(cents, Asset.USD);
    }

    /** For display only; the engine itself never leaves whole minor units. */
    static String fmt(Money m) {
        return BigDecimal.valueOf(m.minor(), m.asset().scale()).toPlainString() + " "
                + m.asset().code();
    }
}
