package dev.holdfast.openpayments;

import dev.holdfast.api.Money;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.RailError;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The port for the Open Payments rail's record per transfer id, and per payment leg. It is what makes the rail
 * idempotent on transfer ids (RC-1) and lets it resolve lost answers by looking resources up (RC-12); the account
 * servicing entities stay the source of truth for what moved.
 *
 * <p>A <em>leg</em> is one payment the rail makes from one of the platform's wallets: an incoming payment on the
 * receiving wallet, a quote and an outgoing payment whose metadata carries the leg id. A payout has a main leg and,
 * with a platform fee, a fee leg to the platform wallet; a cancel of a held funding has a refund leg.
 *
 * <p>{@link InMemoryOpenPaymentsTransferLog} is for tests and demos; <b>hosts must give a durable implementation in
 * production</b>. Continuation tokens are secrets: a durable log must encrypt them at rest.
 *
 * <p>Implementations are thread-safe; {@link #insertIfAbsent} is atomic per transfer id.
 *
 * @since 0.1
 */
public interface OpenPaymentsTransferLog {
    /** @param transferId an id @return its entry */
    Optional<Entry> find(TransferId transferId);

    /** @param entry a new entry @return the existing one, or empty when stored */
    Optional<Entry> insertIfAbsent(Entry entry);

    /** @param entry the new state of an existing entry */
    void update(Entry entry);

    /** @param fundingTransferId a funding @return the payouts drawing on it */
    List<Entry> drawsOn(TransferId fundingTransferId);

    /** @return entries not final yet */
    List<Entry> unresolved();

    /** @param legId a leg id @return the leg */
    Optional<Leg> leg(String legId);

    /** @param leg inserts or replaces a leg */
    void saveLeg(Leg leg);

    /** What an entry is. */
    enum Kind {
        /** An escrow funding. */
        FUNDING,
        /** A release or refund from a funding. */
        PAYOUT,
        /** A payment out of the platform wallet. */
        WITHDRAWAL,
        /** An id cancelled before the rail saw it. */
        TOMBSTONE
    }

    /**
     * How far a transfer got. Fundings: OPEN (consent asked) → PAYING (buyer's outgoing payment created) → FUNDED →
     * CANCELLING → CANCELLED, or FAILED. Payouts: RESERVED (drawn on the funding) → SUCCEEDED or FAILED.
     */
    enum Stage {
        /** Waiting for the buyer's consent. */
        OPEN,
        /** The buyer's payment was created; waiting for it to arrive. */
        PAYING,
        /** The escrow wallet holds the funds. */
        FUNDED,
        /** The refund of a held funding is under way. */
        CANCELLING,
        /** Nothing is held any more. */
        CANCELLED,
        /** Drawn on the funding; legs under way. */
        RESERVED,
        /** Money moved. */
        SUCCEEDED,
        /** No money moved and none will. */
        FAILED;

        /** @return whether it can still change by itself */
        public boolean unresolved() {
            return this == OPEN || this == PAYING || this == CANCELLING || this == RESERVED;
        }
    }

    /**
     * One transfer's record. Immutable and thread-safe.
     *
     * @param transferId the engine's id
     * @param kind what it is
     * @param stage how far it got
     * @param amount the funded amount, or what the destination receives
     * @param platformFee a payout's platform fee, zero for fundings
     * @param fundingTransferId the funding a payout draws on, or null
     * @param destination a payout's wallet address, {@code internal}, or null
     * @param buyerWallet a funding's buyer wallet address
     * @param incomingPayment a funding's incoming payment on the escrow wallet
     * @param expiresAt a funding's deadline (fundBy)
     * @param interactUrl the consent URL
     * @param continueUri the grant's continuation URL
     * @param continueToken the grant's continuation token (a secret)
     * @param clientNonce our interaction nonce
     * @param asNonce the AS's interaction nonce
     * @param authServer the buyer's grant endpoint
     * @param railFee what the rail charged on top, or null
     * @param error why it failed, or null
     * @param fingerprint the request, to tell a repeat from a different request under the same id
     */
    record Entry(
            TransferId transferId,
            Kind kind,
            Stage stage,
            Money amount,
            Money platformFee,
            TransferId fundingTransferId,
            String destination,
            String buyerWallet,
            String incomingPayment,
            Instant expiresAt,
            String interactUrl,
            String continueUri,
            String continueToken,
            String clientNonce,
            String asNonce,
            String authServer,
            Money railFee,
            RailError error,
            String fingerprint) {
        public Entry {
            Objects.requireNonNull(transferId, "transferId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(stage, "stage");
        }

        /** @return a mutable copy */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /** @param next the stage @return a copy at it */
        public Entry withStage(Stage next) {
            Builder b = toBuilder();
            b.stage = next;
            return b.build();
        }

        /** @param why the error @return a FAILED copy */
        public Entry failed(RailError why) {
            Builder b = toBuilder();
            b.stage = Stage.FAILED;
            b.error = why;
            return b.build();
        }

        /** @return amount plus platform fee */
        public Money drawn() {
            return platformFee == null ? amount : amount.plus(platformFee);
        }

        /** A mutable copy of an entry, for making the next state. Not thread-safe. */
        public static final class Builder {
            // Public fields on purpose: this is a value under construction, read back by build().
            /** See {@link Entry}. */
            public TransferId transferId;
            /** See {@link Entry}. */
            public Kind kind;
            /** See {@link Entry}. */
            public Stage stage;
            /** See {@link Entry}. */
            public Money amount;
            /** See {@link Entry}. */
            public Money platformFee;
            /** See {@link Entry}. */
            public TransferId fundingTransferId;
            /** See {@link Entry}. */
            public String destination;
            /** See {@link Entry}. */
            public String buyerWallet;
            /** See {@link Entry}. */
            public String incomingPayment;
            /** See {@link Entry}. */
            public Instant expiresAt;
            /** See {@link Entry}. */
            public String interactUrl;
            /** See {@link Entry}. */
            public String continueUri;
            /** See {@link Entry}. */
            public String continueToken;
            /** See {@link Entry}. */
            public String clientNonce;
            /** See {@link Entry}. */
            public String asNonce;
            /** See {@link Entry}. */
            public String authServer;
            /** See {@link Entry}. */
            public Money railFee;
            /** See {@link Entry}. */
            public RailError error;
            /** See {@link Entry}. */
            public String fingerprint;

            /** @param transferId the id @param kind the kind @param stage the stage */
            public Builder(TransferId transferId, Kind kind, Stage stage) {
                this.transferId = transferId;
                this.kind = kind;
                this.stage = stage;
            }

            private Builder(Entry e) {
                this(e.transferId, e.kind, e.stage);
                amount = e.amount;
                platformFee = e.platformFee;
                fundingTransferId = e.fundingTransferId;
                destination = e.destination;
                buyerWallet = e.buyerWallet;
                incomingPayment = e.incomingPayment;
                expiresAt = e.expiresAt;
                interactUrl = e.interactUrl;
                continueUri = e.continueUri;
                continueToken = e.continueToken;
                clientNonce = e.clientNonce;
                asNonce = e.asNonce;
                authServer = e.authServer;
                railFee = e.railFee;
                error = e.error;
                fingerprint = e.fingerprint;
            }

            /** @return the entry */
            public Entry build() {
                return new Entry(
                        transferId,
                        kind,
                        stage,
                        amount,
                        platformFee,
                        fundingTransferId,
                        destination,
                        buyerWallet,
                        incomingPayment,
                        expiresAt,
                        interactUrl,
                        continueUri,
                        continueToken,
                        clientNonce,
                        asNonce,
                        authServer,
                        railFee,
                        error,
                        fingerprint);
            }
        }
    }

    /** How far a leg got. */
    enum LegStage {
        /** Recorded; nothing created yet. */
        PREPARED,
        /** The outgoing payment was asked for; its outcome is the provider's. */
        SENT,
        /** The receiver got the amount. */
        DONE,
        /** No money moved for this leg and none will. */
        FAILED
    }

    /**
     * One payment from a platform wallet. Immutable and thread-safe.
     *
     * @param legId the id, in the outgoing payment's metadata
     * @param from the paying wallet address
     * @param to the receiving wallet address
     * @param amount what the receiver gets
     * @param stage how far it got
     * @param incomingPayment the incoming payment on the receiving wallet, once created
     * @param outgoingPayment the outgoing payment, once known
     * @param railFee the quote's debit minus receive, once quoted
     * @param error why it failed, or null
     */
    record Leg(
            String legId,
            String from,
            String to,
            Money amount,
            LegStage stage,
            String incomingPayment,
            String outgoingPayment,
            Money railFee,
            RailError error) {}
}
