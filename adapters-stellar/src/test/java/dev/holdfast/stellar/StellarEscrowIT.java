package dev.holdfast.stellar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CancelEscrow;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.SubmitPartyResponse;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PendingInstruction;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.LedgerAccount;
import dev.holdfast.stellar.internal.EscrowTransactions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.AbstractTransaction;
import org.stellar.sdk.AssetTypeNative;
import org.stellar.sdk.Transaction;

/**
 * The whole engine ({@code escrow-core} on the in-memory store) over the Stellar rail, against the Horizon simulator
 * over HTTP. Engine, rail and simulator share one clock. Escrows in XLM, so every platform cost (reserve lent and
 * returned, network fees) is in the escrow's own asset and shows on the simulator's balances.
 */
class StellarEscrowIT {
    private static final PartyId BUYER = HorizonSimulatorFixture.BUYER;
    private static final PartyId SELLER = HorizonSimulatorFixture.SELLER;
    private static final MilestoneId M1 = MilestoneId.of("m1");
    private static final Duration ASYNC = Duration.ofSeconds(20);
    private static final long FEE = EscrowTransactions.BASE_FEE;

    private final InMemoryStore store = new InMemoryStore();
    private final AtomicInteger keys = new AtomicInteger();
    private HorizonSimulatorFixture fixture;
    private EscrowEngine engine;

    private void start() {
        fixture = new HorizonSimulatorFixture(Asset.XLM);
        engine = Holdfast.builder()
                .store(store)
                .rail(fixture.rail)
                .clock(fixture.clock)
                .config(EngineConfig.defaults().withNodeId("stellar-it"))
                .build();
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    /** What the platform lends an XLM escrow account: the minimum balance with 5 signers, and the fee buffer. */
    private long lent() {
        return new EscrowTransactions(null, fixture.platform, new AssetTypeNative()).minimumBalance()
                + fixture.config.feeBufferStroops();
    }

    @Test
    void anXlmEscrowIsFundedReleasedCoSignedByTheBuyerAndMergedWithFeesAndFloatInTheLedger() throws Exception {
        start();
        long amount = 50_000_000; // 5 XLM
        long platformFee = 500_000; // 1 % borne by the seller
        long toSeller = amount - platformFee;
        String platform = fixture.platform.getAccountId();
        String buyer = fixture.buyer.getAccountId();
        String seller = fixture.seller.getAccountId();
        long platformBefore = fixture.sim.balanceStroops(platform);
        long buyerBefore = fixture.sim.balanceStroops(buyer);
        long sellerBefore = fixture.sim.balanceStroops(seller);

        EscrowView created = submit(
                create(amount, new FeeSchedule(100, 0, FeePayer.SELLER), new PayoutDestination.RailAddress(seller)));
        assertThat(created.status()).isEqualTo(EscrowStatus.AWAITING_FUNDING);
        PartyInstruction.SignTransaction funding =
                (PartyInstruction.SignTransaction) created.fundingInstruction().orElseThrow();
        assertThat(funding.party()).isEqualTo(Role.BUYER);

        // The buyer signs in their wallet and submits it to Horizon; the rail sees it on the escrow account's stream.
        assertThat(fixture.wallet.submitTransactionXdr(fixture.sign(funding)).isSuccess())
                .isTrue();
        EscrowView funded = awaitView(created.id(), v -> v.status() == EscrowStatus.FUNDED);
        String escrowAccount = sourceOf(funding);
        assertThat(fixture.sim.balanceStroops(escrowAccount)).isEqualTo(lent() + amount - 7 * FEE);
        assertThat(ledger(AccountType.RAIL_FLOAT, floatOwner(created.id()))).isEqualTo(lent());
        assertThat(ledger(AccountType.PLATFORM_FLOAT, "platform")).isEqualTo(-lent());
        assertThat(ledger(AccountType.RAIL_FEES, railFeesOwner()))
                .as("creating the account (1 operation) and the buyer's funding transaction (7)")
                .isEqualTo(8 * FEE);

        submit(new MarkDelivered(Actor.seller(SELLER), funded.id(), M1));
        EscrowView releasing = submit(new AcceptDelivery(Actor.buyer(BUYER), funded.id(), M1));
        TransferId payout = releasing.milestones().get(0).payoutTransfer();
        PartyInstruction.SignTransaction coSign = instruction(releasing, payout);
        assertThat(coSign.party()).isEqualTo(Role.BUYER);

        EscrowView released =
                submit(new SubmitPartyResponse(Actor.buyer(BUYER), funded.id(), payout, fixture.sign(coSign)));
        assertThat(released.status()).isEqualTo(EscrowStatus.RELEASED);

        // On the simulator: the seller got the amount less the fee, the account is merged back into the platform's.
        long fees = (1 + 7 + 3) * FEE; // create, funding, release (payment, fee payment, merge)
        assertThat(fixture.sim.accountExists(escrowAccount)).isFalse();
        assertThat(fixture.sim.balanceStroops(seller) - sellerBefore).isEqualTo(toSeller);
        assertThat(buyerBefore - fixture.sim.balanceStroops(buyer)).isEqualTo(amount);
        assertThat(fixture.sim.balanceStroops(platform) - platformBefore).isEqualTo(platformFee - fees);

        // In the ledger: the same, and the float is back where it started.
        assertThat(engine.balance(SELLER, Asset.XLM).paidOut()).isEqualTo(Money.of(toSeller, Asset.XLM));
        assertThat(ledger(AccountType.RAIL_FEES, railFeesOwner()))
                .as("every network fee the simulator charged")
                .isEqualTo(fees);
        assertThat(ledger(AccountType.PLATFORM_REVENUE, "platform")).isEqualTo(platformFee - fees);
        assertThat(ledger(AccountType.RAIL_FLOAT, floatOwner(created.id()))).isZero();
        assertThat(ledger(AccountType.PLATFORM_FLOAT, "platform")).isZero();
        assertThat(ledger(AccountType.ESCROW_HELD, created.id().value())).isZero();
        assertThat(engine.verifyAudit().intact()).isTrue();
    }

    @Test
    void aCancelledUnfundedEscrowClosesItsAccountAndItsFloatNetsToZero() throws Exception {
        start();
        String platform = fixture.platform.getAccountId();
        String buyer = fixture.buyer.getAccountId();
        long platformBefore = fixture.sim.balanceStroops(platform);
        long buyerBefore = fixture.sim.balanceStroops(buyer);

        EscrowView created = submit(create(
                50_000_000, FeeSchedule.none(), new PayoutDestination.RailAddress(fixture.seller.getAccountId())));
        PartyInstruction.SignTransaction funding =
                (PartyInstruction.SignTransaction) created.fundingInstruction().orElseThrow();
        String escrowAccount = sourceOf(funding);
        assertThat(fixture.sim.accountExists(escrowAccount)).isTrue();

        EscrowView cancelled = submit(new CancelEscrow(Actor.buyer(BUYER), created.id(), "changed my mind"));
        assertThat(cancelled.status()).isEqualTo(EscrowStatus.CANCELLED);
        assertThat(fixture.sim.accountExists(escrowAccount)).isFalse();

        // The funding's own outcome (FAILED, with the costs) comes from the reconciler asking the rail.
        TransferId fundingTransfer = fundingTransfer(created.id());
        for (int i = 0; i < 10 && !operationStatus(fundingTransfer).isFinal(); i++) {
            fixture.clock.advance(Duration.ofMinutes(1));
            engine.runDueWork();
        }
        assertThat(operationStatus(fundingTransfer)).isEqualTo(RailOperationStatus.FAILED);
        // the buyer's funding transaction can never apply now
        assertThat(fixture.wallet.submitTransactionXdr(fixture.sign(funding)).isSuccess())
                .isFalse();

        long fees = 2 * FEE; // create, merge
        assertThat(fixture.sim.balanceStroops(buyer)).isEqualTo(buyerBefore);
        assertThat(fixture.sim.balanceStroops(platform) - platformBefore).isEqualTo(-fees);
        assertThat(ledger(AccountType.RAIL_FEES, railFeesOwner())).isEqualTo(fees);
        assertThat(ledger(AccountType.PLATFORM_REVENUE, "platform")).isEqualTo(-fees);
        assertThat(ledger(AccountType.RAIL_FLOAT, floatOwner(created.id()))).isZero();
        assertThat(ledger(AccountType.PLATFORM_FLOAT, "platform")).isZero();
        assertThat(store.inTransaction(tx -> tx.ledger().entries(created.id().value())).stream()
                        .map(e -> e.entryId())
                        .filter(id -> id.contains("/cost/"))
                        .toList())
                .as("lent and returned, booked once each, on the funding")
                .containsExactlyInAnyOrder(
                        fundingTransfer.value() + "/cost/reserve-lent",
                        fundingTransfer.value() + "/cost/reserve-returned",
                        fundingTransfer.value() + "/cost/network-fee");
        assertThat(engine.verifyAudit().intact()).isTrue();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private CreateEscrow create(long amount, FeeSchedule fee, PayoutDestination sellerPayout) {
        return new CreateEscrow(
                Actor.buyer(BUYER),
                BUYER,
                SELLER,
                fixture.rail.id(),
                Money.of(amount, Asset.XLM),
                List.of(new MilestoneSpec(
                        M1, "the goods", amount, fixture.clock.instant().plus(Duration.ofHours(2)))),
                fee,
                fixture.clock.instant().plus(Duration.ofHours(1)),
                Duration.ofHours(4),
                Duration.ofHours(4),
                sellerPayout,
                null,
                "stellar-it",
                Map.of());
    }

    private String sourceOf(PartyInstruction.SignTransaction instruction) {
        try {
            return ((Transaction) AbstractTransaction.fromEnvelopeXdr(instruction.transaction(), fixture.sim.network()))
                    .getSourceAccount();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static PartyInstruction.SignTransaction instruction(EscrowView view, TransferId transfer) {
        return view.pendingInstructions().stream()
                .filter(p -> p.transferId().equals(transfer))
                .map(PendingInstruction::instruction)
                .map(PartyInstruction.SignTransaction.class::cast)
                .findFirst()
                .orElseThrow();
    }

    private TransferId fundingTransfer(EscrowId id) {
        return store.inTransaction(tx -> tx.railOperations().of(id).stream()
                .filter(o -> o.kind() == dev.holdfast.spi.RailOperationKind.FUNDING)
                .findFirst()
                .orElseThrow()
                .transferId());
    }

    private RailOperationStatus operationStatus(TransferId id) {
        return store.inTransaction(
                tx -> tx.railOperations().find(id).orElseThrow().status());
    }

    private String floatOwner(EscrowId id) {
        return fixture.rail.id().value() + ":" + id.value();
    }

    private String railFeesOwner() {
        return fixture.rail.id().value();
    }

    private long ledger(AccountType type, String owner) {
        return store.inTransaction(tx -> tx.ledger().balance(new LedgerAccount(type, owner, Asset.XLM)));
    }

    private EscrowView submit(dev.holdfast.api.EscrowCommand command) {
        return engine.submit(IdempotencyKey.of("it-" + keys.incrementAndGet()), command);
    }

    private EscrowView awaitView(EscrowId id, Predicate<EscrowView> done) throws InterruptedException {
        await(() -> done.test(engine.get(id)));
        return engine.get(id);
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + ASYNC.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + ASYNC);
            }
            Thread.sleep(20);
        }
    }
}
