package dev.holdfast.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TestClock;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.AssetLimits;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxRailTest {
    private static final Asset USD = Asset.USD;
    private static final PayoutDestination SELLER_WALLET = PayoutDestination.railAddress("seller-wallet");
    private static final PayoutDestination BUYER_WALLET = PayoutDestination.railAddress("buyer-wallet");

    private final TestClock clock = new TestClock(Instant.parse("2026-03-02T10:00:00Z"));
    private final List<RailNotification> notified = new CopyOnWriteArrayList<>();
    private int ids;

    private SandboxRail rail() {
        return rail(SandboxRail.builder());
    }

    private SandboxRail rail(SandboxRail.Builder builder) {
        SandboxRail rail = builder.clock(clock).build();
        rail.setListener(notified::add);
        return rail;
    }

    @Nested
    class Configuration {
        @Test
        void defaultsDeclareEveryCapabilityButSignaturesAndAHoldLimit() {
            SandboxRail rail = SandboxRail.builder().build();

            RailCapabilities capabilities = rail.capabilities();

            assertThat(rail.id()).isEqualTo(RailId.of("sandbox"));
            assertThat(capabilities.assets())
                    .extracting(AssetLimits::asset)
                    .containsExactly(Asset.USD, Asset.EUR, Asset.BTC_MSAT, Asset.XLM);
            assertThat(capabilities.maxHold()).isNull();
            assertThat(capabilities.partialRelease()).isTrue();
            assertThat(capabilities.refundAfterSettlement()).isTrue();
            assertThat(capabilities.partySignatures()).isFalse();
            assertThat(capabilities.custodial()).isTrue();
        }

        @Test
        void builderReplacesAssetsAndRefusesNonsense() {
            SandboxRail rail = SandboxRail.builder()
                    .id(RailId.of("demo"))
                    .assets(new AssetLimits(Asset.EUR, 100, 5_000))
                    .maxHold(Duration.ofHours(2))
                    .build();

            assertThat(rail.id().value()).isEqualTo("demo");
            assertThat(rail.capabilities().assets()).containsExactly(new AssetLimits(Asset.EUR, 100, 5_000));
            assertThat(rail.capabilities().maxHold()).isEqualTo(Duration.ofHours(2));
            assertThatThrownBy(() -> SandboxRail.builder().assets()).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(
                            () -> SandboxRail.builder().assets(new AssetLimits(USD, 1, 2), new AssetLimits(USD, 1, 3)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SandboxRail.builder().maxHold(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SandboxRail.builder().railFeeMinor(-1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Funding {
        @Test
        void openFundingTellsTheBuyerToSendTheExactAmountWithTheTransferIdAsReference() {
            SandboxRail rail = rail();
            FundingRequest request = funding(10_000);

            RailResult opened = rail.openFunding(request);

            assertThat(opened.status()).isEqualTo(RailStatus.PENDING);
            assertThat(opened.instruction())
                    .isEqualTo(new PartyInstruction.SendPayment(
                            Role.BUYER,
                            SandboxRail.ESCROW_ADDRESS,
                            request.transferId().value(),
                            request.amount(),
                            request.fundBy()));
            assertThat(rail.openFunding(request)).isEqualTo(opened);
            assertThat(notified).isEmpty();
        }

        @Test
        void fundingHoldsTheAmountAndNotifiesOnTheCallingThread() {
            SandboxRail rail = rail();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            rail.setListener(n -> {
                threads.add(Thread.currentThread());
                notified.add(n);
            });
            FundingRequest request = open(rail, 10_000);

            assertThat(rail.fund(request.transferId())).isTrue();

            assertThat(notified)
                    .containsExactly(new RailNotification.Funded(
                            request.transferId(),
                            rail.query(request.transferId()).railReference(),
                            usd(10_000)));
            assertThat(threads).containsOnly(Thread.currentThread());
            assertThat(rail.held(request.transferId())).isEqualTo(10_000);
            assertThat(rail.received(USD)).isEqualTo(10_000);
            assertThat(rail.movements(request.transferId())).isEqualTo(1);
            assertThat(rail.openFunding(request).status()).isEqualTo(RailStatus.SUCCEEDED);
        }

        @Test
        void theBuyerCannotPayTwiceNorPayAnUnknownCancelledOrLateFunding() {
            SandboxRail rail = rail();
            FundingRequest paid = open(rail, 100);
            FundingRequest cancelled = open(rail, 100);
            FundingRequest late = open(rail, 100);
            rail.fund(paid.transferId());
            rail.cancelFunding(cancelled.transferId());

            assertThat(rail.fund(paid.transferId())).as("paying twice").isFalse();
            assertThat(rail.fund(cancelled.transferId()))
                    .as("paying a cancelled funding")
                    .isFalse();
            assertThat(rail.fund(TransferId.of("never-opened")))
                    .as("paying an unknown funding")
                    .isFalse();
            clock.advance(Duration.between(clock.instant(), late.fundBy()).plusSeconds(1));
            assertThat(rail.fund(late.transferId())).as("paying after fundBy").isFalse();
            assertThat(rail.received(USD)).isEqualTo(100);
        }

        @Test
        void payingExactlyAtFundByIsStillInTime() {
            SandboxRail rail = rail();
            FundingRequest request = open(rail, 100);
            clock.advance(Duration.between(clock.instant(), request.fundBy()));

            assertThat(rail.fund(request.transferId())).isTrue();
        }

        @Test
        void autoFundFundsAtOnceAndStillNotifies() {
            SandboxRail rail = rail(SandboxRail.builder().autoFund(true));
            FundingRequest request = funding(2_500);

            RailResult opened = rail.openFunding(request);

            assertThat(opened.status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(opened.railReference()).isNotBlank();
            assertThat(notified)
                    .containsExactly(
                            new RailNotification.Funded(request.transferId(), opened.railReference(), usd(2_500)));
            rail.autoFund(false);
            assertThat(rail.openFunding(funding(2_500)).status()).isEqualTo(RailStatus.PENDING);
        }

        @Test
        void openFundingRefusesWhatTheRailDoesNotOffer() {
            SandboxRail rail = rail(SandboxRail.builder().assets(new AssetLimits(USD, 100, 1_000)));

            assertThat(code(rail.openFunding(funding(Money.of(500, Asset.EUR)))))
                    .isEqualTo(SandboxCodes.UNSUPPORTED_ASSET);
            assertThat(code(rail.openFunding(funding(99)))).isEqualTo(SandboxCodes.AMOUNT_OUT_OF_LIMITS);
            assertThat(code(rail.openFunding(funding(1_001)))).isEqualTo(SandboxCodes.AMOUNT_OUT_OF_LIMITS);
            FundingRequest past = funding(500);
            clock.advance(Duration.ofDays(1));
            assertThat(code(rail.openFunding(past))).isEqualTo(SandboxCodes.FUND_BY_PASSED);
        }

        @Test
        void anUnpaidFundingExpiresAtFundByWithANotification() {
            SandboxRail rail = rail();
            FundingRequest request = open(rail, 100);

            clock.advance(Duration.ofHours(2));
            rail.tick();

            assertThat(notified).singleElement().isInstanceOf(RailNotification.FundingLapsed.class);
            assertThat(code(rail.query(request.transferId()))).isEqualTo(SandboxCodes.EXPIRED);
        }

        @Test
        void aHoldLapsesMaxHoldAfterFundingAndTheBuyerGetsItBack() {
            SandboxRail rail = rail(SandboxRail.builder().maxHold(Duration.ofHours(10)));
            FundingRequest request = funded(rail, 700);
            notified.clear();

            clock.advance(Duration.ofHours(10).minusSeconds(1));
            rail.tick();
            assertThat(notified).isEmpty();
            clock.advance(Duration.ofSeconds(1));
            rail.tick();

            assertThat(notified).singleElement().isInstanceOf(RailNotification.FundingLapsed.class);
            assertThat(rail.returnedToBuyers(USD)).isEqualTo(700);
            assertThat(rail.buyerNetPaid(request.transferId())).isZero();
            assertThat(code(rail.payout(release(request, 600, 0, SELLER_WALLET))))
                    .isEqualTo(SandboxCodes.NOT_FUNDED);
        }

        @Test
        void aSettledHoldNoLongerLapses() {
            SandboxRail rail = rail(SandboxRail.builder().maxHold(Duration.ofHours(10)));
            FundingRequest request = funded(rail, 700);
            rail.payout(release(request, 100, 0, SELLER_WALLET));

            clock.advance(Duration.ofDays(3));
            rail.tick();

            assertThat(rail.held(request.transferId())).isEqualTo(600);
            assertThat(rail.lapseHold(request.transferId())).isFalse();
            assertThat(rail.payout(release(request, 600, 0, SELLER_WALLET)).status())
                    .isEqualTo(RailStatus.SUCCEEDED);
        }

        @Test
        void lapseHoldGivesTheMoneyBackAndNotifies() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 900);
            notified.clear();

            assertThat(rail.lapseHold(request.transferId())).isTrue();

            assertThat(notified).singleElement().isInstanceOf(RailNotification.FundingLapsed.class);
            assertThat(rail.returnedToBuyers(USD)).isEqualTo(900);
            assertThat(code(rail.query(request.transferId()))).isEqualTo(SandboxCodes.LAPSED);
            assertThat(rail.lapseHold(request.transferId())).as("lapsing twice").isFalse();
        }
    }

    @Nested
    class Cancelling {
        @Test
        void cancellingAFundedFundingReturnsItAllOnce() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);

            assertThat(rail.cancelFunding(request.transferId()).status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(rail.cancelFunding(request.transferId()).status()).isEqualTo(RailStatus.SUCCEEDED);

            assertThat(rail.returnedToBuyers(USD)).isEqualTo(1_000);
            assertThat(rail.held(request.transferId())).isZero();
            assertThat(code(rail.query(request.transferId()))).isEqualTo(SandboxCodes.CANCELLED);
        }

        @Test
        void cancellingAfterAPayoutIsRefusedAsAlreadySettled() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            rail.payout(release(request, 400, 0, SELLER_WALLET));

            RailResult cancelled = rail.cancelFunding(request.transferId());

            assertThat(code(cancelled)).isEqualTo(SandboxCodes.ALREADY_SETTLED);
            assertThat(rail.held(request.transferId())).isEqualTo(600);
            assertThat(rail.payout(refund(request, 600, 0, BUYER_WALLET)).status())
                    .isEqualTo(RailStatus.SUCCEEDED);
        }

        @Test
        void cancellingAnUnseenIdLeavesATombstoneSoALateOpenFundingCannotOpen() {
            SandboxRail rail = rail();
            FundingRequest late = funding(300);

            assertThat(rail.cancelFunding(late.transferId()).status()).isEqualTo(RailStatus.SUCCEEDED);
            RailResult opened = rail.openFunding(late);

            assertThat(code(opened)).isEqualTo(SandboxCodes.CANCELLED);
            assertThat(rail.fund(late.transferId())).isFalse();
        }
    }

    @Nested
    class Payouts {
        @Test
        void aPayoutDrawsAmountAndFeeSendsTheFeeToThePlatformAndIsRecorded() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 10_000);
            PayoutRequest payout = release(request, 9_500, 500, SELLER_WALLET);

            RailResult paid = rail.payout(payout);

            assertThat(paid.status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(paid.railFee()).as("no rail fee configured").isNull();
            assertThat(rail.paidTo("seller-wallet", USD)).isEqualTo(9_500);
            assertThat(rail.paidOut(USD)).isEqualTo(9_500);
            assertThat(rail.platformBalance(USD)).isEqualTo(500);
            assertThat(rail.held(request.transferId())).isZero();
            assertThat(rail.movements(payout.transferId())).isEqualTo(1);
            assertThat(rail.payouts()).singleElement().satisfies(p -> {
                assertThat(p.transferId()).isEqualTo(payout.transferId());
                assertThat(p.drawn()).isEqualTo(usd(10_000));
                assertThat(p.railFee()).isEqualTo(usd(0));
                assertThat(p.railReference()).isEqualTo(paid.railReference());
                assertThat(p.at()).isEqualTo(clock.instant());
            });
        }

        @Test
        void aRepeatedPayoutAnswersTheSameAndMovesNothing() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest payout = release(request, 300, 0, SELLER_WALLET);

            RailResult first = rail.payout(payout);
            RailResult again = rail.payout(payout);

            assertThat(again).isEqualTo(first);
            assertThat(rail.paidTo("seller-wallet", USD)).isEqualTo(300);
            assertThat(rail.movements(payout.transferId())).isEqualTo(1);
        }

        @Test
        void aDifferentRequestUnderAUsedIdIsAConflictAndTheFirstOutcomeStands() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest payout = release(request, 300, 0, SELLER_WALLET);
            RailResult first = rail.payout(payout);
            PayoutRequest changed = new PayoutRequest(
                    payout.transferId(),
                    PayoutKind.RELEASE,
                    request.escrowId(),
                    request.transferId(),
                    request.seller(),
                    usd(700),
                    usd(0),
                    SELLER_WALLET,
                    true);

            assertThat(code(rail.payout(changed))).isEqualTo(SandboxCodes.TRANSFER_ID_CONFLICT);
            assertThat(code(rail.openFunding(funding(payout.transferId(), usd(100)))))
                    .isEqualTo(SandboxCodes.TRANSFER_ID_CONFLICT);
            assertThat(rail.query(payout.transferId())).isEqualTo(first);
            assertThat(rail.paidTo("seller-wallet", USD)).isEqualTo(300);
        }

        @Test
        void payoutsAreRefusedWithTheirCodes() {
            SandboxRail rail = rail();
            FundingRequest funded = funded(rail, 1_000);
            FundingRequest unpaid = open(rail, 1_000);

            assertThat(code(rail.payout(release(funded, 1_000, 1, SELLER_WALLET))))
                    .isEqualTo(SandboxCodes.INSUFFICIENT_FUNDS);
            assertThat(code(rail.payout(release(unpaid, 10, 0, SELLER_WALLET)))).isEqualTo(SandboxCodes.NOT_FUNDED);
            assertThat(code(rail.payout(release(funded, 0, 10, SELLER_WALLET)))).isEqualTo(SandboxCodes.INVALID_AMOUNT);
            assertThat(code(rail.payout(release(funded, 10, -1, SELLER_WALLET))))
                    .isEqualTo(SandboxCodes.INVALID_AMOUNT);
            assertThat(code(rail.payout(new PayoutRequest(
                            next("p"),
                            PayoutKind.RELEASE,
                            funded.escrowId(),
                            funded.transferId(),
                            funded.seller(),
                            Money.of(10, Asset.EUR),
                            Money.zero(Asset.EUR),
                            SELLER_WALLET,
                            false))))
                    .isEqualTo(SandboxCodes.ASSET_MISMATCH);
            assertThat(code(rail.payout(withdrawal(10, 0, PayoutDestination.internalBalance()))))
                    .isEqualTo(SandboxCodes.INVALID_DESTINATION);
            assertThat(rail.held(funded.transferId())).isEqualTo(1_000);
            assertThat(rail.payouts()).isEmpty();
        }

        @Test
        void internalBalancePayoutsAndFeesFundWithdrawals() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            rail.payout(release(request, 900, 100, PayoutDestination.internalBalance()));
            assertThat(rail.platformBalance(USD)).isEqualTo(1_000);

            RailResult withdrawn = rail.payout(withdrawal(950, 50, SELLER_WALLET));
            RailResult tooMuch = rail.payout(withdrawal(51, 0, SELLER_WALLET));

            assertThat(withdrawn.status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(rail.paidTo("seller-wallet", USD)).isEqualTo(950);
            assertThat(rail.platformBalance(USD))
                    .as("the withdrawal fee stays with the platform")
                    .isEqualTo(50);
            assertThat(code(tooMuch)).isEqualTo(SandboxCodes.INSUFFICIENT_FUNDS);
        }

        @Test
        void aRailFeeIsAnsweredAndChargedToThePlatformForRailAddressesOnly() {
            SandboxRail rail = rail(SandboxRail.builder().railFeeMinor(3));
            FundingRequest request = funded(rail, 1_000);

            RailResult toWallet = rail.payout(release(request, 500, 0, SELLER_WALLET));
            RailResult toBalance = rail.payout(release(request, 500, 0, PayoutDestination.internalBalance()));

            assertThat(toWallet.railFee()).isEqualTo(usd(3));
            assertThat(toBalance.railFee()).isNull();
            assertThat(rail.railFees(USD)).isEqualTo(3);
            assertThat(rail.platformBalance(USD)).isEqualTo(497);
            assertThat(rail.paidTo("seller-wallet", USD))
                    .as("the destination gets the exact amount")
                    .isEqualTo(500);
        }

        @Test
        void withoutPartialReleaseAPayoutMustDrawTheWholeFunding() {
            SandboxRail rail = rail(SandboxRail.builder().partialRelease(false));
            FundingRequest request = funded(rail, 1_000);

            assertThat(code(rail.payout(release(request, 400, 0, SELLER_WALLET))))
                    .isEqualTo(SandboxCodes.PARTIAL_RELEASE_UNSUPPORTED);
            assertThat(rail.payout(release(request, 990, 10, SELLER_WALLET)).status())
                    .isEqualTo(RailStatus.SUCCEEDED);
        }

        @Test
        void withoutRefundAfterSettlementARefundMustComeBeforeAnyRelease() {
            SandboxRail rail = rail(SandboxRail.builder().refundAfterSettlement(false));
            FundingRequest request = funded(rail, 1_000);
            rail.payout(release(request, 400, 0, SELLER_WALLET));

            assertThat(code(rail.payout(refund(request, 600, 0, BUYER_WALLET))))
                    .isEqualTo(SandboxCodes.REFUND_AFTER_SETTLEMENT_UNSUPPORTED);
        }
    }

    @Nested
    class Signatures {
        @Test
        void aReleaseWaitsForTheBuyersSignatureAndARefundForTheSellers() {
            SandboxRail rail = rail(SandboxRail.builder().partySignatures(true));
            FundingRequest request = funded(rail, 1_000);

            RailResult release = rail.payout(release(request, 400, 0, SELLER_WALLET));
            RailResult refund = rail.payout(refund(request, 600, 0, BUYER_WALLET));

            assertThat(release.status()).isEqualTo(RailStatus.PENDING);
            assertThat(release.instruction()).isInstanceOfSatisfying(PartyInstruction.SignTransaction.class, s -> {
                assertThat(s.party()).isEqualTo(Role.BUYER);
                assertThat(s.format()).isEqualTo(SandboxRail.TRANSACTION_FORMAT);
                assertThat(s.expiresAt()).isEqualTo(clock.instant().plus(SandboxRail.SIGNATURE_WINDOW));
            });
            assertThat(refund.instruction().party()).isEqualTo(Role.SELLER);
            assertThat(rail.payouts()).isEmpty();
        }

        @Test
        void aWrongSignatureIsRejectedAndTheRightOneMovesTheMoney() {
            SandboxRail rail = rail(SandboxRail.builder().partySignatures(true));
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest payout = release(request, 1_000, 0, SELLER_WALLET);
            PartyInstruction.SignTransaction asked =
                    (PartyInstruction.SignTransaction) rail.payout(payout).instruction();

            RailResult forged = rail.submitPartyResponse(payout.transferId(), Role.BUYER, "forged");
            RailResult wrongParty = rail.submitPartyResponse(payout.transferId(), Role.SELLER, SandboxRail.sign(asked));
            RailResult signed = rail.submitPartyResponse(payout.transferId(), Role.BUYER, SandboxRail.sign(asked));
            RailResult again = rail.submitPartyResponse(payout.transferId(), Role.BUYER, SandboxRail.sign(asked));

            assertThat(forged.status()).isEqualTo(RailStatus.PENDING);
            assertThat(code(forged)).isEqualTo(SandboxCodes.BAD_SIGNATURE);
            assertThat(code(wrongParty)).isEqualTo(SandboxCodes.BAD_SIGNATURE);
            assertThat(signed.status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(again).isEqualTo(signed);
            assertThat(rail.paidTo("seller-wallet", USD)).isEqualTo(1_000);
            assertThat(rail.movements(payout.transferId())).isEqualTo(1);
        }

        @Test
        void anUnsignedPayoutExpiresAndIsReportedFailed() {
            SandboxRail rail = rail(SandboxRail.builder().partySignatures(true));
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest payout = release(request, 1_000, 0, SELLER_WALLET);
            rail.payout(payout);
            notified.clear();

            clock.advance(SandboxRail.SIGNATURE_WINDOW.plusSeconds(1));
            rail.tick();

            assertThat(notified)
                    .singleElement()
                    .isInstanceOfSatisfying(
                            RailNotification.PayoutFailed.class,
                            n -> assertThat(n.error().code()).isEqualTo(SandboxCodes.SIGNATURE_EXPIRED));
            assertThat(rail.held(request.transferId())).isEqualTo(1_000);
        }

        @Test
        void aSignatureForAPayoutTheFundingCanNoLongerCoverFails() {
            SandboxRail rail = rail(SandboxRail.builder().partySignatures(true));
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest first = release(request, 800, 0, SELLER_WALLET);
            PayoutRequest second = release(request, 800, 0, SELLER_WALLET);
            var askedFirst =
                    (PartyInstruction.SignTransaction) rail.payout(first).instruction();
            var askedSecond =
                    (PartyInstruction.SignTransaction) rail.payout(second).instruction();

            rail.submitPartyResponse(first.transferId(), Role.BUYER, SandboxRail.sign(askedFirst));
            RailResult late = rail.submitPartyResponse(second.transferId(), Role.BUYER, SandboxRail.sign(askedSecond));

            assertThat(code(late)).isEqualTo(SandboxCodes.INSUFFICIENT_FUNDS);
            assertThat(rail.paidTo("seller-wallet", USD)).isEqualTo(800);
        }
    }

    @Nested
    class Steering {
        @Test
        void steeringAppliesFirstInFirstOutToTheNextCallsOfAnyKind() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            rail.failNext("FIRST");
            rail.failNext("SECOND");
            rail.unknownNext();

            RailResult payout = rail.payout(release(request, 100, 0, SELLER_WALLET));
            RailResult cancel = rail.cancelFunding(request.transferId());
            RailResult open = rail.openFunding(funding(500));
            RailResult unsteered = rail.payout(release(request, 100, 0, SELLER_WALLET));

            assertThat(code(payout)).isEqualTo("FIRST");
            assertThat(code(cancel)).isEqualTo("SECOND");
            assertThat(open.status()).isEqualTo(RailStatus.UNKNOWN);
            assertThat(unsteered.status()).isEqualTo(RailStatus.SUCCEEDED);
        }

        @Test
        void queriesRepliesAndPartyResponsesDoNotConsumeSteering() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest done = release(request, 100, 0, SELLER_WALLET);
            rail.payout(done);
            rail.failNext("LATER");

            assertThat(rail.query(done.transferId()).status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(rail.payout(done).status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(rail.openFunding(request).status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(rail.submitPartyResponse(done.transferId(), Role.BUYER, "x")
                            .status())
                    .isEqualTo(RailStatus.SUCCEEDED);
            assertThat(code(rail.payout(release(request, 100, 0, SELLER_WALLET))))
                    .isEqualTo("LATER");
        }

        @Test
        void failNextDoesNothingAndTheFailureIsFinalForThatTransferId() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest payout = release(request, 1_000, 0, SELLER_WALLET);
            rail.failNext("ROUTE_NOT_FOUND");

            RailResult failed = rail.payout(payout);

            assertThat(failed.error()).isEqualTo(new RailError("ROUTE_NOT_FOUND", "injected by failNext"));
            assertThat(rail.payout(payout)).isEqualTo(failed);
            assertThat(rail.query(payout.transferId())).isEqualTo(failed);
            assertThat(rail.held(request.transferId())).isEqualTo(1_000);
            assertThat(rail.movements(payout.transferId())).isZero();
            assertThatThrownBy(() -> rail.failNext(" ")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aFailedCancelLeavesTheFundingAsItWasAndMayBeRetried() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            rail.failNext("BUSY");

            assertThat(code(rail.cancelFunding(request.transferId()))).isEqualTo("BUSY");
            assertThat(rail.held(request.transferId())).isEqualTo(1_000);
            assertThat(rail.cancelFunding(request.transferId()).status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(rail.returnedToBuyers(USD)).isEqualTo(1_000);
        }

        @Test
        void unknownNextPerformsThePayoutButLosesTheAnswer() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest payout = release(request, 1_000, 0, SELLER_WALLET);
            rail.unknownNext();

            RailResult lost = rail.payout(payout);

            assertThat(lost.status()).isEqualTo(RailStatus.UNKNOWN);
            assertThat(lost.error().code()).isEqualTo(RailError.TIMEOUT);
            assertThat(rail.movements(payout.transferId())).isEqualTo(1);
            assertThat(rail.query(payout.transferId()).status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(rail.payout(payout).status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(rail.paidTo("seller-wallet", USD)).isEqualTo(1_000);
        }

        @Test
        void aStalledPayoutMovesNothingUntilCompletedThenNotifies() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest payout = release(request, 1_000, 0, SELLER_WALLET);
            notified.clear();
            rail.stallNext();

            RailResult accepted = rail.payout(payout);

            assertThat(accepted.status()).isEqualTo(RailStatus.PENDING);
            assertThat(rail.payout(payout).status())
                    .as("repeated while stalled")
                    .isEqualTo(RailStatus.PENDING);
            assertThat(rail.query(payout.transferId()).status()).isEqualTo(RailStatus.PENDING);
            assertThat(rail.held(request.transferId())).isEqualTo(1_000);

            assertThat(rail.completeStalled()).isEqualTo(1);

            RailResult done = rail.query(payout.transferId());
            assertThat(done.status()).isEqualTo(RailStatus.SUCCEEDED);
            assertThat(notified)
                    .containsExactly(
                            new RailNotification.PayoutSucceeded(payout.transferId(), done.railReference(), null));
            assertThat(rail.completeStalled()).isZero();
        }

        @Test
        void aStalledPayoutTheFundingCanNoLongerCoverIsNotifiedAsFailed() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            PayoutRequest stalled = release(request, 1_000, 0, SELLER_WALLET);
            rail.stallNext();
            rail.payout(stalled);
            rail.payout(release(request, 500, 0, BUYER_WALLET));
            notified.clear();

            rail.completeStalled();

            assertThat(notified)
                    .singleElement()
                    .isInstanceOfSatisfying(
                            RailNotification.PayoutFailed.class,
                            n -> assertThat(n.error().code()).isEqualTo(SandboxCodes.INSUFFICIENT_FUNDS));
            assertThat(rail.paidTo("seller-wallet", USD)).isZero();
        }

        @Test
        void aStalledOpenFundingCannotBePaidUntilCompleted() {
            SandboxRail rail = rail(SandboxRail.builder().autoFund(false));
            FundingRequest request = funding(400);
            rail.stallNext();

            assertThat(rail.openFunding(request).instruction()).isNull();
            assertThat(rail.fund(request.transferId())).isFalse();
            rail.autoFund(true);
            rail.completeStalled();

            assertThat(notified).singleElement().isInstanceOf(RailNotification.Funded.class);
            assertThat(rail.query(request.transferId()).status()).isEqualTo(RailStatus.SUCCEEDED);
        }

        @Test
        void aStalledOpenFundingThatCannotOpenIsNotifiedAsLapsed() {
            SandboxRail rail = rail();
            FundingRequest request = funding(Money.of(5, Asset.EUR).negate());
            rail.stallNext();
            rail.openFunding(request);

            rail.completeStalled();

            assertThat(notified).singleElement().isInstanceOf(RailNotification.FundingLapsed.class);
            assertThat(code(rail.query(request.transferId()))).isEqualTo(SandboxCodes.AMOUNT_OUT_OF_LIMITS);
        }

        @Test
        void aStalledCancelKeepsQueriesPendingAndBlocksPaymentsUntilCompleted() {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            rail.stallNext();

            assertThat(rail.cancelFunding(request.transferId()).status()).isEqualTo(RailStatus.PENDING);
            assertThat(rail.query(request.transferId()).status()).isEqualTo(RailStatus.PENDING);
            assertThat(code(rail.payout(release(request, 10, 0, SELLER_WALLET))))
                    .isEqualTo(SandboxCodes.NOT_FUNDED);
            assertThat(rail.held(request.transferId())).isEqualTo(1_000);

            rail.completeStalled();

            assertThat(code(rail.query(request.transferId()))).isEqualTo(SandboxCodes.CANCELLED);
            assertThat(rail.returnedToBuyers(USD)).isEqualTo(1_000);
        }

        @Test
        void dropNextNotificationDropsExactlyOne() {
            SandboxRail rail = rail();
            FundingRequest first = open(rail, 100);
            FundingRequest second = open(rail, 100);
            rail.dropNextNotification();

            rail.fund(first.transferId());
            rail.fund(second.transferId());

            assertThat(notified).extracting(RailNotification::transferId).containsExactly(second.transferId());
            assertThat(rail.query(first.transferId()).status())
                    .as("a dropped notification is made up for by query")
                    .isEqualTo(RailStatus.SUCCEEDED);
        }

        @Test
        void duplicateNotificationsDeliversEveryNotificationTwice() {
            SandboxRail rail = rail();
            rail.duplicateNotifications(true);
            FundingRequest request = open(rail, 100);

            rail.fund(request.transferId());

            assertThat(notified).hasSize(2).containsOnly(notified.get(0));
            assertThat(rail.movements(request.transferId())).isEqualTo(1);
        }

        @Test
        void withoutAListenerNotificationsAreDropped() {
            SandboxRail rail = SandboxRail.builder().clock(clock).build();
            FundingRequest request = funding(100);
            rail.openFunding(request);

            assertThat(rail.fund(request.transferId())).isTrue();
        }

        @Test
        void aListenerMayCallBackIntoTheRail() {
            SandboxRail rail = rail();
            List<RailStatus> seenByListener = new ArrayList<>();
            rail.setListener(n -> seenByListener.add(rail.query(n.transferId()).status()));
            FundingRequest request = open(rail, 100);

            rail.fund(request.transferId());

            assertThat(seenByListener).containsExactly(RailStatus.SUCCEEDED);
        }
    }

    @Nested
    class Books {
        @Test
        void concurrentPayoutsFromOneFundingNeverOverdraw() throws Exception {
            SandboxRail rail = rail();
            FundingRequest request = funded(rail, 1_000);
            List<PayoutRequest> payouts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                payouts.add(release(request, 100, 0, PayoutDestination.railAddress("seller-" + i)));
            }

            List<RailResult> results = inParallel(payouts.stream()
                    .map(p -> (java.util.concurrent.Callable<RailResult>) () -> rail.payout(p))
                    .toList());

            assertThat(results)
                    .filteredOn(r -> r.status() == RailStatus.SUCCEEDED)
                    .hasSize(10);
            assertThat(results)
                    .filteredOn(r -> r.status() == RailStatus.FAILED)
                    .allSatisfy(r -> assertThat(r.error().code()).isEqualTo(SandboxCodes.INSUFFICIENT_FUNDS))
                    .hasSize(6);
            assertThat(rail.paidOut(USD)).isEqualTo(1_000);
            assertThat(rail.held(request.transferId())).isZero();
        }

        @ParameterizedTest(name = "seed {0}")
        @ValueSource(longs = {1, 2, 3, 20261122, 987654321})
        void randomTrafficWithFaultsConservesMoneyAndNeverMovesTwice(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            SandboxRail rail = rail(SandboxRail.builder()
                    .maxHold(Duration.ofHours(6))
                    .railFeeMinor(random.nextInt(3))
                    .partySignatures(random.nextBoolean()));
            List<FundingRequest> fundings = new ArrayList<>();
            List<PayoutRequest> payouts = new ArrayList<>();

            for (int step = 0; step < 3_000; step++) {
                int dice = random.nextInt(100);
                if (dice < 15 || fundings.isEmpty()) {
                    FundingRequest request = funding(1 + random.nextInt(5_000));
                    fundings.add(request);
                    rail.openFunding(request);
                } else if (dice < 30) {
                    rail.fund(pick(random, fundings).transferId());
                } else if (dice < 55) {
                    FundingRequest from = pick(random, fundings);
                    PayoutDestination to = random.nextInt(4) == 0
                            ? PayoutDestination.internalBalance()
                            : PayoutDestination.railAddress("wallet-" + random.nextInt(20));
                    PayoutRequest payout = random.nextBoolean()
                            ? release(from, 1 + random.nextInt(2_000), random.nextInt(50), to)
                            : refund(from, 1 + random.nextInt(2_000), random.nextInt(50), to);
                    payouts.add(payout);
                    RailResult answer = rail.payout(payout);
                    // parties mostly sign at once; the rest sign late, or never and the signature expires
                    if (answer.instruction() instanceof PartyInstruction.SignTransaction asked
                            && random.nextInt(4) != 0) {
                        rail.submitPartyResponse(payout.transferId(), asked.party(), SandboxRail.sign(asked));
                    }
                } else if (dice < 60) {
                    PayoutRequest payout = withdrawal(
                            1 + random.nextInt(1_000),
                            random.nextInt(10),
                            PayoutDestination.railAddress("wallet-" + random.nextInt(20)));
                    payouts.add(payout);
                    rail.payout(payout);
                } else if (dice < 68 && !payouts.isEmpty()) {
                    PayoutRequest payout = pick(random, payouts);
                    RailResult state = rail.query(payout.transferId());
                    if (state.instruction() instanceof PartyInstruction.SignTransaction asked) {
                        rail.submitPartyResponse(payout.transferId(), asked.party(), SandboxRail.sign(asked));
                    } else {
                        rail.payout(payout);
                    }
                } else if (dice < 74) {
                    rail.cancelFunding(pick(random, fundings).transferId());
                } else if (dice < 80) {
                    switch (random.nextInt(4)) {
                        case 0 -> rail.failNext("CHAOS");
                        case 1 -> rail.unknownNext();
                        case 2 -> rail.stallNext();
                        default -> rail.completeStalled();
                    }
                } else if (dice < 85) {
                    rail.lapseHold(pick(random, fundings).transferId());
                } else if (dice < 90) {
                    clock.advance(Duration.ofMinutes(random.nextInt(120)));
                    rail.tick();
                } else {
                    rail.openFunding(pick(random, fundings));
                }
            }
            rail.completeStalled();

            long held = rail.totalHeld(USD);
            assertThat(rail.received(USD))
                    .as("seed %d: received = paid out + returned + platform + rail fees + held", seed)
                    .isEqualTo(rail.paidOut(USD)
                            + rail.returnedToBuyers(USD)
                            + rail.platformBalance(USD)
                            + rail.railFees(USD)
                            + held);
            for (FundingRequest funding : fundings) {
                assertThat(rail.movements(funding.transferId()))
                        .as("seed %d", seed)
                        .isLessThanOrEqualTo(1);
                assertThat(rail.held(funding.transferId()))
                        .as("seed %d", seed)
                        .isBetween(0L, funding.amount().minor());
            }
            for (PayoutRequest payout : payouts) {
                assertThat(rail.movements(payout.transferId()))
                        .as("seed %d", seed)
                        .isLessThanOrEqualTo(1);
            }
            assertThat(rail.payouts())
                    .as("seed %d: the walk made payouts", seed)
                    .isNotEmpty()
                    .hasSizeLessThanOrEqualTo(payouts.size());
            assertThat(rail.returnedToBuyers(USD))
                    .as("seed %d: the walk returned money", seed)
                    .isPositive();
            assertThat(held).as("seed %d: the walk left money held", seed).isPositive();
            assertThat(rail.payouts().stream()
                            .mapToLong(p -> p.amount().minor())
                            .sum())
                    .as("seed %d: the payout log adds up", seed)
                    .isEqualTo(rail.paidOut(USD)
                            + rail.payouts().stream()
                                    .filter(p -> p.destination() instanceof PayoutDestination.InternalBalance)
                                    .mapToLong(p -> p.amount().minor())
                                    .sum());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Mostly one of the last few, as real traffic works on recent escrows; sometimes any, to reach old ones. */
    private static <T> T pick(SplittableRandom random, List<T> from) {
        int window = random.nextInt(10) == 0 ? from.size() : Math.min(from.size(), 6);
        return from.get(from.size() - 1 - random.nextInt(window));
    }

    private static <T> List<T> inParallel(List<java.util.concurrent.Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (java.util.concurrent.Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(10, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String code(RailResult result) {
        assertThat(result.error()).as("error of %s", result).isNotNull();
        return result.error().code();
    }

    private static Money usd(long minor) {
        return Money.of(minor, USD);
    }

    private TransferId next(String kind) {
        return TransferId.of(kind + "-" + (++ids));
    }

    private FundingRequest funding(long minor) {
        return funding(usd(minor));
    }

    private FundingRequest funding(Money amount) {
        return funding(next("f"), amount);
    }

    private FundingRequest funding(TransferId transferId, Money amount) {
        Instant fundBy = clock.instant().plus(Duration.ofHours(1));
        return new FundingRequest(
                transferId,
                EscrowId.of("escrow-" + transferId.value()),
                amount,
                PartyId.of("buyer"),
                PartyId.of("seller"),
                fundBy,
                fundBy.plus(Duration.ofDays(2)),
                Map.of());
    }

    private FundingRequest open(SandboxRail rail, long minor) {
        FundingRequest request = funding(minor);
        assertThat(rail.openFunding(request).status()).isEqualTo(RailStatus.PENDING);
        return request;
    }

    private FundingRequest funded(SandboxRail rail, long minor) {
        FundingRequest request = open(rail, minor);
        assertThat(rail.fund(request.transferId())).isTrue();
        return request;
    }

    private PayoutRequest release(FundingRequest from, long amount, long fee, PayoutDestination to) {
        return new PayoutRequest(
                next("release"),
                PayoutKind.RELEASE,
                from.escrowId(),
                from.transferId(),
                from.seller(),
                usd(amount),
                usd(fee),
                to,
                false);
    }

    private PayoutRequest refund(FundingRequest from, long amount, long fee, PayoutDestination to) {
        return new PayoutRequest(
                next("refund"),
                PayoutKind.REFUND,
                from.escrowId(),
                from.transferId(),
                from.buyer(),
                usd(amount),
                usd(fee),
                to,
                false);
    }

    private PayoutRequest withdrawal(long amount, long fee, PayoutDestination to) {
        return new PayoutRequest(
                next("withdraw"),
                PayoutKind.WITHDRAWAL,
                null,
                null,
                PartyId.of("seller"),
                usd(amount),
                usd(fee),
                to,
                false);
    }
}
