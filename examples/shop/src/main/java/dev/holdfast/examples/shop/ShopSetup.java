package dev.holdfast.examples.shop;

import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.jakarta.cdi.HoldfastRails;
import dev.holdfast.spi.PaymentRail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The shop's wiring on top of the plugin: the dispute policy (the arbiter pool), the user profiles' payout addresses,
 * and whether the rails are the simulated ones.
 *
 * <table>
 *   <caption>Shop keys (MicroProfile Config)</caption>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>{@code shop.arbiters}</td><td>{@code carol}: the dispute arbiter pool, comma-separated</td></tr>
 *   <tr><td>{@code shop.appeals}</td><td>{@code false}: whether a decision can be appealed (2-day window)</td></tr>
 *   <tr><td>{@code shop.payout.<party>.<rail>}</td><td>a party's payout address on a rail (real networks; the
 *       simulated wallets answer otherwise)</td></tr>
 * </table>
 */
@ApplicationScoped
public class ShopSetup {
    @Inject
    Config config;

    @Inject
    HoldfastRails rails;

    @Inject
    Clock clock;

    /**
     * The arbiter pool. Appeals are off by default: a decision then settles at once, which is what a demo wants.
     *
     * @return the dispute policy the engine uses
     */
    @Produces
    @Singleton
    public DisputePolicy disputePolicy() {
        List<PartyId> arbiters = Arrays.stream(config.getOptionalValue("shop.arbiters", String.class)
                        .orElse("carol")
                        .split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(PartyId::of)
                .toList();
        boolean appeals = config.getOptionalValue("shop.appeals", Boolean.class).orElse(false);
        return DisputePolicy.defaults()
                .withArbiters(arbiters)
                .withAppeals(appeals, Duration.ofDays(2))
                .withResponsePeriod(Duration.ofHours(4));
    }

    /** @return whether the rails are the in-process simulators ({@code simulated-*} providers) */
    public boolean simulated() {
        return config.getOptionalValue("holdfast.rails.enabled", String.class)
                .orElse("")
                .contains("simulated-");
    }

    /** @return the rails the engine runs */
    public List<RailId> enabledRails() {
        return rails.all().stream().map(PaymentRail::id).toList();
    }

    /**
     * A party's payout address on a rail: the simulated wallet's, or {@code shop.payout.<party>.<rail>}.
     *
     * @param party a party
     * @param rail a rail
     * @return the destination, when the profile has one
     */
    public Optional<PayoutDestination> payoutProfile(PartyId party, RailId rail) {
        if (simulated()) {
            return Optional.of(SimulatedNetwork.rails().wallet(party).payoutDestination(rail));
        }
        return config.getOptionalValue("shop.payout." + party.value() + "." + rail.value(), String.class)
                .filter(s -> !s.isBlank())
                .map(PayoutDestination::railAddress);
    }

    /** @return the checkout, pricing on the engine's clock */
    public Checkout checkout() {
        return new Checkout(clock, this::payoutProfile);
    }
}
