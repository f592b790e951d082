package dev.holdfast.lightning;

import dev.holdfast.api.Money;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.RailError;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The port for the Lightning rail's small record per transfer id: what kind of transfer it is, the LND hash that
 * identifies it, the amount, the destination and how far it got. It is what makes the rail idempotent on transfer ids
 * across restarts (RC-1); LND stays the source of truth for outcomes, which {@link LightningPaymentRail#query} reads
 * from the node.
 *
 * <p>No secret is ever in an entry: preimages are derived from the configured key when needed.
 *
 * <p>{@link InMemoryLightningTransferLog} is for tests and demos. <b>Hosts must give a durable implementation in
 * production</b> (the Jakarta module will provide a JPA one): with an in-memory log a restart forgets which payouts
 * were made and which fundings were drawn on. One log serves one rail instance against one LND node.
 *
 * <p>Implementations are thread-safe. {@link #insertIfAbsent} must be atomic per transfer id.
 *
 * @since 0.1
 */
public interface LightningTransferLog {

    /**
     * @param transferId a transfer id
     * @return its entry, if the rail ever recorded it
     */
    Optional<Entry> find(TransferId transferId);

    /**
     * Records a new entry unless one exists for its transfer id.
     *
     * @param entry the entry
     * @return the existing entry, or empty when {@code entry} was stored
     */
    Optional<Entry> insertIfAbsent(Entry entry);

    /**
     * Replaces the entry with the same transfer id.
     *
     * @param entry the new state
     * @throws IllegalStateException when no entry exists for it
     */
    void update(Entry entry);

    /**
     * @param fundingTransferId a funding
     * @return every payout entry that draws on it
     */
    List<Entry> drawsOn(TransferId fundingTransferId);

    /**
     * @param paymentHash an outgoing payment's hash, hex
     * @return the payout entries that pay it
     */
    List<Entry> byPaymentHash(String paymentHash);

    /** @return every entry whose outcome is not final yet, to resume after a restart */
    List<Entry> unresolved();

    /**
     * What kind of transfer an entry is.
     *
     * @since 0.1
     */
    enum Kind {
        /** A hold invoice. */
        FUNDING,
        /** A release or refund drawn on a funding. */
        PAYOUT,
        /** A payment out of the platform's own balance on the node. */
        WITHDRAWAL,
        /** A transfer id cancelled before the rail saw it: a later openFunding with it is refused. */
        TOMBSTONE
    }

    /**
     * How far a transfer got, as the rail last saw it. Fundings: OPENING → OPEN → SETTLED or CANCELED, or FAILED.
     * Payouts: PREPARING → RESERVED (drawn on its funding) → SENT (payment handed to LND) → SUCCEEDED or FAILED.
     *
     * @since 0.1
     */
    enum Stage {
        /** AddHoldInvoice was called, its answer not yet seen. */
        OPENING,
        /** The hold invoice exists (open or accepted). */
        OPEN,
        /** The hold invoice was settled: its amount is on the platform's node. */
        SETTLED,
        /** The hold invoice was cancelled or expired. */
        CANCELED,
        /** A payout recorded, its destination not yet checked. */
        PREPARING,
        /** A payout drawn on its funding, not yet handed to LND. */
        RESERVED,
        /** A payment handed to LND: its outcome is LND's. */
        SENT,
        /** Done: money moved. */
        SUCCEEDED,
        /** Done: no money moved and none will. */
        FAILED;

        /** @return true when the stage can still change */
        public boolean unresolved() {
            return this == OPENING || this == OPEN || this == PREPARING || this == RESERVED || this == SENT;
        }
    }

    /**
     * One transfer's record. Immutable and thread-safe.
     *
     * @param transferId the engine's transfer id
     * @param kind what it is
     * @param stage how far it got
     * @param hash the hold invoice's hash (fundings) or the payment's hash (payouts), hex; null until known
     * @param amount the funded amount, or what the destination receives
     * @param platformFee what a payout leaves on the platform's node from its funding; zero for fundings
     * @param fundingTransferId the funding a payout draws on, or null
     * @param destination a payout's destination as given (BOLT11, node key, Lightning address, {@code internal},
     *     {@code funding-source}), or null
     * @param paymentRequest the funding's BOLT11, or the BOLT11 a Lightning address resolved to; null otherwise
     * @param expiresAt a funding instruction's expiry, epoch seconds; 0 otherwise
     * @param cancelRequested true once the rail itself asked LND to cancel the funding's invoice
     * @param railFee the routing fee a succeeded payout paid, or null
     * @param error why it failed, or null
     * @since 0.1
     */
    record Entry(
            TransferId transferId,
            Kind kind,
            Stage stage,
            String hash,
            Money amount,
            Money platformFee,
            TransferId fundingTransferId,
            String destination,
            String paymentRequest,
            long expiresAt,
            boolean cancelRequested,
            Money railFee,
            RailError error) {
        public Entry {
            Objects.requireNonNull(transferId, "transferId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(stage, "stage");
        }

        /** @param next the new stage @return a copy at that stage */
        public Entry withStage(Stage next) {
            return with(next, railFee, error);
        }

        /** @param why the error @return a FAILED copy */
        public Entry failed(RailError why) {
            return with(Stage.FAILED, railFee, why);
        }

        /** @param fee the routing fee @return a SUCCEEDED copy */
        public Entry succeeded(Money fee) {
            return with(Stage.SUCCEEDED, fee, null);
        }

        private Entry with(Stage next, Money fee, RailError why) {
            return new Entry(
                    transferId,
                    kind,
                    next,
                    hash,
                    amount,
                    platformFee,
                    fundingTransferId,
                    destination,
                    paymentRequest,
                    expiresAt,
                    cancelRequested,
                    fee,
                    why);
        }

        /**
         * @param newHash the hash
         * @param newPaymentRequest the BOLT11, or null to keep the current one
         * @return a copy with them
         */
        public Entry withPayment(String newHash, String newPaymentRequest) {
            return new Entry(
                    transferId,
                    kind,
                    stage,
                    newHash,
                    amount,
                    platformFee,
                    fundingTransferId,
                    destination,
                    newPaymentRequest != null ? newPaymentRequest : paymentRequest,
                    expiresAt,
                    cancelRequested,
                    railFee,
                    error);
        }

        /** @param requested whether the rail asked LND to cancel @return a copy */
        public Entry withCancelRequested(boolean requested) {
            return new Entry(
                    transferId,
                    kind,
                    stage,
                    hash,
                    amount,
                    platformFee,
                    fundingTransferId,
                    destination,
                    paymentRequest,
                    expiresAt,
                    requested,
                    railFee,
                    error);
        }

        /** @return what a payout draws from its funding: amount plus platform fee */
        public Money drawn() {
            return platformFee == null ? amount : amount.plus(platformFee);
        }
    }
}
