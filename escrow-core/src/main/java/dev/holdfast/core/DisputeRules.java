package dev.holdfast.core;

import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneView;
import dev.holdfast.spi.DisputeRule;
import dev.holdfast.spi.DisputeRule.Decision;
import dev.holdfast.spi.DisputeRule.Trigger;
import java.util.List;
import java.util.Optional;

/**
 * The built-in {@link DisputeRule}s: obvious cases decided without an arbiter. Stateless and thread-safe.
 *
 * @since 0.2
 */
public final class DisputeRules {
    private DisputeRules() {}

    /** @return the built-in rules in the order the engine asks them */
    public static List<DisputeRule> builtIn() {
        return List.of(sellerNeverDelivered(), buyerSilent(), sellerSilent());
    }

    /**
     * Refund when no disputed milestone was ever marked delivered and every one's delivery deadline has passed.
     *
     * @return the rule
     */
    public static DisputeRule sellerNeverDelivered() {
        return facts -> {
            for (MilestoneId id : facts.dispute().milestones()) {
                MilestoneView m = facts.escrow().milestone(id).orElseThrow();
                if (m.deliveredAt() != null || facts.now().isBefore(m.terms().deliverBy())) {
                    return Optional.empty();
                }
            }
            return Optional.of(
                    new Decision(DisputeOutcome.refund(), "seller never marked delivery before the delivery deadline"));
        };
    }

    /**
     * At the response deadline: release when the buyer never answered but the seller did.
     *
     * @return the rule
     */
    public static DisputeRule buyerSilent() {
        return facts -> facts.trigger() == Trigger.RESPONSE_DEADLINE
                        && !facts.dispute().buyerAnswered()
                        && facts.dispute().sellerAnswered()
                ? Optional.of(
                        new Decision(DisputeOutcome.release(), "buyer never answered within the response deadline"))
                : Optional.empty();
    }

    /**
     * At the response deadline: refund when the seller never answered but the buyer did.
     *
     * @return the rule
     */
    public static DisputeRule sellerSilent() {
        return facts -> facts.trigger() == Trigger.RESPONSE_DEADLINE
                        && !facts.dispute().sellerAnswered()
                        && facts.dispute().buyerAnswered()
                ? Optional.of(
                        new Decision(DisputeOutcome.refund(), "seller never answered within the response deadline"))
                : Optional.empty();
    }
}
