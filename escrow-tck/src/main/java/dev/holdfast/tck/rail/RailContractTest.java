package dev.holdfast.tck.rail;

import static dev.holdfast.spi.RailStatus.FAILED;
import static dev.holdfast.spi.RailStatus.PENDING;
import static dev.holdfast.spi.RailStatus.SUCCEEDED;
import static dev.holdfast.spi.RailStatus.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.AssetLimits;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rail contract, as tests: every {@link PaymentRail} must pass this suite. Each test names the requirement of
 * {@code docs/rail-contract.md} it checks, in its display name and as a JUnit tag ({@code -Dgroups=RC-5} runs one
 * requirement).
 *
 * <p>To use it, extend it in the rail's test sources as {@code <Rail>ContractTest} and implement {@link
 * #createFixture()}. Tests that need a capability the rail does not declare, or fault steering the fixture does not
 * offer, are skipped by an assumption that says which; everything else must pass. The helpers are protected so a
 * rail may add tests of its own in the same style.
 *
 * <p>Each test gets a fresh fixture and rail; the suite sets its own {@link RailNotificationRecorder} as the rail's
 * listener before any other call.
 *
 * <p>Not thread-safe, and need not be: JUnit makes one instance per test. The concurrency tests start their own
 * threads against the rail and the fixture.
 *
 * @since 0.1
 */
public abstract class RailContractTest {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final PartyId BUYER = PartyId.of("tck-buyer");
    private static final PartyId SELLER = PartyId.of("tck-seller");

    private final String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    private final RailNotificationRecorder notifications = new RailNotificationRecorder();
    private RailTestFixture fixture;
    private PaymentRail rail;

    /**
     * Called once per test, before it.
     *
     * @return a new fixture whose rail has no history
     */
    protected abstract RailTestFixture createFixture();

    @BeforeEach
    final void openFixture() {
        fixture = Objects.requireNonNull(createFixture(), "createFixture()");
        rail = Objects.requireNonNull(fixture.rail(), "RailTestFixture.rail()");
        rail.setListener(notifications);
        Money amount = fixture.fundingAmount();
        assertThat(amount.minor())
                .as("RailTestFixture.fundingAmount() must be at least 100 minor units so the kit can split it")
                .isGreaterThanOrEqualTo(100);
        assertThat(rail.capabilities().limits(amount.asset()))
                .as("RailTestFixture.fundingAmount() %s must be in an asset the rail lists, within its limits", amount)
                .hasValueSatisfying(limits -> assertThat(limits.accepts(amount)).isTrue());
    }

    @AfterEach
    final void closeFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    // =================================================================== RC-1 idempotent on transfer id

    @Test
    @Tag("RC-1")
    @DisplayName("RC-1 a repeated openFunding with the same transfer id answers the same instruction and opens one"
            + " funding")
    void aRepeatedOpenFundingAnswersTheSameInstructionAndOpensOneFunding() {
        FundingRequest request = fundingRequest(amount());
        RailResult first = rail.openFunding(request);
        RailResult second = rail.openFunding(request);
        assertThat(first.status()).as("first openFunding: %s", first).isIn(PENDING, SUCCEEDED);
        assertThat(second.status()).as("repeated openFunding: %s", second).isEqualTo(first.status());
        assertThat(second.instruction())
                .as("repeated openFunding's instruction")
                .isEqualTo(first.instruction());

        if (first.status() == PENDING) {
            assertThat(fixture.buyerPays(request, first)).as("the buyer pays").isTrue();
        }
        awaitFunded(request);
        RailResult afterFunding = rail.openFunding(request);
        assertThat(afterFunding.status())
                .as("openFunding repeated after the buyer paid: %s", afterFunding)
                .isEqualTo(SUCCEEDED);
        assertThat(fixture.buyerNetPaid(request)).as("what the buyer paid").isEqualTo(request.amount());

        // one funding holds the amount once: a second whole payout from it must fail
        assertThat(pay(releaseAll(request, destination(Role.SELLER, payable(request))))
                        .status())
                .isEqualTo(SUCCEEDED);
        assertThat(pay(releaseAll(request, destination(Role.SELLER, payable(request))))
                        .status())
                .as("a second whole payout from the same funding")
                .isEqualTo(FAILED);
    }

    @Test
    @Tag("RC-1")
    @DisplayName("RC-1 a repeated payout with the same transfer id pays once")
    void aRepeatedPayoutWithTheSameTransferIdPaysOnce() {
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest request = releaseAll(funding, seller);

        Outcome first = pay(request);
        Outcome again = pay(request);

        assertThat(first.status()).as("first payout: %s", first).isEqualTo(SUCCEEDED);
        assertThat(again.status()).as("repeated payout: %s", again).isEqualTo(SUCCEEDED);
        assertThat(again.last().railReference()).isEqualTo(first.last().railReference());
        assertThat(received(seller)).as("received by the seller").isEqualTo(request.amount());
    }

    @Test
    @Tag("RC-1")
    @DisplayName("RC-1 the same payout sent from several threads at once pays once")
    void theSamePayoutSentFromSeveralThreadsAtOncePaysOnce() {
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest request = releaseAll(funding, seller);

        List<Outcome> outcomes = concurrently(8, i -> pay(request));

        assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as("%s", o).isEqualTo(SUCCEEDED));
        assertThat(outcomes.stream().map(o -> Optional.ofNullable(o.last().railReference())))
                .as("rail references")
                .containsOnly(Optional.ofNullable(outcomes.get(0).last().railReference()));
        assertThat(received(seller)).as("received by the seller").isEqualTo(request.amount());
    }

    @Test
    @Tag("RC-1")
    @DisplayName("RC-1 a repeated cancelFunding answers SUCCEEDED and gives the buyer the money back once")
    void aRepeatedCancelFundingAnswersSucceededAndGivesTheMoneyBackOnce() {
        FundingRequest funding = fund();

        assertThat(cancel(funding).status()).as("first cancel").isEqualTo(SUCCEEDED);
        RailResult again = rail.cancelFunding(funding.transferId());

        assertThat(again.status()).as("repeated cancel: %s", again).isEqualTo(SUCCEEDED);
        assertThat(fixture.buyerNetPaid(funding))
                .as("what the buyer has paid and not got back")
                .isEqualTo(zero());
    }

    @Test
    @Tag("RC-1")
    @DisplayName("RC-1 a payout that failed stays failed when repeated with the same transfer id")
    void aPayoutThatFailedStaysFailedWhenRepeatedWithTheSameTransferId() {
        RailFaults faults = faults();
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest request = releaseAll(funding, seller);

        faults.failNext("TCK_INJECTED");
        Outcome first = pay(request);
        Outcome again = pay(request);

        assertThat(first.status()).as("the failed payout: %s", first).isEqualTo(FAILED);
        assertThat(again.status()).as("the same payout again: %s", again).isEqualTo(FAILED);
        assertThat(received(seller)).as("received by the seller").isEqualTo(zero());
        assertThat(pay(releaseAll(funding, destination(Role.SELLER, payable(funding))))
                        .status())
                .as("a new payout of the untouched funding")
                .isEqualTo(SUCCEEDED);
    }

    @Test
    @Tag("RC-1")
    @DisplayName("RC-1 a different payout under a used transfer id moves no money")
    void aDifferentPayoutUnderAUsedTransferIdMovesNoMoney() {
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest request = releaseAll(funding, seller);
        assertThat(pay(request).status()).isEqualTo(SUCCEEDED);

        PayoutDestination.RailAddress buyer = destination(Role.BUYER, request.amount());
        PayoutRequest other = new PayoutRequest(
                request.transferId(),
                PayoutKind.REFUND,
                funding.escrowId(),
                funding.transferId(),
                funding.buyer(),
                request.amount(),
                request.platformFee(),
                buyer,
                true);
        pay(other);

        assertThat(received(buyer)).as("received by the second destination").isEqualTo(zero());
        assertThat(received(seller)).as("received by the first destination").isEqualTo(request.amount());
        assertThat(rail.query(request.transferId()).status()).isEqualTo(SUCCEEDED);
    }

    // =================================================================== RC-2 problems are values

    @Test
    @Tag("RC-2")
    @DisplayName("RC-2 requests the rail cannot serve answer FAILED instead of throwing")
    void requestsTheRailCannotServeAnswerFailedInsteadOfThrowing() {
        FundingRequest unsupported = fundingRequest(Money.of(100, unlistedAsset()));
        RailResult opened = withoutThrowing("openFunding in an unlisted asset", () -> rail.openFunding(unsupported));
        assertFailedWithCode(opened);

        FundingRequest neverOpened = fundingRequest(amount());
        PayoutRequest fromNowhere = releaseAll(neverOpened, destination(Role.SELLER, payable(neverOpened)));
        RailResult paid = withoutThrowing("payout from a funding never opened", () -> rail.payout(fromNowhere));
        assertFailedWithCode(drive(fromNowhere.transferId(), paid).last());

        RailResult cancelled = withoutThrowing(
                "cancelFunding of an unseen transfer id", () -> rail.cancelFunding(newTransferId("unseen")));
        assertThat(cancelled.status() == SUCCEEDED
                        || (cancelled.status() == FAILED && cancelled.error().isNotFound()))
                .as("cancelFunding of an unseen id answers SUCCEEDED or FAILED NOT_FOUND: %s", cancelled)
                .isTrue();
    }

    @Test
    @Tag("RC-2")
    @DisplayName("RC-2 a rail-side failure answers FAILED with a code and moves no money")
    void aRailSideFailureAnswersFailedWithACodeAndMovesNoMoney() {
        RailFaults faults = faults();
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest request = releaseAll(funding, seller);

        faults.failNext("TCK_INJECTED");
        RailResult answer = withoutThrowing("a failing payout", () -> rail.payout(request));
        Outcome outcome = drive(request.transferId(), answer);

        assertFailedWithCode(outcome.last());
        assertThat(received(seller)).as("received by the seller").isEqualTo(zero());
        assertThat(rail.query(request.transferId()).status()).as("query").isEqualTo(FAILED);
        assertThat(pay(releaseAll(funding, destination(Role.SELLER, payable(funding))))
                        .status())
                .as("a new payout of the untouched funding")
                .isEqualTo(SUCCEEDED);
    }

    @Test
    @Tag("RC-2")
    @DisplayName("RC-2 a failed openFunding leaves nothing for the buyer to pay")
    void aFailedOpenFundingLeavesNothingForTheBuyerToPay() {
        RailFaults faults = faults();
        FundingRequest request = fundingRequest(amount());

        faults.failNext("TCK_INJECTED");
        RailResult opened = withoutThrowing("a failing openFunding", () -> rail.openFunding(request));

        assertFailedWithCode(opened);
        assertThat(fixture.buyerPays(request, opened)).as("the buyer could pay").isFalse();
        assertThat(fixture.buyerNetPaid(request)).isEqualTo(zero());
        assertThat(rail.query(request.transferId()).status()).as("query").isEqualTo(FAILED);
        assertThat(notifications.of(RailNotification.Funded.class, request.transferId()))
                .isEmpty();
    }

    // =================================================================== RC-3 query tells the truth

    @Test
    @Tag("RC-3")
    @DisplayName("RC-3 query of a transfer id the rail never saw answers FAILED with code NOT_FOUND")
    void queryOfATransferIdTheRailNeverSawAnswersNotFound() {
        RailResult answer = withoutThrowing("query", () -> rail.query(newTransferId("unseen")));

        assertThat(answer.status()).isEqualTo(FAILED);
        assertThat(answer.error()).as("error of %s", answer).isNotNull();
        assertThat(answer.error().isNotFound())
                .as("%s is NOT_FOUND", answer.error())
                .isTrue();
    }

    @Test
    @Tag("RC-3")
    @DisplayName("RC-3 query follows a funding from PENDING to SUCCEEDED when the buyer pays")
    void queryFollowsAFundingFromPendingToSucceeded() {
        FundingRequest request = fundingRequest(amount());
        RailResult opened = rail.openFunding(request);
        assumeTrue(opened.status() == PENDING, "the rail funded at once (" + opened + "): nothing is pending");

        assertThat(rail.query(request.transferId()).status())
                .as("query before paying")
                .isEqualTo(PENDING);
        assertThat(fixture.buyerPays(request, opened)).as("the buyer pays").isTrue();
        assertThat(awaitQuery(request.transferId(), s -> s != PENDING).status())
                .as("query after paying")
                .isEqualTo(SUCCEEDED);
    }

    @Test
    @Tag("RC-3")
    @DisplayName("RC-3 query of a payout tells what the payout answered, succeeded or failed")
    void queryOfAPayoutTellsWhatThePayoutAnswered() {
        FundingRequest funding = fund();
        Money fee = fee(funding);
        PayoutRequest tooMuch = release(
                funding,
                payable(funding).plus(one()),
                fee,
                destination(Role.SELLER, payable(funding).plus(one())),
                true);
        PayoutRequest whole = releaseAll(funding, destination(Role.SELLER, payable(funding)));

        Outcome failed = pay(tooMuch);
        Outcome succeeded = pay(whole);

        assertThat(failed.status()).as("%s", failed).isEqualTo(FAILED);
        assertThat(succeeded.status()).as("%s", succeeded).isEqualTo(SUCCEEDED);
        assertThat(rail.query(tooMuch.transferId()).status()).isEqualTo(FAILED);
        RailResult queried = rail.query(whole.transferId());
        assertThat(queried.status()).isEqualTo(SUCCEEDED);
        assertThat(queried.railReference()).isEqualTo(succeeded.last().railReference());
    }

    @Test
    @Tag("RC-3")
    @DisplayName("RC-3 query of a cancelled funding answers FAILED, paid or not")
    void queryOfACancelledFundingAnswersFailed() {
        FundingRequest open = fundingRequest(amount());
        rail.openFunding(open);
        FundingRequest funded = fund();

        assertThat(cancel(open).status()).isEqualTo(SUCCEEDED);
        assertThat(cancel(funded).status()).isEqualTo(SUCCEEDED);

        assertThat(rail.query(open.transferId()).status())
                .as("query of the unpaid one")
                .isEqualTo(FAILED);
        assertThat(rail.query(funded.transferId()).status())
                .as("query of the paid one")
                .isEqualTo(FAILED);
    }

    @Test
    @Tag("RC-3")
    @DisplayName("RC-3 query answers PENDING while a payout is stalled and SUCCEEDED once it completes")
    void queryAnswersPendingWhileAPayoutIsStalledAndSucceededOnceItCompletes() {
        RailFaults faults = faults();
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest request = releaseAll(funding, seller);

        faults.stallNext();
        RailResult answer = rail.payout(request);
        if (answer.instruction() instanceof PartyInstruction.SignTransaction asked) {
            answer = rail.submitPartyResponse(request.transferId(), asked.party(), fixture.sign(asked));
        }

        assertThat(answer.status())
                .as("the stalled payout's answer: %s", answer)
                .isEqualTo(PENDING);
        assertThat(rail.query(request.transferId()).status())
                .as("query while stalled")
                .isEqualTo(PENDING);
        assertThat(received(seller)).as("received while stalled").isEqualTo(zero());

        faults.completeStalled();
        Outcome completed = drive(request.transferId(), rail.query(request.transferId()));

        assertThat(completed.status()).as("%s", completed).isEqualTo(SUCCEEDED);
        assertThat(received(seller)).as("received once completed").isEqualTo(request.amount());
    }

    // =================================================================== RC-4 exact amounts

    @Test
    @Tag("RC-4")
    @DisplayName("RC-4 funded and paid amounts are exact to the minor unit")
    void fundedAndPaidAmountsAreExactToTheMinorUnit() {
        FundingRequest funding = fund();
        RailNotification.Funded funded = awaitNotification(RailNotification.Funded.class, funding.transferId());
        assertThat(funded.amount()).as("amount notified as funded").isEqualTo(funding.amount());

        if (rail.capabilities().partialRelease()) {
            long total = funding.amount().minor();
            List<long[]> parts = List.of(new long[] {1, 0}, new long[] {7, 3}, new long[] {total - 11, 0});
            for (long[] part : parts) {
                Money amount = money(part[0]);
                PayoutDestination.RailAddress to = destination(Role.SELLER, amount);
                Outcome outcome = pay(release(funding, amount, money(part[1]), to, part == parts.get(2)));
                assertThat(outcome.status())
                        .as("paying %s: %s", amount, outcome)
                        .isEqualTo(SUCCEEDED);
                assertThat(received(to))
                        .as("received for a payout of %s", amount)
                        .isEqualTo(amount);
            }
        } else {
            PayoutDestination.RailAddress to = destination(Role.SELLER, payable(funding));
            assertThat(pay(releaseAll(funding, to)).status()).isEqualTo(SUCCEEDED);
            assertThat(received(to)).isEqualTo(payable(funding));
        }
    }

    @Test
    @Tag("RC-4")
    @DisplayName("RC-4 funding amounts outside an asset's limits, zero or negative are refused")
    void fundingAmountsOutsideAnAssetsLimitsAreRefused() {
        for (AssetLimits limits : rail.capabilities().assets()) {
            Asset asset = limits.asset();
            List<Money> refused = new ArrayList<>(List.of(Money.zero(asset), Money.of(-1, asset)));
            if (limits.minMinor() > 1) {
                refused.add(Money.of(limits.minMinor() - 1, asset));
            }
            if (limits.maxMinor() < Long.MAX_VALUE) {
                refused.add(Money.of(limits.maxMinor() + 1, asset));
            }
            for (Money amount : refused) {
                RailResult answer =
                        withoutThrowing("openFunding of " + amount, () -> rail.openFunding(fundingRequest(amount)));
                assertThat(answer.status())
                        .as("openFunding of %s with limits %s: %s", amount, limits, answer)
                        .isEqualTo(FAILED);
            }
        }
    }

    @Test
    @Tag("RC-4")
    @DisplayName("RC-4 assets the rail does not list are refused, even a listed code at another scale")
    void assetsTheRailDoesNotListAreRefused() {
        Asset otherScale = sameCodeOtherScale(asset());
        Asset unlisted = unlistedAsset();

        for (Asset asset : List.of(otherScale, unlisted)) {
            Money amount = Money.of(amount().minor(), asset);
            RailResult answer = rail.openFunding(fundingRequest(amount));
            assertThat(answer.status())
                    .as("openFunding of %s: %s", amount, answer)
                    .isEqualTo(FAILED);
        }
    }

    @Test
    @Tag("RC-4")
    @DisplayName("RC-4 a payout in another asset than its funding is refused")
    void aPayoutInAnotherAssetThanItsFundingIsRefused() {
        FundingRequest funding = fund();
        Asset other = sameCodeOtherScale(asset());
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest mismatched = release(funding, Money.of(1, other), Money.zero(other), seller, false);

        Outcome outcome = pay(mismatched);

        assertThat(outcome.status()).as("%s", outcome).isEqualTo(FAILED);
        assertThat(received(seller)).isEqualTo(zero());
        assertThat(fixture.receivedAt(seller, other)).isEqualTo(Money.zero(other));
        assertThat(pay(releaseAll(funding, destination(Role.SELLER, payable(funding))))
                        .status())
                .as("a payout of the untouched funding")
                .isEqualTo(SUCCEEDED);
    }

    @Test
    @Tag("RC-4")
    @DisplayName("RC-4 a payout of nothing, or with a negative platform fee, is refused")
    void aPayoutOfNothingOrWithANegativePlatformFeeIsRefused() {
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));

        Outcome nothing = pay(release(funding, zero(), fee(funding), seller, false));
        Outcome negativeFee = pay(release(funding, payable(funding), money(-1), seller, false));

        assertThat(nothing.status()).as("%s", nothing).isEqualTo(FAILED);
        assertThat(negativeFee.status()).as("%s", negativeFee).isEqualTo(FAILED);
        assertThat(received(seller)).isEqualTo(zero());
        assertThat(pay(releaseAll(funding, destination(Role.SELLER, payable(funding))))
                        .status())
                .as("a payout of the untouched funding")
                .isEqualTo(SUCCEEDED);
    }

    // =================================================================== RC-5 never more than funded

    @Test
    @Tag("RC-5")
    @DisplayName("RC-5 payouts can draw the whole funding with platform fees but not one minor unit more")
    void payoutsCanDrawTheWholeFundingButNotOneMinorUnitMore() {
        FundingRequest funding = fund();
        Money total = funding.amount();
        Money fee = fee(funding);
        List<PayoutDestination.RailAddress> paid = new ArrayList<>();

        if (rail.capabilities().partialRelease()) {
            Money first = money(total.minor() / 2).minus(fee);
            Money rest = total.minus(first).minus(fee);
            paid.add(destination(Role.SELLER, first));
            assertThat(pay(release(funding, first, fee, paid.get(0), false)).status())
                    .isEqualTo(SUCCEEDED);
            PayoutDestination.RailAddress over = destination(Role.SELLER, rest.plus(one()));
            assertThat(pay(release(funding, rest.plus(one()), zero(), over, true))
                            .status())
                    .as("drawing the rest plus one")
                    .isEqualTo(FAILED);
            assertThat(received(over)).isEqualTo(zero());
            paid.add(destination(Role.SELLER, rest));
            assertThat(pay(release(funding, rest, zero(), paid.get(1), true)).status())
                    .as("drawing exactly the rest")
                    .isEqualTo(SUCCEEDED);
        } else {
            PayoutDestination.RailAddress over =
                    destination(Role.SELLER, payable(funding).plus(one()));
            assertThat(pay(release(funding, payable(funding).plus(one()), fee, over, true))
                            .status())
                    .as("drawing the whole funding plus one")
                    .isEqualTo(FAILED);
            assertThat(received(over)).isEqualTo(zero());
            paid.add(destination(Role.SELLER, payable(funding)));
            assertThat(pay(releaseAll(funding, paid.get(0))).status()).isEqualTo(SUCCEEDED);
        }
        PayoutDestination.RailAddress more = destination(Role.SELLER, one());
        assertThat(pay(release(funding, one(), zero(), more, true)).status())
                .as("drawing one more minor unit from the emptied funding")
                .isEqualTo(FAILED);

        Money delivered = paid.stream().map(this::received).reduce(zero(), Money::plus);
        assertThat(delivered).as("delivered in all").isEqualTo(total.minus(fee));
        assertThat(received(more)).isEqualTo(zero());
    }

    @Test
    @Tag("RC-5")
    @DisplayName("RC-5 a payout from a funding the buyer has not paid fails")
    void aPayoutFromAFundingTheBuyerHasNotPaidFails() {
        FundingRequest funding = fundingRequest(amount());
        RailResult opened = rail.openFunding(funding);
        assumeTrue(opened.status() == PENDING, "the rail funded at once (" + opened + "): nothing is unpaid");
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));

        Outcome early = pay(releaseAll(funding, seller));

        assertThat(early.status()).as("%s", early).isEqualTo(FAILED);
        assertThat(received(seller)).isEqualTo(zero());
        assertThat(fixture.buyerPays(funding, opened))
                .as("the buyer pays afterwards")
                .isTrue();
        awaitFunded(funding);
        assertThat(pay(releaseAll(funding, destination(Role.SELLER, payable(funding))))
                        .status())
                .as("a payout once paid")
                .isEqualTo(SUCCEEDED);
    }

    @Test
    @Tag("RC-5")
    @DisplayName("RC-5 a payout from a cancelled funding fails")
    void aPayoutFromACancelledFundingFails() {
        FundingRequest funding = fund();
        assertThat(cancel(funding).status()).isEqualTo(SUCCEEDED);
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));

        Outcome outcome = pay(releaseAll(funding, seller));

        assertThat(outcome.status()).as("%s", outcome).isEqualTo(FAILED);
        assertThat(received(seller)).isEqualTo(zero());
        assertThat(fixture.buyerNetPaid(funding)).isEqualTo(zero());
    }

    @Test
    @Tag("RC-5")
    @DisplayName("RC-5 a payout from a funding the rail never saw fails")
    void aPayoutFromAFundingTheRailNeverSawFails() {
        FundingRequest neverOpened = fundingRequest(amount());
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(neverOpened));

        Outcome outcome = pay(releaseAll(neverOpened, seller));

        assertThat(outcome.status()).as("%s", outcome).isEqualTo(FAILED);
        assertThat(received(seller)).isEqualTo(zero());
    }

    @Test
    @Tag("RC-5")
    @DisplayName("RC-5 concurrent payouts never draw more than the funding holds")
    void concurrentPayoutsNeverDrawMoreThanTheFundingHolds() {
        assumeTrue(rail.capabilities().partialRelease(), "the rail does not declare partialRelease");
        FundingRequest funding = fund();
        Money quarter = money(funding.amount().minor() / 4);
        int attempts = 8;
        List<PayoutDestination.RailAddress> sellers = new ArrayList<>();
        List<PayoutRequest> requests = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            sellers.add(destination(Role.SELLER, quarter));
            requests.add(release(funding, quarter, zero(), sellers.get(i), false));
        }

        List<Outcome> outcomes = concurrently(attempts, i -> pay(requests.get(i)));

        long succeeded = 0;
        for (int i = 0; i < attempts; i++) {
            Outcome outcome = outcomes.get(i);
            assertThat(outcome.status()).as("payout %d: %s", i, outcome).isIn(SUCCEEDED, FAILED);
            Money expected = outcome.status() == SUCCEEDED ? quarter : zero();
            assertThat(received(sellers.get(i))).as("received by payout %d", i).isEqualTo(expected);
            succeeded += outcome.status() == SUCCEEDED ? 1 : 0;
        }
        assertThat(succeeded * quarter.minor())
                .as("drawn by %d successful payouts", succeeded)
                .isLessThanOrEqualTo(funding.amount().minor());
    }

    // =================================================================== RC-6 funding notifications

    @Test
    @Tag("RC-6")
    @DisplayName("RC-6 Funded is notified with the exact amount once the buyer pays, and not before")
    void fundedIsNotifiedWithTheExactAmountOnceTheBuyerPays() {
        FundingRequest request = fundingRequest(amount());
        RailResult opened = rail.openFunding(request);
        if (opened.status() == PENDING) {
            assertThat(notifications.of(RailNotification.Funded.class, request.transferId()))
                    .as("Funded before the buyer paid")
                    .isEmpty();
            assertThat(fixture.buyerPays(request, opened)).as("the buyer pays").isTrue();
        }

        RailNotification.Funded funded = awaitNotification(RailNotification.Funded.class, request.transferId());

        assertThat(funded.amount()).isEqualTo(request.amount());
        RailResult queried = awaitQuery(request.transferId(), s -> s == SUCCEEDED);
        assertThat(queried.status()).as("query after Funded").isEqualTo(SUCCEEDED);
        if (funded.railReference() != null && queried.railReference() != null) {
            assertThat(funded.railReference()).isEqualTo(queried.railReference());
        }
        assertThat(notifications.of(RailNotification.Funded.class, request.transferId()))
                .as("every Funded for the transfer")
                .containsOnly(funded);
    }

    @Test
    @Tag("RC-6")
    @DisplayName("RC-6 every copy of a notification carries the same content, so de-duplicating it is safe")
    void everyCopyOfANotificationCarriesTheSameContent() {
        FundingRequest paidOut = fund();
        assertThat(pay(releaseAll(paidOut, destination(Role.SELLER, payable(paidOut))))
                        .status())
                .isEqualTo(SUCCEEDED);
        FundingRequest cancelled = fund();
        assertThat(cancel(cancelled).status()).isEqualTo(SUCCEEDED);
        FundingRequest held = fund();

        Map<String, Set<RailNotification>> copies = notifications.all().stream()
                .collect(Collectors.groupingBy(
                        n -> n.getClass().getSimpleName() + " " + n.transferId(), Collectors.toSet()));

        assertThat(copies).as("notifications").isNotEmpty();
        assertThat(copies)
                .allSatisfy((event, distinct) ->
                        assertThat(distinct).as("copies of %s", event).hasSize(1));
        assertThat(notifications.of(RailNotification.Funded.class, held.transferId()))
                .isNotEmpty();
    }

    // =================================================================== RC-7 cancelling a funding

    @Test
    @Tag("RC-7")
    @DisplayName("RC-7 cancelling an open funding makes the buyer's payment impossible")
    void cancellingAnOpenFundingMakesTheBuyersPaymentImpossible() {
        FundingRequest request = fundingRequest(amount());
        RailResult opened = rail.openFunding(request);
        assumeTrue(opened.status() == PENDING, "the rail funded at once (" + opened + "): nothing is open");

        assertThat(cancel(request).status()).isEqualTo(SUCCEEDED);

        assertThat(fixture.buyerPays(request, opened))
                .as("the buyer could still pay")
                .isFalse();
        assertThat(fixture.buyerNetPaid(request)).isEqualTo(zero());
        assertThat(notifications.of(RailNotification.Funded.class, request.transferId()))
                .isEmpty();
        assertThat(rail.query(request.transferId()).status()).isEqualTo(FAILED);
        assertThat(rail.cancelFunding(request.transferId()).status())
                .as("cancel again")
                .isEqualTo(SUCCEEDED);
    }

    @Test
    @Tag("RC-7")
    @DisplayName("RC-7 cancelling a funded funding gives the buyer the money back")
    void cancellingAFundedFundingGivesTheBuyerTheMoneyBack() {
        FundingRequest funding = fund();
        assertThat(fixture.buyerNetPaid(funding)).isEqualTo(funding.amount());

        assertThat(cancel(funding).status()).isEqualTo(SUCCEEDED);

        assertThat(fixture.buyerNetPaid(funding)).isEqualTo(zero());
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        assertThat(pay(releaseAll(funding, seller)).status()).isEqualTo(FAILED);
        assertThat(received(seller)).isEqualTo(zero());
    }

    @Test
    @Tag("RC-7")
    @DisplayName("RC-7 cancelling after a payout never takes the payout back nor returns more than remains")
    void cancellingAfterAPayoutNeverTakesThePayoutBack() {
        FundingRequest funding = fund();
        boolean partial = rail.capabilities().partialRelease();
        Money amount = partial ? money(funding.amount().minor() / 2) : payable(funding);
        Money fee = partial ? zero() : fee(funding);
        PayoutDestination.RailAddress seller = destination(Role.SELLER, amount);
        assertThat(pay(release(funding, amount, fee, seller, !partial)).status())
                .isEqualTo(SUCCEEDED);

        RailResult cancelled = withoutThrowing("cancel after a payout", () -> rail.cancelFunding(funding.transferId()));
        awaitQuery(funding.transferId(), s -> s != PENDING && s != UNKNOWN);

        assertThat(cancelled.status()).as("%s", cancelled).isIn(SUCCEEDED, FAILED, PENDING, UNKNOWN);
        assertThat(received(seller)).as("the payout").isEqualTo(amount);
        assertThat(fixture.buyerNetPaid(funding).minor())
                .as("the buyer keeps paid at least what was drawn")
                .isGreaterThanOrEqualTo(amount.plus(fee).minor());
    }

    // =================================================================== RC-8 lapses

    @Test
    @Tag("RC-8")
    @DisplayName("RC-8 a native hold that lapses is reported, and the buyer gets the money back")
    void aNativeHoldThatLapsesIsReported() {
        Duration maxHold = assumeMaxHold();
        FundingRequest funding = fund();

        fixture.advanceRailTime(maxHold.plus(maxHold.dividedBy(2)));

        RailNotification report = notifications
                .await(
                        n -> n.transferId().equals(funding.transferId())
                                && (n instanceof RailNotification.FundingLapsed
                                        || n instanceof RailNotification.HoldExpiring),
                        fixture.asyncTimeout())
                .orElse(null);
        assertThat(report)
                .as("FundingLapsed or HoldExpiring for %s", funding.transferId())
                .isNotNull();
        if (notifications
                        .of(RailNotification.FundingLapsed.class, funding.transferId())
                        .isEmpty()
                && report instanceof RailNotification.HoldExpiring expiring) {
            Duration untilLapse = Duration.between(fixture.clock().instant(), expiring.lapsesAt());
            fixture.advanceRailTime(untilLapse.isNegative() ? Duration.ofMinutes(1) : untilLapse.plusMinutes(1));
        }

        assertThat(awaitQuery(funding.transferId(), s -> s == FAILED).status())
                .as("query of the lapsed funding")
                .isEqualTo(FAILED);
        assertThat(fixture.buyerNetPaid(funding)).isEqualTo(zero());
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        assertThat(pay(releaseAll(funding, seller)).status()).isEqualTo(FAILED);
        assertThat(received(seller)).isEqualTo(zero());
    }

    @Test
    @Tag("RC-8")
    @DisplayName("RC-8 a funding not paid by its fundBy lapses and can no longer be paid")
    void aFundingNotPaidByItsFundByLapsesAndCanNoLongerBePaid() {
        FundingRequest request = fundingRequest(amount());
        RailResult opened = rail.openFunding(request);
        assumeTrue(opened.status() == PENDING, "the rail funded at once (" + opened + "): nothing can lapse");

        fixture.advanceRailTime(
                Duration.between(fixture.clock().instant(), request.fundBy()).plusMinutes(1));

        assertThat(fixture.buyerPays(request, opened))
                .as("the buyer could pay late")
                .isFalse();
        assertThat(awaitQuery(request.transferId(), s -> s == FAILED).status()).isEqualTo(FAILED);
        assertThat(fixture.buyerNetPaid(request)).isEqualTo(zero());
        assertThat(notifications.of(RailNotification.Funded.class, request.transferId()))
                .isEmpty();
    }

    // =================================================================== RC-9 honest capabilities

    @Test
    @Tag("RC-9")
    @DisplayName("RC-9 capabilities list at least one asset, each once, and stay the same")
    void capabilitiesListAtLeastOneAssetEachOnceAndStayTheSame() {
        RailCapabilities capabilities = rail.capabilities();

        assertThat(capabilities.assets()).isNotEmpty();
        assertThat(capabilities.assets().stream().map(AssetLimits::asset)).doesNotHaveDuplicates();
        assertThat(rail.capabilities()).isEqualTo(capabilities);
        capabilities.maxHoldDuration().ifPresent(d -> assertThat(d).isPositive());
    }

    @Test
    @Tag("RC-9")
    @DisplayName("RC-9 every listed asset is accepted from its minimum to its maximum")
    void everyListedAssetIsAcceptedFromItsMinimumToItsMaximum() {
        for (AssetLimits limits : rail.capabilities().assets()) {
            Money min = Money.of(limits.minMinor(), limits.asset());
            Money max = Money.of(limits.maxMinor(), limits.asset());
            FundingRequest smallest = fundingRequest(min);
            FundingRequest largest = fundingRequest(max);

            RailResult openedSmallest = rail.openFunding(smallest);
            RailResult openedLargest = rail.openFunding(largest);

            assertThat(openedSmallest.status())
                    .as("openFunding of %s: %s", min, openedSmallest)
                    .isIn(PENDING, SUCCEEDED);
            assertThat(openedLargest.status())
                    .as("openFunding of %s: %s", max, openedLargest)
                    .isIn(PENDING, SUCCEEDED);
            if (openedSmallest.status() == PENDING) {
                assertThat(fixture.buyerPays(smallest, openedSmallest))
                        .as("the buyer pays %s", min)
                        .isTrue();
            }
            awaitFunded(smallest);
            cancel(largest);
        }
    }

    @Test
    @Tag("RC-9")
    @DisplayName("RC-9 partialRelease lets one funding pay out in several parts")
    void partialReleaseLetsOneFundingPayOutInSeveralParts() {
        assumeTrue(rail.capabilities().partialRelease(), "the rail does not declare partialRelease");
        FundingRequest funding = fund();
        Money fee = fee(funding);
        Money quarter = money(funding.amount().minor() / 4);
        Money rest = funding.amount().minus(quarter).minus(quarter).minus(fee);

        List<PayoutRequest> parts = List.of(
                release(funding, quarter, zero(), destination(Role.SELLER, quarter), false),
                release(funding, quarter, zero(), destination(Role.SELLER, quarter), false),
                release(funding, rest, fee, destination(Role.SELLER, rest), true));

        for (PayoutRequest part : parts) {
            Outcome outcome = pay(part);
            assertThat(outcome.status())
                    .as("part %s: %s", part.amount(), outcome)
                    .isEqualTo(SUCCEEDED);
            assertThat(received((PayoutDestination.RailAddress) part.destination()))
                    .isEqualTo(part.amount());
        }
    }

    @Test
    @Tag("RC-9")
    @DisplayName("RC-9 refundAfterSettlement lets the buyer be refunded after a release from the same funding")
    void refundAfterSettlementLetsTheBuyerBeRefundedAfterARelease() {
        assumeTrue(rail.capabilities().partialRelease(), "the rail does not declare partialRelease");
        assumeTrue(rail.capabilities().refundAfterSettlement(), "the rail does not declare refundAfterSettlement");
        FundingRequest funding = fund();
        Money half = money(funding.amount().minor() / 2);
        Money rest = funding.amount().minus(half);
        PayoutDestination.RailAddress seller = destination(Role.SELLER, half);
        PayoutDestination.RailAddress buyer = destination(Role.BUYER, rest);

        Outcome released = pay(release(funding, half, zero(), seller, false));
        Outcome refunded = pay(refund(funding, rest, zero(), buyer, true));

        assertThat(released.status()).as("%s", released).isEqualTo(SUCCEEDED);
        assertThat(refunded.status()).as("%s", refunded).isEqualTo(SUCCEEDED);
        assertThat(received(seller)).isEqualTo(half);
        assertThat(received(buyer)).isEqualTo(rest);
    }

    @Test
    @Tag("RC-9")
    @DisplayName("RC-9 a hold kept for less than maxHold still pays out")
    void aHoldKeptForLessThanMaxHoldStillPaysOut() {
        Duration maxHold = assumeMaxHold();
        FundingRequest funding = fund();

        fixture.advanceRailTime(maxHold.minus(maxHold.dividedBy(10)));

        assertThat(notifications.of(RailNotification.FundingLapsed.class, funding.transferId()))
                .isEmpty();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        assertThat(pay(releaseAll(funding, seller)).status()).isEqualTo(SUCCEEDED);
        assertThat(received(seller)).isEqualTo(payable(funding));
    }

    // =================================================================== RC-10 the platform's account

    @Test
    @Tag("RC-10")
    @DisplayName("RC-10 a payout to an internal balance goes to the platform's own account")
    void aPayoutToAnInternalBalanceGoesToThePlatformsOwnAccount() {
        FundingRequest funding = fund();
        Money before = fixture.platformBalance(asset());

        Outcome outcome =
                pay(release(funding, payable(funding), fee(funding), PayoutDestination.internalBalance(), true));

        assertThat(outcome.status()).as("%s", outcome).isEqualTo(SUCCEEDED);
        Money after = fixture.platformBalance(asset());
        assertThat(after.minus(before))
                .as("the platform's account grew by the funding less any rail fee")
                .isEqualTo(funding.amount().minus(railFee(outcome)));
    }

    @Test
    @Tag("RC-10")
    @DisplayName("RC-10 a withdrawal pays out of the platform's own account, and no more than it holds")
    void aWithdrawalPaysOutOfThePlatformsOwnAccount() {
        FundingRequest funding = fund();
        assertThat(pay(release(funding, payable(funding), fee(funding), PayoutDestination.internalBalance(), true))
                        .status())
                .isEqualTo(SUCCEEDED);
        Money before = fixture.platformBalance(asset());
        Money amount = money(funding.amount().minor() / 2);
        PayoutDestination.RailAddress seller = destination(Role.SELLER, amount);

        Outcome outcome = pay(withdrawal(amount, one(), seller));

        assertThat(outcome.status()).as("%s", outcome).isEqualTo(SUCCEEDED);
        assertThat(received(seller)).isEqualTo(amount);
        assertThat(before.minus(fixture.platformBalance(asset())))
                .as("taken from the platform's account (its own fee stays there)")
                .isEqualTo(amount.plus(railFee(outcome)));

        Money balance = fixture.platformBalance(asset());
        if (balance.isPositive() && balance.minor() < Long.MAX_VALUE) {
            Money tooMuch = balance.plus(one());
            PayoutDestination.RailAddress greedy = destination(Role.SELLER, tooMuch);
            assertThat(pay(withdrawal(tooMuch, zero(), greedy)).status())
                    .as("withdrawing more than the platform holds")
                    .isEqualTo(FAILED);
            assertThat(received(greedy)).isEqualTo(zero());
        }
    }

    // =================================================================== RC-11 party instructions

    @Test
    @Tag("RC-11")
    @DisplayName("RC-11 openFunding instructs the buyer until fundBy, and answers SUCCEEDED once funded")
    void openFundingInstructsTheBuyerUntilFundByAndAnswersSucceededOnceFunded() {
        FundingRequest request = fundingRequest(amount());
        RailResult opened = rail.openFunding(request);

        assertThat(opened.status()).as("%s", opened).isIn(PENDING, SUCCEEDED);
        if (opened.status() == PENDING) {
            PartyInstruction instruction = opened.instruction();
            assertThat(instruction).as("the instruction of %s", opened).isNotNull();
            assertThat(instruction.party()).isEqualTo(Role.BUYER);
            assertThat(instruction.expiresAt()).isNotNull().isBeforeOrEqualTo(request.fundBy());
            if (instruction instanceof PartyInstruction.PayInvoice invoice) {
                assertThat(invoice.amount()).isEqualTo(request.amount());
            } else if (instruction instanceof PartyInstruction.SendPayment send) {
                assertThat(send.amount()).isEqualTo(request.amount());
            }
            assertThat(fixture.buyerPays(request, opened)).as("the buyer pays").isTrue();
        }
        awaitFunded(request);

        assertThat(rail.openFunding(request).status()).isEqualTo(SUCCEEDED);
    }

    @Test
    @Tag("RC-11")
    @DisplayName("RC-11 a payout asks a party to sign exactly when the rail declares party signatures")
    void aPayoutAsksAPartyToSignExactlyWhenTheRailDeclaresPartySignatures() {
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest request = releaseAll(funding, seller);

        RailResult first = rail.payout(request);

        if (rail.capabilities().partySignatures()) {
            assertThat(first.status()).as("%s", first).isEqualTo(PENDING);
            assertThat(first.instruction())
                    .as("the payout's instruction")
                    .isInstanceOf(PartyInstruction.SignTransaction.class);
            assertThat(first.instruction().party()).isNotEqualTo(Role.SYSTEM);
            assertThat(first.instruction().expiresAt()).isAfter(fixture.clock().instant());
            assertThat(received(seller)).as("received before signing").isEqualTo(zero());
        }
        Outcome outcome = drive(request.transferId(), first);

        assertThat(outcome.status()).as("%s", outcome).isEqualTo(SUCCEEDED);
        assertThat(outcome.askedForSignature()).isEqualTo(rail.capabilities().partySignatures());
        assertThat(received(seller)).isEqualTo(request.amount());
    }

    @Test
    @Tag("RC-11")
    @DisplayName("RC-11 only the response the rail asked for completes a payout; any other changes nothing")
    void onlyTheResponseTheRailAskedForCompletesAPayout() {
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest request = releaseAll(funding, seller);
        TransferId id = request.transferId();

        if (rail.capabilities().partySignatures()) {
            RailResult first = rail.payout(request);
            assertThat(first.instruction()).isInstanceOf(PartyInstruction.SignTransaction.class);
            PartyInstruction.SignTransaction asked = (PartyInstruction.SignTransaction) first.instruction();

            RailResult bad = withoutThrowing(
                    "a wrong signature", () -> rail.submitPartyResponse(id, asked.party(), "tck-not-a-signature"));

            assertThat(bad.status()).as("answer to a wrong signature: %s", bad).isEqualTo(PENDING);
            assertThat(rail.query(id).status()).isEqualTo(PENDING);
            assertThat(received(seller)).isEqualTo(zero());
            Outcome good = drive(id, rail.submitPartyResponse(id, asked.party(), fixture.sign(asked)));
            assertThat(good.status()).as("%s", good).isEqualTo(SUCCEEDED);
        } else {
            assertThat(pay(request).status()).isEqualTo(SUCCEEDED);
            RailResult unasked = withoutThrowing(
                    "an unasked response", () -> rail.submitPartyResponse(id, Role.SELLER, "tck-unasked"));
            assertThat(unasked.status()).as("%s", unasked).isEqualTo(SUCCEEDED);
        }
        assertThat(received(seller)).isEqualTo(request.amount());
    }

    // =================================================================== RC-12 UNKNOWN resolves

    @Test
    @Tag("RC-12")
    @DisplayName("RC-12 a payout whose answer was lost resolves by query to SUCCEEDED and pays once")
    void aPayoutWhoseAnswerWasLostResolvesToSucceededAndPaysOnce() {
        RailFaults faults = faults();
        FundingRequest funding = fund();
        PayoutDestination.RailAddress seller = destination(Role.SELLER, payable(funding));
        PayoutRequest request = releaseAll(funding, seller);

        faults.unknownNext();
        Outcome outcome = pay(request);

        assertThat(outcome.passedThrough(UNKNOWN))
                .as("answered UNKNOWN on the way: %s", outcome)
                .isTrue();
        assertThat(outcome.status()).as("%s", outcome).isEqualTo(SUCCEEDED);
        assertThat(pay(request).status()).as("the same payout again").isEqualTo(SUCCEEDED);
        assertThat(received(seller)).isEqualTo(request.amount());
    }

    @Test
    @Tag("RC-12")
    @DisplayName("RC-12 a payout whose answer was lost and that could not be made resolves by query to FAILED")
    void aPayoutWhoseAnswerWasLostAndThatCouldNotBeMadeResolvesToFailed() {
        RailFaults faults = faults();
        FundingRequest funding = fund();
        Money tooMuch = payable(funding).plus(one());
        PayoutDestination.RailAddress seller = destination(Role.SELLER, tooMuch);

        faults.unknownNext();
        Outcome outcome = pay(release(funding, tooMuch, fee(funding), seller, true));

        assertThat(outcome.passedThrough(UNKNOWN))
                .as("answered UNKNOWN on the way: %s", outcome)
                .isTrue();
        assertThat(outcome.status()).as("%s", outcome).isEqualTo(FAILED);
        assertThat(received(seller)).isEqualTo(zero());
    }

    @Test
    @Tag("RC-12")
    @DisplayName("RC-12 a cancel whose answer was lost resolves by query, and the buyer is repaid once")
    void aCancelWhoseAnswerWasLostResolvesByQuery() {
        RailFaults faults = faults();
        FundingRequest funding = fund();

        faults.unknownNext();
        RailResult answer = rail.cancelFunding(funding.transferId());

        assertThat(answer.status()).as("%s", answer).isEqualTo(UNKNOWN);
        assertThat(awaitQuery(funding.transferId(), s -> s != PENDING && s != UNKNOWN)
                        .status())
                .as("query of the cancelled funding")
                .isEqualTo(FAILED);
        assertThat(fixture.buyerNetPaid(funding)).isEqualTo(zero());
        assertThat(rail.cancelFunding(funding.transferId()).status()).isEqualTo(SUCCEEDED);
        assertThat(fixture.buyerNetPaid(funding)).isEqualTo(zero());
    }

    // =================================================================== helpers for subclasses

    /** @return the fixture of the running test */
    protected final RailTestFixture fixture() {
        return fixture;
    }

    /** @return the rail of the running test */
    protected final PaymentRail rail() {
        return rail;
    }

    /** @return every notification the rail delivered in the running test */
    protected final RailNotificationRecorder notifications() {
        return notifications;
    }

    /** @return the fixture's funding amount */
    protected final Money amount() {
        return fixture.fundingAmount();
    }

    /** @return the asset of the fixture's funding amount */
    protected final Asset asset() {
        return amount().asset();
    }

    /**
     * @param what a word for the kind of transfer, part of the id
     * @return a transfer id no test used before
     */
    protected final TransferId newTransferId(String what) {
        return TransferId.of("tck-" + what + "-" + run + "-" + SEQUENCE.incrementAndGet());
    }

    /**
     * A funding request with fresh ids, {@code fundBy} an hour ahead (a quarter of maxHold if that is shorter) and
     * {@code holdUntil} half a maxHold (or a week) after that.
     *
     * @param amount what to fund
     * @return the request, not sent
     */
    protected final FundingRequest fundingRequest(Money amount) {
        Instant now = fixture.clock().instant();
        Optional<Duration> maxHold = rail.capabilities().maxHoldDuration();
        Duration toFund = maxHold.map(d -> d.dividedBy(4))
                .filter(d -> d.compareTo(Duration.ofHours(1)) < 0)
                .orElse(Duration.ofHours(1));
        Duration toHold = maxHold.map(d -> d.dividedBy(2)).orElse(Duration.ofDays(7));
        TransferId transferId = newTransferId("fund");
        return new FundingRequest(
                transferId,
                EscrowId.of("tck-escrow-" + transferId.value()),
                amount,
                BUYER,
                SELLER,
                now.plus(toFund),
                now.plus(toFund).plus(toHold),
                Map.of("holdfast.tck", "rail-contract"));
    }

    /** @return a funding of the fixture's amount that the buyer has paid and the rail holds */
    protected final FundingRequest fund() {
        return fund(amount());
    }

    /**
     * Opens a funding, has the buyer pay it, and waits until the rail holds it.
     *
     * @param amount what to fund
     * @return the funded request
     */
    protected final FundingRequest fund(Money amount) {
        FundingRequest request = fundingRequest(amount);
        RailResult opened = rail.openFunding(request);
        assertThat(opened.status()).as("openFunding of %s: %s", amount, opened).isIn(PENDING, SUCCEEDED);
        if (opened.status() == PENDING) {
            assertThat(fixture.buyerPays(request, opened))
                    .as("the buyer pays %s", opened)
                    .isTrue();
        }
        awaitFunded(request);
        return request;
    }

    /**
     * Waits until query of the funding answers SUCCEEDED, and fails the test if it does not in time.
     *
     * @param funding the funding
     */
    protected final void awaitFunded(FundingRequest funding) {
        RailResult queried = awaitQuery(funding.transferId(), s -> s == SUCCEEDED);
        assertThat(queried.status())
                .as("query of the paid funding: %s", queried)
                .isEqualTo(SUCCEEDED);
    }

    /**
     * Queries until the status matches or the fixture's timeout passes.
     *
     * @param transferId what to query
     * @param until the status to wait for
     * @return the last answer
     */
    protected final RailResult awaitQuery(TransferId transferId, Predicate<RailStatus> until) {
        long deadline = System.nanoTime() + fixture.asyncTimeout().toNanos();
        RailResult answer = rail.query(transferId);
        while (!until.test(answer.status()) && System.nanoTime() - deadline < 0) {
            pause();
            answer = rail.query(transferId);
        }
        return answer;
    }

    /**
     * Waits for a notification and fails the test if none comes in time.
     *
     * @param type its type
     * @param transferId what it is about
     * @param <T> its type
     * @return the first one
     */
    protected final <T extends RailNotification> T awaitNotification(Class<T> type, TransferId transferId) {
        return notifications
                .await(type, transferId, fixture.asyncTimeout())
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " for " + transferId + " within "
                        + fixture.asyncTimeout() + "; got " + notifications.about(transferId)));
    }

    /**
     * Cancels a funding and, when the rail answers PENDING or UNKNOWN, waits until query says nothing is held and
     * cancels again for the final answer.
     *
     * @param funding the funding
     * @return the cancel's answer
     */
    protected final RailResult cancel(FundingRequest funding) {
        RailResult answer = rail.cancelFunding(funding.transferId());
        if (answer.status() == PENDING || answer.status() == UNKNOWN) {
            awaitQuery(funding.transferId(), s -> s == FAILED);
            answer = rail.cancelFunding(funding.transferId());
        }
        return answer;
    }

    /**
     * @param party who owns it
     * @param amount what will be paid to it
     * @return a fresh destination from the fixture
     */
    protected final PayoutDestination.RailAddress destination(Role party, Money amount) {
        return fixture.validDestination(party, amount);
    }

    /**
     * @param destination a destination
     * @return what it has received in the fixture's asset
     */
    protected final Money received(PayoutDestination.RailAddress destination) {
        return fixture.receivedAt(destination, asset());
    }

    /**
     * @param funding a funding
     * @return the platform fee the kit takes with a whole payout: 1 % of the funding, at least one minor unit
     */
    protected final Money fee(FundingRequest funding) {
        return Money.of(
                Math.max(1, funding.amount().minor() / 100), funding.amount().asset());
    }

    /**
     * @param funding a funding
     * @return what a whole payout delivers: the funding less {@link #fee}
     */
    protected final Money payable(FundingRequest funding) {
        return funding.amount().minus(fee(funding));
    }

    /**
     * A release of a whole funding: {@link #payable} to the destination, {@link #fee} to the platform.
     *
     * @param funding the funding
     * @param destination where to
     * @return the request, not sent
     */
    protected final PayoutRequest releaseAll(FundingRequest funding, PayoutDestination destination) {
        return release(funding, payable(funding), fee(funding), destination, true);
    }

    /**
     * @param funding the funding to draw on
     * @param amount what the destination receives
     * @param platformFee what the platform keeps
     * @param destination where to
     * @param last whether nothing remains afterwards
     * @return a release to the seller, not sent
     */
    protected final PayoutRequest release(
            FundingRequest funding, Money amount, Money platformFee, PayoutDestination destination, boolean last) {
        return new PayoutRequest(
                newTransferId("release"),
                PayoutKind.RELEASE,
                funding.escrowId(),
                funding.transferId(),
                funding.seller(),
                amount,
                platformFee,
                destination,
                last);
    }

    /**
     * @param funding the funding to draw on
     * @param amount what the destination receives
     * @param platformFee what the platform keeps
     * @param destination where to
     * @param last whether nothing remains afterwards
     * @return a refund to the buyer, not sent
     */
    protected final PayoutRequest refund(
            FundingRequest funding, Money amount, Money platformFee, PayoutDestination destination, boolean last) {
        return new PayoutRequest(
                newTransferId("refund"),
                PayoutKind.REFUND,
                funding.escrowId(),
                funding.transferId(),
                funding.buyer(),
                amount,
                platformFee,
                destination,
                last);
    }

    /**
     * @param amount what the destination receives
     * @param platformFee what the platform keeps
     * @param destination where to
     * @return a withdrawal from the platform's account, not sent
     */
    protected final PayoutRequest withdrawal(Money amount, Money platformFee, PayoutDestination destination) {
        return new PayoutRequest(
                newTransferId("withdraw"),
                PayoutKind.WITHDRAWAL,
                null,
                null,
                SELLER,
                amount,
                platformFee,
                destination,
                false);
    }

    /**
     * Sends a payout and drives it to its outcome, as the engine and its parties would: signs when asked, queries
     * while PENDING or UNKNOWN.
     *
     * @param request the payout
     * @return every answer on the way, the outcome last
     */
    protected final Outcome pay(PayoutRequest request) {
        return drive(request.transferId(), rail.payout(request));
    }

    /**
     * Drives a transfer from an answer to its outcome: hands each new signature instruction to {@link
     * RailTestFixture#sign} and submits the result; queries while PENDING or UNKNOWN, until the fixture's timeout.
     *
     * @param transferId the transfer
     * @param first the answer to start from
     * @return every answer on the way, the outcome (or the last answer when time ran out) last
     */
    protected final Outcome drive(TransferId transferId, RailResult first) {
        List<RailResult> trail = new ArrayList<>(List.of(first));
        Set<PartyInstruction> signed = new HashSet<>();
        long deadline = System.nanoTime() + fixture.asyncTimeout().toNanos();
        RailResult answer = first;
        while (answer.status() == PENDING || answer.status() == UNKNOWN) {
            if (answer.status() == PENDING
                    && answer.instruction() instanceof PartyInstruction.SignTransaction asked
                    && signed.add(asked)) {
                answer = rail.submitPartyResponse(transferId, asked.party(), fixture.sign(asked));
            } else if (System.nanoTime() - deadline > 0) {
                break;
            } else {
                pause();
                answer = rail.query(transferId);
            }
            if (!answer.equals(trail.get(trail.size() - 1))) {
                trail.add(answer);
            }
        }
        return new Outcome(trail);
    }

    /**
     * Runs a task on several threads released at the same instant.
     *
     * @param threads how many
     * @param task what each does, given its index
     * @param <T> what it returns
     * @return the results by index
     */
    protected final <T> List<T> concurrently(int threads, IntFunction<T> task) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.apply(index);
                }));
            }
            start.countDown();
            long waitMillis = fixture.asyncTimeout().multipliedBy(3).toMillis();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(waitMillis, TimeUnit.MILLISECONDS));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("a concurrent call did not complete", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The answers a transfer went through until its outcome.
     *
     * @param trail every distinct answer in order, the outcome last
     */
    protected record Outcome(List<RailResult> trail) {
        /** @param trail every distinct answer in order, the outcome last */
        public Outcome {
            trail = List.copyOf(trail);
        }

        /** @return the outcome, or the last answer when time ran out */
        public RailResult last() {
            return trail.get(trail.size() - 1);
        }

        /** @return the outcome's status */
        public RailStatus status() {
            return last().status();
        }

        /**
         * @param status a status
         * @return whether any answer on the way had it
         */
        public boolean passedThrough(RailStatus status) {
            return trail.stream().anyMatch(r -> r.status() == status);
        }

        /** @return whether any answer asked a party to sign */
        public boolean askedForSignature() {
            return trail.stream().anyMatch(r -> r.instruction() instanceof PartyInstruction.SignTransaction);
        }
    }

    // =================================================================== private

    private RailFaults faults() {
        Optional<RailFaults> faults = fixture.faults();
        assumeTrue(faults.isPresent(), "the fixture offers no fault steering (RailTestFixture.faults() is empty)");
        return faults.get();
    }

    private Duration assumeMaxHold() {
        Optional<Duration> maxHold = rail.capabilities().maxHoldDuration();
        assumeTrue(maxHold.isPresent(), "the rail declares no maxHold: its holds never lapse by themselves");
        return maxHold.get();
    }

    private Money zero() {
        return Money.zero(asset());
    }

    private Money one() {
        return money(1);
    }

    private Money money(long minor) {
        return Money.of(minor, asset());
    }

    private Money railFee(Outcome outcome) {
        Money fee = outcome.last().railFee();
        return fee == null ? zero() : fee;
    }

    private Asset unlistedAsset() {
        for (String code : List.of("TCKZZ", "TCKZY", "TCKZX", "TCKZW")) {
            Asset candidate = new Asset(code, 2);
            if (rail.capabilities().limits(candidate).isEmpty()) {
                return candidate;
            }
        }
        throw new AssertionError("the rail lists every asset the kit could make up");
    }

    private Asset sameCodeOtherScale(Asset asset) {
        for (int scale = 0; scale <= 18; scale++) {
            Asset candidate = new Asset(asset.code(), scale);
            if (scale != asset.scale() && rail.capabilities().limits(candidate).isEmpty()) {
                return candidate;
            }
        }
        throw new AssertionError("the rail lists " + asset.code() + " at every scale");
    }

    private static void assertFailedWithCode(RailResult answer) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(FAILED);
        assertThat(answer.error()).as("the error of %s", answer).isNotNull();
        assertThat(answer.error().code()).as("the error code of %s", answer).isNotBlank();
    }

    private static RailResult withoutThrowing(String what, Supplier<RailResult> call) {
        RailResult[] answer = new RailResult[1];
        assertThatCode(() -> answer[0] = call.get()).as(what).doesNotThrowAnyException();
        assertThat(answer[0]).as("the answer to %s", what).isNotNull();
        return answer[0];
    }

    private static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the rail");
        }
    }
}
