package dev.holdfast.stellar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCost;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import dev.holdfast.stellar.internal.EscrowTransactions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.AbstractTransaction;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.responses.SubmitTransactionResponse;

/** The escrow account's guarantees, checked on the Horizon simulator's ledger rather than through the contract kit. */
class StellarEscrowTest {
    private static final AtomicInteger IDS = new AtomicInteger();

    private HorizonSimulatorFixture fixture;
    private final List<RailNotification> notifications = new CopyOnWriteArrayList<>();

    private HorizonSimulatorFixture start(Asset asset) {
        fixture = new HorizonSimulatorFixture(asset);
        fixture.rail.setListener(notifications::add);
        return fixture;
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private FundingRequest request(long amount) {
        String id = "f-" + IDS.incrementAndGet();
        var now = fixture.clock.instant();
        return new FundingRequest(
                TransferId.of(id),
                EscrowId.of("e-" + id),
                Money.of(amount, fixture.asset),
                HorizonSimulatorFixture.BUYER,
                HorizonSimulatorFixture.SELLER,
                now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(3)),
                Map.of());
    }

    private FundingRequest fund(long amount) {
        FundingRequest r = request(amount);
        assertThat(fixture.buyerPays(r, fixture.rail.openFunding(r))).isTrue();
        await(() -> fixture.rail.query(r.transferId()).status() == RailStatus.SUCCEEDED);
        return r;
    }

    private PayoutRequest release(FundingRequest f, long amount, long fee, PayoutDestination to, boolean last) {
        return new PayoutRequest(
                TransferId.of("p-" + IDS.incrementAndGet()),
                PayoutKind.RELEASE,
                f.escrowId(),
                f.transferId(),
                f.seller(),
                Money.of(amount, fixture.asset),
                Money.of(fee, fixture.asset),
                to,
                last);
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private Transaction parse(String xdr) throws IOException {
        return (Transaction) AbstractTransaction.fromEnvelopeXdr(xdr, fixture.sim.network());
    }

    private String codes(SubmitTransactionResponse r) {
        if (r.isSuccess()) {
            return "success";
        }
        var c = r.getExtras().getResultCodes();
        return c.getOperationsResultCodes() == null
                        || c.getOperationsResultCodes().isEmpty()
                ? c.getTransactionResultCode()
                : c.getTransactionResultCode() + " " + c.getOperationsResultCodes();
    }

    private String submit(Transaction tx) throws IOException {
        return codes(fixture.wallet.submitTransactionXdr(tx.toEnvelopeXdrBase64()));
    }

    private long usdc(String account) {
        return fixture.sim.balanceStroops(account, "USDC", fixture.issuer.getAccountId());
    }

    @Test
    void noSinglePartyPlatformIncludedCanMoveTheFunds() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest f = fund(10_000_000);
        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        RailResult asked = fixture.rail.payout(release(f, 9_000_000, 1_000_000, seller, true));
        Transaction platformOnly = parse(((PartyInstruction.SignTransaction) asked.instruction()).transaction());

        assertThat(platformOnly.getSignatures()).hasSize(1);
        assertThat(submit(platformOnly)).isEqualTo("tx_bad_auth");
        for (KeyPair alone : List.of(fixture.buyer, fixture.seller)) {
            var envelope = platformOnly.toEnvelopeXdr();
            envelope.getV1().setSignatures(new org.stellar.sdk.xdr.DecoratedSignature[0]);
            Transaction single = (Transaction) AbstractTransaction.fromEnvelopeXdr(envelope, fixture.sim.network());
            single.sign(alone);
            assertThat(submit(single)).as("signed by one party only").isEqualTo("tx_bad_auth");
        }
        assertThat(usdc(seller.address())).isZero();
    }

    @Test
    void theRecoveryIsTooEarlyBeforeHoldUntilAndReturnsEverythingAfterIt() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest f = fund(10_000_000);
        String escrow = fixture.log.find(f.transferId()).orElseThrow().escrowAccount();
        Transaction recovery =
                parse(fixture.rail.recoveryEnvelope(f.transferId()).orElseThrow());
        long buyerBefore = usdc(fixture.buyer.getAccountId());

        assertThat(submit(recovery)).isEqualTo("tx_too_early");
        fixture.advanceRailTime(Duration.ofDays(3).plusMinutes(1));
        // The platform is gone: nobody signs, the buyer submits the pre-authorised envelope as it is.
        fixture.rail.close();
        assertThat(submit(recovery)).isEqualTo("success");

        assertThat(usdc(fixture.buyer.getAccountId())).isEqualTo(buyerBefore + 10_000_000);
        assertThat(fixture.sim.accountExists(escrow))
                .as("merged, reserve back to the platform")
                .isFalse();
        fixture.rail = fixture.newRail();
    }

    @Test
    void aReleaseMakesTheRecoveryBadSeqAndRearmsOneForWhatRemains() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest f = fund(10_000_000);
        Transaction recovery =
                parse(fixture.rail.recoveryEnvelope(f.transferId()).orElseThrow());
        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        PayoutRequest p = release(f, 4_000_000, 0, seller, false);
        RailResult asked = fixture.rail.payout(p);
        RailResult done = fixture.rail.submitPartyResponse(
                p.transferId(), dev.holdfast.api.Role.BUYER, fixture.sign((PartyInstruction.SignTransaction)
                        asked.instruction()));
        assertThat(done.status()).isEqualTo(RailStatus.SUCCEEDED);

        Transaction rearmed =
                parse(fixture.rail.recoveryEnvelope(f.transferId()).orElseThrow());
        long buyerBefore = usdc(fixture.buyer.getAccountId());

        fixture.advanceRailTime(Duration.ofDays(4));
        assertThat(submit(recovery)).isEqualTo("tx_bad_seq");
        assertThat(submit(rearmed)).isEqualTo("success");
        assertThat(usdc(seller.address())).isEqualTo(4_000_000);
        assertThat(usdc(fixture.buyer.getAccountId())).isEqualTo(buyerBefore + 6_000_000);
    }

    @Test
    void aRecoveryMakesALateReleaseFailAndPaysNothing() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest f = fund(10_000_000);
        Transaction recovery =
                parse(fixture.rail.recoveryEnvelope(f.transferId()).orElseThrow());
        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        PayoutRequest p = release(f, 10_000_000, 0, seller, true);
        RailResult asked = fixture.rail.payout(p);
        String signed = fixture.sign((PartyInstruction.SignTransaction) asked.instruction());

        fixture.advanceRailTime(Duration.ofDays(3).plusMinutes(1));
        assertThat(submit(recovery)).isEqualTo("success");
        RailResult late = fixture.rail.submitPartyResponse(p.transferId(), dev.holdfast.api.Role.BUYER, signed);

        assertThat(late.status()).as("%s", late).isEqualTo(RailStatus.FAILED);
        assertThat(usdc(seller.address())).isZero();
    }

    @Test
    void theLastPayoutMergesTheEscrowAndReturnsTheReserveToThePlatform() throws Exception {
        start(Asset.XLM);
        FundingRequest f = fund(50_000_000);
        String escrow = fixture.log.find(f.transferId()).orElseThrow().escrowAccount();
        long escrowBalance = fixture.sim.balanceStroops(escrow);
        long platformBefore = fixture.sim.balanceStroops(fixture.platform.getAccountId());
        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        long sellerBefore = fixture.sim.balanceStroops(seller.address());
        PayoutRequest p = release(f, 49_000_000, 1_000_000, seller, true);
        RailResult asked = fixture.rail.payout(p);
        RailResult done = fixture.rail.submitPartyResponse(
                p.transferId(), dev.holdfast.api.Role.BUYER, fixture.sign((PartyInstruction.SignTransaction)
                        asked.instruction()));

        assertThat(done.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(done.railFee()).isEqualTo(Money.of(300, Asset.XLM)); // payment, fee payment, merge
        assertThat(fixture.sim.accountExists(escrow)).isFalse();
        assertThat(fixture.sim.balanceStroops(seller.address()) - sellerBefore).isEqualTo(49_000_000);
        long reserve =
                new EscrowTransactions(null, fixture.platform, new org.stellar.sdk.AssetTypeNative()).minimumBalance();
        assertThat(fixture.sim.balanceStroops(fixture.platform.getAccountId()) - platformBefore)
                .as("platform fee plus everything the escrow held beyond the funding, less the network fee")
                .isEqualTo(escrowBalance - 49_000_000 - 300)
                .isGreaterThan(1_000_000 + reserve);
    }

    @Test
    void aPaymentMadeWhileTheStreamIsDownIsNoticedAfterItResumes() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest r = request(10_000_000);
        RailResult opened = fixture.rail.openFunding(r);
        await(() -> fixture.sim.openStreams() == 1); // the escrow account's own stream

        fixture.sim.dropStreams();
        await(() -> fixture.sim.openStreams() == 0);
        assertThat(fixture.buyerPays(r, opened)).isTrue();

        await(() -> notifications.stream().anyMatch(n -> n instanceof RailNotification.Funded));
        assertThat(notifications)
                .containsExactly(new RailNotification.Funded(
                        r.transferId(),
                        fixture.log.find(r.transferId()).orElseThrow().escrowAccount(),
                        r.amount(),
                        fixture.rail.query(r.transferId()).costs()));
    }

    @Test
    void theReserveIsReportedLentAtFundingAndReturnedByTheMergingPayoutWithEveryPlatformFeeInXlm() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        long lent =
                new EscrowTransactions(null, fixture.platform, new org.stellar.sdk.AssetTypeNative()).minimumBalance()
                        + EscrowTransactions.BASE_RESERVE // the trustline of the issued asset
                        + fixture.config.feeBufferStroops();
        FundingRequest f = fund(50_000_000);

        assertThat(fixture.rail.query(f.transferId()).costs())
                .as("the creation (1 operation) and the buyer's funding transaction (8 operations), as charged")
                .containsExactly(
                        RailCost.reserveLent(Money.of(lent, Asset.XLM)),
                        RailCost.networkFee(Money.of(9 * EscrowTransactions.BASE_FEE, Asset.XLM)));

        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        PayoutRequest p = release(f, 49_000_000, 1_000_000, seller, true);
        RailResult asked = fixture.rail.payout(p);
        RailResult done = fixture.rail.submitPartyResponse(
                p.transferId(), dev.holdfast.api.Role.BUYER, fixture.sign((PartyInstruction.SignTransaction)
                        asked.instruction()));

        assertThat(done.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(done.railFee()).as("an issued asset cannot carry an XLM fee").isNull();
        long fee = fixture.log.find(p.transferId()).orElseThrow().feeStroops();
        assertThat(fee).isPositive();
        assertThat(done.costs())
                .containsExactly(
                        RailCost.networkFee(Money.of(fee, Asset.XLM)),
                        RailCost.reserveReturned(Money.of(lent, Asset.XLM)));
        assertThat(fixture.rail.query(p.transferId()).costs()).isEqualTo(done.costs());
    }

    @Test
    void anXlmPayoutKeepsItsFeeInRailFeeAndReportsOnlyTheReturnedReserve() throws Exception {
        start(Asset.XLM);
        FundingRequest f = fund(50_000_000);
        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        PayoutRequest p = release(f, 49_000_000, 1_000_000, seller, true);
        RailResult asked = fixture.rail.payout(p);
        RailResult done = fixture.rail.submitPartyResponse(
                p.transferId(), dev.holdfast.api.Role.BUYER, fixture.sign((PartyInstruction.SignTransaction)
                        asked.instruction()));

        assertThat(done.railFee()).isEqualTo(Money.of(300, Asset.XLM));
        assertThat(done.costs()).extracting(RailCost::kind).containsExactly(RailCost.Kind.RESERVE_RETURNED);
    }

    @Test
    void aLostSubmitAnswerIsUnknownThenQueryFindsItAppliedAndNothingIsPaidTwice() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest f = fund(10_000_000);
        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        PayoutRequest p = release(f, 10_000_000, 0, seller, true);
        RailResult asked = fixture.rail.payout(p);
        String signed = fixture.sign((PartyInstruction.SignTransaction) asked.instruction());

        fixture.sim.loseNextSubmissionAnswer();
        RailResult lost = fixture.rail.submitPartyResponse(p.transferId(), dev.holdfast.api.Role.BUYER, signed);
        assertThat(lost.status()).isEqualTo(RailStatus.UNKNOWN);

        RailResult resolved = fixture.rail.query(p.transferId());
        assertThat(resolved.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(resolved.railReference()).isEqualTo(asked.railReference());
        assertThat(fixture.rail.payout(p).status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(fixture.rail
                        .submitPartyResponse(p.transferId(), dev.holdfast.api.Role.BUYER, signed)
                        .status())
                .isEqualTo(RailStatus.SUCCEEDED);
        assertThat(usdc(seller.address())).isEqualTo(10_000_000);
    }

    @Test
    void aRestartedRailAnswersFromItsLogAndPaysNothingTwice() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest f = fund(10_000_000);
        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        PayoutRequest p = release(f, 10_000_000, 0, seller, true);
        RailResult asked = fixture.rail.payout(p);
        String signed = fixture.sign((PartyInstruction.SignTransaction) asked.instruction());
        assertThat(fixture.rail
                        .submitPartyResponse(p.transferId(), dev.holdfast.api.Role.BUYER, signed)
                        .status())
                .isEqualTo(RailStatus.SUCCEEDED);

        fixture.rail.close();
        fixture.rail = fixture.newRail();

        assertThat(fixture.rail.openFunding(f).status()).isEqualTo(RailStatus.FAILED); // paid out and merged
        RailResult again = fixture.rail.payout(p);
        assertThat(again.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(again.railReference()).isEqualTo(asked.railReference());
        assertThat(usdc(seller.address())).isEqualTo(10_000_000);
    }

    @Test
    void thePlatformKeyNeverShowsInToStringOrInstructions() {
        start(HorizonSimulatorFixture.USDC);
        String seed = new String(fixture.platform.getSecretSeed());
        FundingRequest r = request(10_000_000);
        RailResult opened = fixture.rail.openFunding(r);

        assertThat(fixture.config.toString()).doesNotContain(seed).contains("<redacted>");
        assertThat(fixture.rail.toString()).doesNotContain(seed);
        assertThat(opened.toString()).doesNotContain(seed);
        assertThat(fixture.log.all().toString()).doesNotContain(seed);
    }

    @Test
    void aFundingIsNoticedByPollingWhenTheStreamCannotReconnect() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest r = request(10_000_000);
        RailResult opened = fixture.rail.openFunding(r);
        await(() -> fixture.sim.openStreams() == 1); // the escrow account's own stream

        // The reconnect after the drop is answered 503: a failed stream, which the SDK does not retry by itself.
        fixture.sim.failNext(503);
        fixture.sim.dropStreams();
        await(() -> fixture.rail.streamDown());
        assertThat(fixture.buyerPays(r, opened)).isTrue();

        await(() -> notifications.stream().anyMatch(n -> n instanceof RailNotification.Funded));
        assertThat(fixture.log.find(r.transferId()).orElseThrow().stage()).isEqualTo(StellarTransferLog.Stage.FUNDED);
    }

    @Test
    void thePlatformAloneCanOnlyGiveEverythingBackToTheBuyerAndTheBuyerCannotCancelAlone() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest f = fund(10_000_000);
        StellarTransferLog.Entry entry = fixture.log.find(f.transferId()).orElseThrow();
        Transaction unsignedCancel = new EscrowTransactions(
                        fixture.sim.network(), fixture.platform, fixture.stellarAsset())
                .cancel(entry.escrowAccount(), entry.escrowSeq(), entry.buyerAccount(), entry.heldMinor());
        unsignedCancel.sign(fixture.buyer);
        assertThat(submit(unsignedCancel))
                .as("the buyer submits the cancel alone")
                .startsWith("tx_");
        assertThat(submit(unsignedCancel)).isNotEqualTo("success");
        long buyerBefore = usdc(fixture.buyer.getAccountId());

        RailResult cancelled = fixture.rail.cancelFunding(f.transferId());

        assertThat(cancelled.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(usdc(fixture.buyer.getAccountId())).isEqualTo(buyerBefore + 10_000_000);
        assertThat(fixture.sim.accountExists(entry.escrowAccount())).isFalse();
        assertThat(fixture.rail.query(f.transferId()).status()).isEqualTo(RailStatus.FAILED);
        assertThat(fixture.rail.query(f.transferId()).costs())
                .as("the funding reported its costs with its success")
                .isEmpty();
        long cancelFee = fixture.log.find(f.transferId()).orElseThrow().closeFeeStroops();
        assertThat(cancelFee).isEqualTo(4 * EscrowTransactions.BASE_FEE); // payment, trustline, merge, no-op
        assertThat(cancelled.costs())
                .as("the cancel's merge gives the loan back; its fee is the platform's")
                .containsExactly(
                        RailCost.reserveReturned(Money.of(lentUsdc(), Asset.XLM)),
                        RailCost.networkFee(Money.of(cancelFee, Asset.XLM)));
        assertThat(fixture.rail.cancelFunding(f.transferId()).costs()).isEqualTo(cancelled.costs());
    }

    private long lentUsdc() {
        return new EscrowTransactions(null, fixture.platform, new org.stellar.sdk.AssetTypeNative()).minimumBalance()
                + EscrowTransactions.BASE_RESERVE
                + fixture.config.feeBufferStroops();
    }

    @Test
    void anUnfundedEscrowClosedByCancelReportsTheWholeLoanAndBothFeesWithTheFundingsFailure() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        String platform = fixture.platform.getAccountId();
        long platformBefore = fixture.sim.balanceStroops(platform);
        FundingRequest r = request(10_000_000);
        fixture.rail.openFunding(r);

        RailResult cancelled = fixture.rail.cancelFunding(r.transferId());
        assertThat(cancelled.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(cancelled.costs())
                .as("booked with the funding's own outcome")
                .isEmpty();

        RailResult failed = fixture.rail.query(r.transferId());
        assertThat(failed.status()).isEqualTo(RailStatus.FAILED);
        long fees = 2 * EscrowTransactions.BASE_FEE; // create, merge
        Money lent = Money.of(lentUsdc(), Asset.XLM);
        assertThat(failed.costs())
                .containsExactly(
                        RailCost.reserveLent(lent),
                        RailCost.reserveReturned(lent),
                        RailCost.networkFee(Money.of(fees, Asset.XLM)));
        assertThat(fixture.rail.query(r.transferId()).costs()).isEqualTo(failed.costs());
        assertThat(fixture.sim.balanceStroops(platform) - platformBefore).isEqualTo(-fees);
    }

    @Test
    void anUnfundedEscrowClosedAfterFundByReportsTheSameWithTheFundingsFailure() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest r = request(10_000_000);
        fixture.rail.openFunding(r);
        fixture.advanceRailTime(Duration.ofHours(2));

        RailResult failed = fixture.rail.query(r.transferId());
        assertThat(failed.status()).isEqualTo(RailStatus.FAILED);
        assertThat(failed.error().code()).isEqualTo("FUNDING_EXPIRED");
        assertThat(failed.costs())
                .extracting(RailCost::kind)
                .containsExactly(RailCost.Kind.RESERVE_LENT, RailCost.Kind.RESERVE_RETURNED, RailCost.Kind.NETWORK_FEE);
    }

    @Test
    void aDisputeSplitPaysBothSidesExactlyAndClosesTheEscrow() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest f = fund(10_000_000);
        String escrow = fixture.log.find(f.transferId()).orElseThrow().escrowAccount();
        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        long buyerBefore = usdc(fixture.buyer.getAccountId());
        long platformBefore = usdc(fixture.platform.getAccountId());

        PayoutRequest toSeller = release(f, 6_000_000, 300_000, seller, false);
        RailResult sellerAsked = fixture.rail.payout(toSeller);
        assertThat(fixture.rail
                        .submitPartyResponse(
                                toSeller.transferId(),
                                dev.holdfast.api.Role.BUYER,
                                fixture.sign((PartyInstruction.SignTransaction) sellerAsked.instruction()))
                        .status())
                .isEqualTo(RailStatus.SUCCEEDED);
        PayoutRequest toBuyer = new PayoutRequest(
                TransferId.of("p-" + IDS.incrementAndGet()),
                PayoutKind.REFUND,
                f.escrowId(),
                f.transferId(),
                f.buyer(),
                Money.of(3_500_000, fixture.asset),
                Money.of(200_000, fixture.asset),
                PayoutDestination.fundingSource(),
                true);
        RailResult buyerAsked = fixture.rail.payout(toBuyer);
        assertThat(buyerAsked.instruction().party()).isEqualTo(dev.holdfast.api.Role.SELLER);
        assertThat(fixture.rail
                        .submitPartyResponse(
                                toBuyer.transferId(),
                                dev.holdfast.api.Role.SELLER,
                                fixture.sign((PartyInstruction.SignTransaction) buyerAsked.instruction()))
                        .status())
                .isEqualTo(RailStatus.SUCCEEDED);

        assertThat(usdc(seller.address())).isEqualTo(6_000_000);
        assertThat(usdc(fixture.buyer.getAccountId()) - buyerBefore).isEqualTo(3_500_000);
        assertThat(usdc(fixture.platform.getAccountId()) - platformBefore).isEqualTo(500_000);
        assertThat(fixture.sim.accountExists(escrow)).isFalse();
    }

    @Test
    void aTransactionTheWalletAlreadySubmittedIsFoundByHashWhenHorizonSaysBadSeq() throws Exception {
        start(HorizonSimulatorFixture.USDC);
        FundingRequest f = fund(10_000_000);
        PayoutDestination.RailAddress seller = fixture.validDestination(dev.holdfast.api.Role.SELLER, null);
        PayoutRequest p = release(f, 10_000_000, 0, seller, true);
        RailResult asked = fixture.rail.payout(p);
        String signed = fixture.sign((PartyInstruction.SignTransaction) asked.instruction());
        // The buyer's wallet co-signs and submits it itself (platform signature included), then hands it back.
        Transaction both = parse(signed);
        assertThat(submit(both)).isEqualTo("success");
        fixture.sim.failNext(org.stellar.sdk.xdr.TransactionResultCode.txBAD_SEQ);

        RailResult answer = fixture.rail.submitPartyResponse(p.transferId(), dev.holdfast.api.Role.BUYER, signed);

        assertThat(answer.status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(answer.railReference()).isEqualTo(both.hashHex());
        assertThat(usdc(seller.address())).isEqualTo(10_000_000);
    }
}
