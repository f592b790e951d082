package dev.holdfast.openpayments;

import static dev.holdfast.openpayments.OpenPaymentsSimulatorFixture.BUYER;
import static dev.holdfast.openpayments.OpenPaymentsSimulatorFixture.USD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.openpayments.simulator.OpenPaymentsSimulator;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The refusals issue 6 asks for, seen from the rail against the Open Payments simulator: consent denied, a finish
 * redirect whose {@code hash} does not match, expired access tokens, and the escrow grant's debit limit. Each one is
 * answered as {@code docs/rails/openpayments.md} says, and none of them moves money.
 */
class OpenPaymentsRailRefusalsTest {
    private static final long BUYER_START = 1_000_000_000_000L;
    private static final AtomicInteger IDS = new AtomicInteger();

    private OpenPaymentsSimulatorFixture fixture = new OpenPaymentsSimulatorFixture();
    private final List<RailNotification> notifications = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void consentDeniedAtTheBuyersWalletFailsTheFundingWithConsentDeniedAndMovesNothing() {
        OpenPaymentsPaymentRail rail = rail();
        OpenPaymentsSimulator sim = fixture.simulator();
        FundingRequest request = funding(25_000);
        PartyInstruction.ApproveAt approve = approveAt(rail.openFunding(request));
        assertThat(approve.party()).isEqualTo(Role.BUYER);

        sim.denyNext();
        Map<String, String> finish = fixture.browse(approve.url());
        assertThat(finish).containsEntry("result", "grant_rejected").doesNotContainKey("hash");
        RailResult rejected = rail.onInteractionRejected(request.transferId());

        assertThat(rejected.status()).isEqualTo(RailStatus.FAILED);
        assertThat(rejected.error().code()).isEqualTo("CONSENT_DENIED");
        // What the engine's reconciler sees when it asks about the funding: final, with the same code.
        RailResult seen = rail.query(request.transferId());
        assertThat(seen.status()).isEqualTo(RailStatus.FAILED);
        assertThat(seen.error().code()).isEqualTo("CONSENT_DENIED");
        assertThat(notifications).noneMatch(RailNotification.Funded.class::isInstance);
        // The escrow wallet's incoming payment is closed to any later payment; nothing was paid or sent.
        assertThat(sim.incomingPayments("escrow")).singleElement().satisfies(ip -> {
            assertThat(ip.completed()).isTrue();
            assertThat(ip.receivedAmount()).isZero();
        });
        assertThat(sim.outgoingPayments("buyer")).isEmpty();
        assertThat(sim.balance("buyer")).isEqualTo(BUYER_START);
        assertThat(sim.balance("escrow")).isZero();
        // A late finish redirect for the refused funding changes nothing.
        assertThat(rail.onInteractionFinished(request.transferId(), "late", "late")
                        .status())
                .isEqualTo(RailStatus.FAILED);
        assertThat(sim.outgoingPayments("buyer")).isEmpty();
    }

    @Test
    void aFinishRedirectWhoseHashDoesNotMatchIsRejectedTheFundingKeepsWaitingAndNoOutgoingPaymentIsMade() {
        OpenPaymentsPaymentRail rail = rail();
        OpenPaymentsSimulator sim = fixture.simulator();
        FundingRequest request = funding(25_000);
        PartyInstruction.ApproveAt approve = approveAt(rail.openFunding(request));
        sim.approveNext();
        Map<String, String> finish = fixture.browse(approve.url());
        String genuineRef = finish.get("interact_ref");
        String genuineHash = finish.get("hash");

        // A forged hash for the genuine interaction reference, and the genuine hash for another reference.
        RailResult forgedHash = rail.onInteractionFinished(request.transferId(), genuineRef, flip(genuineHash));
        RailResult forgedRef = rail.onInteractionFinished(request.transferId(), genuineRef + "x", genuineHash);
        RailResult noHash = rail.onInteractionFinished(request.transferId(), genuineRef, null);

        for (RailResult r : List.of(forgedHash, forgedRef, noHash)) {
            assertThat(r.status()).isEqualTo(RailStatus.PENDING);
            assertThat(r.error().code()).isEqualTo("INTERACTION_HASH_MISMATCH");
            assertThat(r.instruction()).isEqualTo(approve);
        }
        assertThat(sim.outgoingPayments("buyer")).isEmpty();
        assertThat(sim.balance("buyer")).isEqualTo(BUYER_START);
        assertThat(sim.balance("escrow")).isZero();
        assertThat(rail.query(request.transferId()).status()).isEqualTo(RailStatus.PENDING);

        // The grant was never continued, so the genuine redirect still funds the escrow, exactly once.
        rail.onInteractionFinished(request.transferId(), genuineRef, genuineHash);
        assertThat(awaitFunding(rail, request.transferId())).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(sim.outgoingPayments("buyer")).hasSize(1);
        assertThat(sim.balance("escrow")).isEqualTo(25_000);
        assertThat(sim.balance("buyer")).isEqualTo(BUYER_START - 25_000);
    }

    @Test
    void expiredAccessTokensAreRotatedAndTheNextFundingAndPayoutGoThrough() {
        OpenPaymentsPaymentRail rail = rail();
        OpenPaymentsSimulator sim = fixture.simulator();
        FundingRequest first = fundedFunding(rail, 25_000);

        // Past the simulator's token lifetime (10 min): the cached incoming-payment and quote tokens and the escrow
        // grant's token are all refused now; the rail must rotate them, not fail and not resend blindly.
        fixture.mutableClock().advance(Duration.ofMinutes(11));

        FundingRequest second = funding(4_000);
        RailResult opened = rail.openFunding(second);
        assertThat(opened.status()).as("%s", opened).isEqualTo(RailStatus.PENDING);
        assertThat(opened.instruction()).isInstanceOf(PartyInstruction.ApproveAt.class);

        String seller = sim.createWallet("seller-" + IDS.incrementAndGet(), "USD", 2, 0);
        RailResult paid = rail.payout(release(first, 25_000, seller));
        assertThat(paid.status()).as("%s", paid).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(sim.balance(name(seller))).isEqualTo(25_000);
        assertThat(sim.balance("escrow")).isZero();
        assertThat(sim.outgoingPayments("escrow")).hasSize(1);
    }

    @Test
    void aPayoutBeyondTheEscrowGrantsDebitLimitFailsWithInsufficientGrantAndMovesNoMoney() {
        fixture.close();
        fixture = new OpenPaymentsSimulatorFixture(10_000);
        OpenPaymentsPaymentRail rail = rail();
        OpenPaymentsSimulator sim = fixture.simulator();
        FundingRequest funding = fundedFunding(rail, 25_000);
        String seller = sim.createWallet("seller-" + IDS.incrementAndGet(), "USD", 2, 0);

        PayoutRequest overLimit = release(funding, 25_000, seller);
        RailResult over = rail.payout(overLimit);

        assertThat(over.status()).isEqualTo(RailStatus.FAILED);
        assertThat(over.error().code()).isEqualTo("OP_INSUFFICIENT_GRANT");
        assertThat(rail.query(overLimit.transferId()).status()).isEqualTo(RailStatus.FAILED);
        assertThat(sim.outgoingPayments("escrow")).isEmpty();
        assertThat(sim.balance(name(seller))).isZero();
        assertThat(sim.balance("escrow")).isEqualTo(25_000);

        // The refused payout drew nothing: a payout within the grant's limit still goes through.
        RailResult within = rail.payout(release(funding, 10_000, seller));
        assertThat(within.status()).as("%s", within).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(sim.balance(name(seller))).isEqualTo(10_000);
        assertThat(sim.balance("escrow")).isEqualTo(15_000);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private OpenPaymentsPaymentRail rail() {
        OpenPaymentsPaymentRail rail = fixture.openPaymentsRail();
        rail.setListener(notifications::add);
        return rail;
    }

    private FundingRequest funding(long minor) {
        String id = "fund-" + IDS.incrementAndGet();
        Instant now = fixture.mutableClock().instant();
        return new FundingRequest(
                TransferId.of(id),
                EscrowId.of("escrow-" + id),
                Money.of(minor, USD),
                BUYER,
                PartyId.of("seller"),
                now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(3)),
                Map.of());
    }

    private FundingRequest fundedFunding(OpenPaymentsPaymentRail rail, long minor) {
        FundingRequest request = funding(minor);
        PartyInstruction.ApproveAt approve = approveAt(rail.openFunding(request));
        fixture.simulator().approveNext();
        Map<String, String> finish = fixture.browse(approve.url());
        rail.onInteractionFinished(request.transferId(), finish.get("interact_ref"), finish.get("hash"));
        assertThat(awaitFunding(rail, request.transferId())).isEqualTo(RailStatus.SUCCEEDED);
        return request;
    }

    private PayoutRequest release(FundingRequest funding, long minor, String wallet) {
        return new PayoutRequest(
                TransferId.of("release-" + IDS.incrementAndGet()),
                PayoutKind.RELEASE,
                funding.escrowId(),
                funding.transferId(),
                funding.seller(),
                Money.of(minor, USD),
                Money.zero(USD),
                new PayoutDestination.RailAddress(wallet),
                false);
    }

    private static PartyInstruction.ApproveAt approveAt(RailResult opened) {
        assertThat(opened.status()).as("%s", opened).isEqualTo(RailStatus.PENDING);
        return (PartyInstruction.ApproveAt) opened.instruction();
    }

    private static RailStatus awaitFunding(OpenPaymentsPaymentRail rail, TransferId id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RailStatus s = rail.query(id).status();
        while (s == RailStatus.PENDING && System.nanoTime() < deadline) {
            sleep();
            s = rail.query(id).status();
        }
        return s;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String flip(String base64) {
        char c = base64.charAt(0);
        return (c == 'A' ? 'B' : 'A') + base64.substring(1);
    }

    private static String name(String walletUrl) {
        return walletUrl.substring(walletUrl.lastIndexOf('/') + 1);
    }
}
