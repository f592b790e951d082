package dev.holdfast.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The server prices every order from the catalog; the browser can name a listing and a rail and nothing else. */
class CheckoutTest {
    private static final PartyId ANA = PartyId.of("ana");
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final List<RailId> ALL = Pricing.RAILS;

    private final Checkout checkout = new Checkout(
            Clock.fixed(NOW, ZoneOffset.UTC),
            (party, rail) -> Optional.of(PayoutDestination.railAddress(party.value() + "@" + rail.value())));

    @Test
    void aCheckoutRequestCarryingAnAmountIsRefusedNamingTheField() {
        Set<String> fields = new LinkedHashSet<>(List.of("listing", "rail", "amount"));

        assertThatThrownBy(() -> ShopResource.refuseForeignFields(fields))
                .isInstanceOfSatisfying(
                        EscrowException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("'amount'");
        assertThatThrownBy(() -> ShopResource.refuseForeignFields(Set.of("listing", "rail", "fee")))
                .hasMessageContaining("'fee'");
    }

    @Test
    void aCheckoutRequestWithOnlyListingAndRailPasses() {
        ShopResource.refuseForeignFields(Set.of("listing", "rail"));
        ShopResource.refuseForeignFields(Set.of("listing"));
    }

    @Test
    void theAmountComesFromTheCatalogPriceOnEachRail() {
        assertThat(checkout.order(ANA, "camera", "lightning", ALL).amount())
                .isEqualTo(Money.of(25_000_000, Asset.BTC_MSAT)); // 25 USD = 25,000 sat
        assertThat(checkout.order(ANA, "camera", "openpayments", ALL).amount()).isEqualTo(Money.of(2_500, Asset.USD));
        assertThat(checkout.order(ANA, "camera", "stellar", ALL).amount())
                .isEqualTo(Money.of(2_500_000_000L, Asset.XLM)); // 250 XLM
    }

    @Test
    void aJobIsSplitIntoItsMilestonesWhichAddUpExactlyToTheAmount() {
        EscrowCommand.CreateEscrow c = checkout.order(ANA, "website-job", "openpayments", ALL);

        assertThat(c.milestones())
                .extracting(m -> m.id().value(), MilestoneSpec::amountMinor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("m1", 27_000L),
                        org.assertj.core.groups.Tuple.tuple("m2", 45_000L),
                        org.assertj.core.groups.Tuple.tuple("m3", 18_000L));
        assertThat(c.milestones().stream().mapToLong(MilestoneSpec::amountMinor).sum())
                .isEqualTo(c.amount().minor());
        assertThat(c.milestones()).extracting(MilestoneSpec::deliverBy).isSorted();
    }

    @Test
    void feeDeadlinesAndSellerPayoutAreTheServers() {
        EscrowCommand.CreateEscrow c = checkout.order(ANA, "bike", "stellar", ALL);

        assertThat(c.fee()).isEqualTo(Checkout.FEE);
        assertThat(c.buyer()).isEqualTo(ANA);
        assertThat(c.seller()).isEqualTo(Catalog.BEN);
        assertThat(c.sellerPayout()).isEqualTo(PayoutDestination.railAddress("ben@stellar"));
        assertThat(c.fundBy()).isEqualTo(NOW.plus(Duration.ofDays(1)));
        assertThat(c.actor().party()).isEqualTo(ANA);
    }

    @Test
    void aLightningEscrowLivesWithinOneHoldInvoice() {
        // the adapter's maximum hold with the default cltv_expiry of 144 blocks: (144 - 12) x 10 minutes = 22 h
        Checkout.Terms t = Checkout.terms(Pricing.LIGHTNING);

        assertThat(t.deliverWithin().plus(t.inspection()).plus(t.disputeWindow()))
                .isLessThan(Duration.ofHours(22));
    }

    @Test
    void unknownListingsAndRailsAreRefused() {
        assertRefused(() -> checkout.order(ANA, "yacht", "lightning", ALL), "no listing yacht");
        assertRefused(() -> checkout.order(ANA, "camera", "paypal", ALL), "does not sell on paypal");
        assertRefused(() -> checkout.order(ANA, "camera", "BAD RAIL!", ALL), "not a rail");
        assertRefused(() -> checkout.order(ANA, null, "lightning", ALL), "listing is required");
        assertRefused(() -> checkout.order(ANA, "camera", " ", ALL), "rail is required");
        // a rail the shop prices on but the engine does not run
        assertRefused(
                () -> checkout.order(ANA, "camera", "stellar", List.of(Pricing.LIGHTNING)), "does not sell on stellar");
    }

    @Test
    void aSellerCannotBuyTheirOwnListingNorSellWithoutAPayoutAddress() {
        assertRefused(() -> checkout.order(Catalog.BEN, "camera", "lightning", ALL), "your own listing");
        Checkout noProfiles = new Checkout(Clock.fixed(NOW, ZoneOffset.UTC), (p, r) -> Optional.empty());
        assertRefused(() -> noProfiles.order(ANA, "camera", "openpayments", ALL), "no payout address");
    }

    private static void assertRefused(Runnable call, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        EscrowException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining(message);
    }
}
