package dev.holdfast.examples.shop;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.RailId;
import java.util.List;
import java.util.Map;

/**
 * Converts a US-cent price into the asset of the rail the buyer chose, at fixed demo rates (1 USD = 1,000 sats = 10
 * XLM). A real shop would quote from a rate source and lock the quote into the order; the point here is only that the
 * server, not the browser, computes the amount. Exact integer arithmetic ({@link Math#multiplyExact}). Stateless.
 */
public final class Pricing {
    /** Rail id of Lightning. */
    public static final RailId LIGHTNING = RailId.of("lightning");
    /** Rail id of Open Payments. */
    public static final RailId OPEN_PAYMENTS = RailId.of("openpayments");
    /** Rail id of Stellar. */
    public static final RailId STELLAR = RailId.of("stellar");

    /** The rails the shop sells on, in display order. */
    public static final List<RailId> RAILS = List.of(LIGHTNING, OPEN_PAYMENTS, STELLAR);

    /** One US cent in each rail's smallest unit: 10 sats = 10,000 msat; 0.1 XLM = 1,000,000 stroops; 1 cent. */
    private static final Map<RailId, Long> MINOR_PER_CENT =
            Map.of(LIGHTNING, 10_000L, STELLAR, 1_000_000L, OPEN_PAYMENTS, 1L);

    private static final Map<RailId, Asset> ASSETS =
            Map.of(LIGHTNING, Asset.BTC_MSAT, STELLAR, Asset.XLM, OPEN_PAYMENTS, Asset.USD);

    private Pricing() {}

    /**
     * @param rail a rail id
     * @return whether the shop sells on it
     */
    public static boolean supports(RailId rail) {
        return ASSETS.containsKey(rail);
    }

    /**
     * @param rail a supported rail
     * @return the asset the shop charges in on that rail
     */
    public static Asset asset(RailId rail) {
        Asset asset = ASSETS.get(rail);
        if (asset == null) {
            throw new IllegalArgumentException("the shop does not sell on " + rail);
        }
        return asset;
    }

    /**
     * @param cents a price in US cents
     * @param rail a supported rail
     * @return the price in the rail's asset
     */
    public static Money price(long cents, RailId rail) {
        return Money.of(Math.multiplyExact(cents, MINOR_PER_CENT.get(rail)), asset(rail));
    }
}
