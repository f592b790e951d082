package dev.holdfast.core;

import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.PartyId;
import dev.holdfast.spi.ArbiterPolicy;
import dev.holdfast.spi.DisputeRule;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How disputes run: deadlines, the arbiter pool and how arbiters are picked, the rules of the first tier, appeals,
 * and the outcome when a deadline passes with nothing decided. Given to {@link Holdfast.Builder#disputes}. See
 * {@code docs/disputes.md}. Immutable and thread-safe.
 *
 * <p>Every dispute must end within the escrow's {@code disputeWindow} after it was opened (the engine counts that
 * window when checking the rail's maximum hold), so each deadline below is cut to that end.
 *
 * @param responsePeriod each party's time to answer (evidence, messages, offers) after the dispute opened
 * @param appeals whether a party may appeal an arbiter's decision, once
 * @param appealWindow time after the first decision in which a party may appeal
 * @param defaultOutcome what a missed last deadline resolves to: release, refund or a split by basis points
 * @param arbiters the arbiter pool, in order
 * @param arbiterPolicy picks an arbiter from the eligible part of the pool
 * @param rules the first tier, asked in order
 * @param settlementRetryDelay after a split's payout failed, when the engine tries it again
 * @since 0.2
 */
public record DisputePolicy(
        Duration responsePeriod,
        boolean appeals,
        Duration appealWindow,
        DisputeOutcome defaultOutcome,
        List<PartyId> arbiters,
        ArbiterPolicy arbiterPolicy,
        List<DisputeRule> rules,
        Duration settlementRetryDelay) {

    /**
     * @throws IllegalArgumentException for a non-positive period or a default outcome that is a split by amount
     */
    public DisputePolicy {
        Objects.requireNonNull(defaultOutcome, "defaultOutcome");
        Objects.requireNonNull(arbiterPolicy, "arbiterPolicy");
        arbiters = List.copyOf(arbiters);
        rules = List.copyOf(rules);
        positive(responsePeriod, "responsePeriod");
        positive(appealWindow, "appealWindow");
        positive(settlementRetryDelay, "settlementRetryDelay");
        if (defaultOutcome instanceof DisputeOutcome.SplitAmount) {
            throw new IllegalArgumentException("a default outcome cannot name an amount; use basis points");
        }
        if (defaultOutcome instanceof DisputeOutcome.SplitBasisPoints s
                && (s.toSellerBasisPoints() <= 0 || s.toSellerBasisPoints() >= 10_000)) {
            throw new IllegalArgumentException("default split must be 1..9999 basis points");
        }
    }

    /**
     * @return 3 days to respond, appeals on with a 2-day window, refund by default, no arbiters, round-robin, the
     *     built-in rules, retries after an hour
     */
    public static DisputePolicy defaults() {
        return new DisputePolicy(
                Duration.ofDays(3),
                true,
                Duration.ofDays(2),
                DisputeOutcome.refund(),
                List.of(),
                ArbiterPolicies.roundRobin(),
                DisputeRules.builtIn(),
                Duration.ofHours(1));
    }

    /**
     * @param pool the arbiters
     * @return a copy with that pool
     */
    public DisputePolicy withArbiters(List<PartyId> pool) {
        return new DisputePolicy(
                responsePeriod,
                appeals,
                appealWindow,
                defaultOutcome,
                pool,
                arbiterPolicy,
                rules,
                settlementRetryDelay);
    }

    /**
     * @param on whether appeals are allowed
     * @param window the appeal window
     * @return a copy with those appeal settings
     */
    public DisputePolicy withAppeals(boolean on, Duration window) {
        return new DisputePolicy(
                responsePeriod, on, window, defaultOutcome, arbiters, arbiterPolicy, rules, settlementRetryDelay);
    }

    /**
     * @param period each party's response period
     * @return a copy with that period
     */
    public DisputePolicy withResponsePeriod(Duration period) {
        return new DisputePolicy(
                period, appeals, appealWindow, defaultOutcome, arbiters, arbiterPolicy, rules, settlementRetryDelay);
    }

    /**
     * @param outcome the default outcome
     * @return a copy with that default
     */
    public DisputePolicy withDefaultOutcome(DisputeOutcome outcome) {
        return new DisputePolicy(
                responsePeriod, appeals, appealWindow, outcome, arbiters, arbiterPolicy, rules, settlementRetryDelay);
    }

    /**
     * @param newRules the rules, asked in order
     * @return a copy with those rules
     */
    public DisputePolicy withRules(List<DisputeRule> newRules) {
        return new DisputePolicy(
                responsePeriod,
                appeals,
                appealWindow,
                defaultOutcome,
                arbiters,
                arbiterPolicy,
                newRules,
                settlementRetryDelay);
    }

    /**
     * @param policy how arbiters are picked
     * @return a copy with that policy
     */
    public DisputePolicy withArbiterPolicy(ArbiterPolicy policy) {
        return new DisputePolicy(
                responsePeriod, appeals, appealWindow, defaultOutcome, arbiters, policy, rules, settlementRetryDelay);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
