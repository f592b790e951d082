package dev.holdfast.stellar;

import dev.holdfast.api.Money;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.RailError;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The port for the Stellar rail's record per transfer id: what the rail prepared (escrow account, transaction
 * envelopes and hashes), how far it got, and what Horizon answered. It is what makes the rail idempotent on transfer
 * ids across restarts: on a repeated call the rail answers from the entry and confirms unfinished entries on Horizon
 * by transaction hash. Envelopes carry only signatures, never keys, and hold no secret. The XLM network fee of a
 * transfer in an issued asset is kept here ({@link Entry#feeStroops()}), because it cannot be expressed in the
 * escrow's asset.
 *
 * <p>Implementations are thread-safe; {@link #insertIfAbsent} is atomic. {@link InMemoryStellarTransferLog} serves
 * tests; a host persists entries in its own database.
 *
 * @since 0.1
 */
public interface StellarTransferLog {
    /**
     * @param transferId a transfer id
     * @return its entry, if the rail ever recorded it
     */
    Optional<Entry> find(TransferId transferId);

    /**
     * Records an entry unless one exists for its transfer id.
     *
     * @param entry the new entry
     * @return the existing entry, or empty when {@code entry} was recorded
     */
    Optional<Entry> insertIfAbsent(Entry entry);

    /**
     * Replaces an existing entry.
     *
     * @param entry the new state of the entry
     */
    void update(Entry entry);

    /** @return every entry, for the rail's watcher after a restart and for reconciliation */
    List<Entry> all();

    /** What a transfer is. */
    enum Kind {
        /** An escrow account opened for a buyer's funding. */
        FUNDING,
        /** A release or refund from an escrow account. */
        PAYOUT,
        /** A payment out of the platform's account. */
        WITHDRAWAL
    }

    /** How far a transfer got. */
    enum Stage {
        /** Funding: the escrow account is being created. */
        CREATING,
        /** Funding: the account exists; the buyer has not signed and submitted the funding transaction. */
        AWAITING_BUYER,
        /** Funding: the buyer paid; the escrow account holds the funds. */
        FUNDED,
        /** Funding: a cancel was sent and its outcome is not known. */
        CANCELLING,
        /** Funding: nothing is held any more (cancelled, lapsed unpaid, failed). */
        CLOSED,
        /** Payout: recorded; the transaction is not prepared yet (Horizon did not answer). */
        PREPARING,
        /** Payout: prepared and signed by the platform; waiting for the party's signature. */
        AWAITING_SIGNATURE,
        /** Payout or withdrawal: submitted; Horizon's answer is pending or was lost. */
        SUBMITTED,
        /** Payout or withdrawal: applied. */
        SUCCEEDED,
        /** Payout or withdrawal: refused; no money moved. */
        FAILED
    }

    /**
     * One transfer's record. Immutable and thread-safe.
     *
     * @param transferId the transfer id
     * @param kind what it is
     * @param fingerprint the request it was made for, to tell a repeat from a different request
     * @param stage how far it got
     * @param amount funded amount, or a payout's amount
     * @param platformFee a payout's platform fee, or {@code null}
     * @param fundingTransferId a payout's funding, or {@code null}
     * @param escrowAccount the escrow account (a funding's own, a payout's source), or {@code null}
     * @param buyerAccount the buyer's account (fundings)
     * @param sellerAccount the seller's account (fundings)
     * @param destinationAccount a payout's destination account
     * @param signer the party asked to sign, or {@code null}
     * @param fundBy a funding's deadline for the buyer
     * @param holdUntil a funding's deadline after which the buyer may recover alone
     * @param expiresAt when the prepared transaction stops being valid
     * @param escrowSeq a funding's escrow sequence number as last applied by this rail
     * @param heldMinor what a funding's escrow account holds for the buyer, in stroops
     * @param last whether a payout closes its escrow account
     * @param txXdr the prepared envelope (platform-signed where the platform signs)
     * @param txHash its hash, hex
     * @param signedXdr the envelope as submitted, with the party's signature
     * @param feeStroops the XLM network fee charged, in stroops (a funding's: creating the escrow account and, once
     *     applied, the buyer's funding transaction)
     * @param error why it failed, or the last rejected response
     * @param funded whether a funding's buyer transaction applied (it stays true after the escrow closed)
     * @param closeFeeStroops the XLM fee of the transaction that merged a funding's escrow account back into the
     *     platform's (the cancel or the close of an unfunded account), in stroops; 0 when this rail did not merge it
     */
    record Entry(
            TransferId transferId,
            Kind kind,
            String fingerprint,
            Stage stage,
            Money amount,
            Money platformFee,
            TransferId fundingTransferId,
            String escrowAccount,
            String buyerAccount,
            String sellerAccount,
            String destinationAccount,
            Role signer,
            Instant fundBy,
            Instant holdUntil,
            Instant expiresAt,
            long escrowSeq,
            long heldMinor,
            boolean last,
            String txXdr,
            String txHash,
            String signedXdr,
            long feeStroops,
            RailError error,
            boolean funded,
            long closeFeeStroops) {

        /**
         * @param change edits a copy
         * @return the edited copy
         */
        public Entry with(UnaryOperator<Builder> change) {
            return change.apply(new Builder(this)).build();
        }

        /** @return a new entry's builder */
        public static Builder builder() {
            return new Builder(null);
        }

        /** A mutable copy of an entry. Not thread-safe. */
        public static final class Builder {
            public TransferId transferId;
            public Kind kind;
            public String fingerprint;
            public Stage stage;
            public Money amount;
            public Money platformFee;
            public TransferId fundingTransferId;
            public String escrowAccount;
            public String buyerAccount;
            public String sellerAccount;
            public String destinationAccount;
            public Role signer;
            public Instant fundBy;
            public Instant holdUntil;
            public Instant expiresAt;
            public long escrowSeq;
            public long heldMinor;
            public boolean last;
            public String txXdr;
            public String txHash;
            public String signedXdr;
            public long feeStroops;
            public RailError error;
            public boolean funded;
            public long closeFeeStroops;

            Builder(Entry e) {
                if (e != null) {
                    transferId = e.transferId;
                    kind = e.kind;
                    fingerprint = e.fingerprint;
                    stage = e.stage;
                    amount = e.amount;
                    platformFee = e.platformFee;
                    fundingTransferId = e.fundingTransferId;
                    escrowAccount = e.escrowAccount;
                    buyerAccount = e.buyerAccount;
                    sellerAccount = e.sellerAccount;
                    destinationAccount = e.destinationAccount;
                    signer = e.signer;
                    fundBy = e.fundBy;
                    holdUntil = e.holdUntil;
                    expiresAt = e.expiresAt;
                    escrowSeq = e.escrowSeq;
                    heldMinor = e.heldMinor;
                    last = e.last;
                    txXdr = e.txXdr;
                    txHash = e.txHash;
                    signedXdr = e.signedXdr;
                    feeStroops = e.feeStroops;
                    error = e.error;
                    funded = e.funded;
                    closeFeeStroops = e.closeFeeStroops;
                }
            }

            /**
             * @param s the stage
             * @return this builder
             */
            public Builder stage(Stage s) {
                stage = s;
                return this;
            }

            /** @return the entry */
            public Entry build() {
                return new Entry(
                        transferId,
                        kind,
                        fingerprint,
                        stage,
                        amount,
                        platformFee,
                        fundingTransferId,
                        escrowAccount,
                        buyerAccount,
                        sellerAccount,
                        destinationAccount,
                        signer,
                        fundBy,
                        holdUntil,
                        expiresAt,
                        escrowSeq,
                        heldMinor,
                        last,
                        txXdr,
                        txHash,
                        signedXdr,
                        feeStroops,
                        error,
                        funded,
                        closeFeeStroops);
            }
        }
    }
}
