package dev.holdfast.spi;

import dev.holdfast.api.Money;
import dev.holdfast.api.TransferId;
import java.time.Instant;
import java.util.List;

/**
 * What a rail tells the engine on its own initiative. Notifications may arrive twice, late, or not at all: the
 * engine applies each at most once and the reconciler's queries make up for lost ones.
 *
 * @since 0.1
 */
public sealed interface RailNotification {
    /** @return the transfer it is about */
    TransferId transferId();

    /**
     * The buyer's funds are held.
     *
     * @param transferId the funding
     * @param railReference the rail's reference
     * @param amount amount held
     * @param costs platform-funded costs of the funding ({@link RailCost}); empty when none (since 0.4)
     */
    record Funded(TransferId transferId, String railReference, Money amount, List<RailCost> costs)
            implements RailNotification {
        public Funded {
            costs = costs == null ? List.of() : List.copyOf(costs);
        }

        /**
         * A funding without costs.
         *
         * @param transferId the funding
         * @param railReference the rail's reference
         * @param amount amount held
         */
        public Funded(TransferId transferId, String railReference, Money amount) {
            this(transferId, railReference, amount, List.of());
        }
    }

    /**
     * The funding lapsed on the rail (the invoice expired, the hold was cancelled by the rail).
     *
     * @param transferId the funding
     * @param reason why
     */
    record FundingLapsed(TransferId transferId, String reason) implements RailNotification {}

    /**
     * The rail's hold will lapse by itself soon.
     *
     * @param transferId the funding
     * @param lapsesAt when
     */
    record HoldExpiring(TransferId transferId, Instant lapsesAt) implements RailNotification {}

    /**
     * A payout completed.
     *
     * @param transferId the payout
     * @param railReference the rail's reference
     * @param railFee fee charged, or {@code null}
     * @param costs platform-funded costs of the payout ({@link RailCost}); empty when none (since 0.4)
     */
    record PayoutSucceeded(TransferId transferId, String railReference, Money railFee, List<RailCost> costs)
            implements RailNotification {
        public PayoutSucceeded {
            costs = costs == null ? List.of() : List.copyOf(costs);
        }

        /**
         * A payout without costs.
         *
         * @param transferId the payout
         * @param railReference the rail's reference
         * @param railFee fee charged, or {@code null}
         */
        public PayoutSucceeded(TransferId transferId, String railReference, Money railFee) {
            this(transferId, railReference, railFee, List.of());
        }
    }

    /**
     * A payout failed; no money moved.
     *
     * @param transferId the payout
     * @param error why
     */
    record PayoutFailed(TransferId transferId, RailError error) implements RailNotification {}
}
