package dev.holdfast.examples.shop;

import dev.holdfast.api.Actor;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Turns "this buyer wants listing X on rail Y" into the escrow the engine creates. Everything that matters for money
 * comes from the server: the amount and the milestones from the {@link Catalog} and {@link Pricing}, the fee from the
 * shop's terms, the deadlines from the rail's {@link Terms}, the seller's payout destination from the seller's
 * profile. The browser sends two ids and nothing else. Immutable and thread-safe.
 */
public final class Checkout {
    /** The shop's fee: 1 %, paid by the seller. */
    public static final FeeSchedule FEE = new FeeSchedule(100, 0, FeePayer.SELLER);

    /**
     * Deadlines per rail. A Lightning hold invoice lapses after about a day ({@code cltv_expiry} 144 blocks), so the
     * whole life of a Lightning escrow (delivery, inspection, dispute window) must fit in that; the other rails hold
     * funds in an account and can wait a week.
     *
     * @param fundWithin time the buyer has to pay
     * @param deliverWithin time the seller has for the whole order; a job's milestones are spread over it
     * @param inspection the buyer's time to inspect a delivery before it is released automatically
     * @param disputeWindow how long after a delivery a dispute may be opened and must end
     */
    public record Terms(Duration fundWithin, Duration deliverWithin, Duration inspection, Duration disputeWindow) {}

    static final Terms LIGHTNING_TERMS =
            new Terms(Duration.ofHours(1), Duration.ofHours(8), Duration.ofHours(2), Duration.ofHours(8));
    static final Terms ACCOUNT_TERMS =
            new Terms(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(3), Duration.ofDays(7));

    private final Clock clock;
    private final BiFunction<PartyId, RailId, Optional<PayoutDestination>> payoutProfile;

    /**
     * @param clock the engine's clock
     * @param payoutProfile a party's payout address on a rail, from the shop's user profiles
     */
    public Checkout(Clock clock, BiFunction<PartyId, RailId, Optional<PayoutDestination>> payoutProfile) {
        this.clock = clock;
        this.payoutProfile = payoutProfile;
    }

    /**
     * @param rail a rail
     * @return its deadlines
     */
    public static Terms terms(RailId rail) {
        return rail.equals(Pricing.LIGHTNING) ? LIGHTNING_TERMS : ACCOUNT_TERMS;
    }

    /**
     * Builds the escrow for an order.
     *
     * @param buyer the logged-in buyer
     * @param listingId the listing, as the browser sent it
     * @param railName the rail, as the browser sent it
     * @param enabledRails the rails the engine runs
     * @return the command
     * @throws EscrowException INVALID_REQUEST for an unknown listing, an unknown or disabled rail, a buyer who is the
     *     seller, or a seller without a payout address on that rail
     */
    public EscrowCommand.CreateEscrow order(
            PartyId buyer, String listingId, String railName, java.util.Collection<RailId> enabledRails) {
        if (listingId == null || listingId.isBlank()) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "listing is required");
        }
        if (railName == null || railName.isBlank()) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "rail is required");
        }
        Listing listing = Catalog.find(listingId)
                .orElseThrow(() -> new EscrowException(ErrorCode.INVALID_REQUEST, "no listing " + listingId));
        RailId rail;
        try {
            rail = RailId.of(railName);
        } catch (IllegalArgumentException | EscrowException e) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "not a rail: " + railName);
        }
        if (!Pricing.supports(rail) || !enabledRails.contains(rail)) {
            throw new EscrowException(
                    ErrorCode.INVALID_REQUEST,
                    "the shop does not sell on " + railName + " (it sells on "
                            + enabledRails.stream()
                                    .filter(Pricing::supports)
                                    .map(RailId::value)
                                    .toList() + ")");
        }
        if (listing.seller().equals(buyer)) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "you cannot buy your own listing");
        }
        PayoutDestination sellerPayout = payoutProfile
                .apply(listing.seller(), rail)
                .orElseThrow(() -> new EscrowException(
                        ErrorCode.INVALID_REQUEST, "the seller has no payout address on " + railName));
        // Lightning refunds after the hold settled (a job's later milestones) go to the buyer's own address.
        PayoutDestination buyerRefund = rail.equals(Pricing.LIGHTNING)
                ? payoutProfile.apply(buyer, rail).orElse(PayoutDestination.fundingSource())
                : PayoutDestination.fundingSource();

        Money amount = Pricing.price(listing.priceCents(), rail);
        Terms terms = terms(rail);
        Instant now = clock.instant();
        List<MilestoneSpec> milestones = new ArrayList<>();
        long allocated = 0;
        int n = listing.milestones().size();
        for (int i = 0; i < n; i++) {
            Listing.Stage stage = listing.milestones().get(i);
            // shares round down; the last milestone takes the remainder so the milestones add up exactly
            long minor = i == n - 1
                    ? amount.minor() - allocated
                    : Math.multiplyExact(amount.minor(), (long) stage.percent()) / 100;
            allocated += minor;
            Instant deliverBy =
                    now.plus(terms.deliverWithin().multipliedBy(i + 1).dividedBy(n));
            milestones.add(new MilestoneSpec(MilestoneId.of(stage.id()), stage.title(), minor, deliverBy));
        }
        return new EscrowCommand.CreateEscrow(
                Actor.buyer(buyer),
                buyer,
                listing.seller(),
                rail,
                amount,
                milestones,
                FEE,
                now.plus(terms.fundWithin()),
                terms.inspection(),
                terms.disputeWindow(),
                sellerPayout,
                buyerRefund,
                "shop:" + listing.id(),
                Map.of("listing", listing.id(), "kind", listing.kind().name()));
    }
}
