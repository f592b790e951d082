package dev.holdfast.spi;

import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.EscrowView;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides an obvious dispute without an arbiter: the first tier. The engine asks every configured rule, in order,
 * when a dispute opens and when its response deadline passes; the first decision wins and is recorded with its reason.
 *
 * <p>Rules must be pure functions of the facts (no clock, no I/O): the engine may evaluate them again after losing a
 * race, and the same facts must give the same answer. Implementations are thread-safe.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface DisputeRule {

    /**
     * @param facts the escrow, the dispute, the time and the moment of evaluation
     * @return a decision, or empty when the rule has nothing to say
     */
    Optional<Decision> evaluate(Facts facts);

    /** When rules are evaluated. */
    enum Trigger {
        /** Right after the dispute opened. */
        OPENED,
        /** The response deadline passed. */
        RESPONSE_DEADLINE
    }

    /**
     * What a rule sees. Immutable and thread-safe.
     *
     * @param escrow the escrow, including the dispute
     * @param dispute the dispute
     * @param now the engine's time
     * @param trigger why the rule is asked
     */
    record Facts(EscrowView escrow, DisputeView dispute, Instant now, Trigger trigger) {}

    /**
     * A rule's decision. Immutable and thread-safe.
     *
     * @param outcome the outcome
     * @param reason why, recorded in the event and the audit log
     */
    record Decision(DisputeOutcome outcome, String reason) {
        public Decision {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
