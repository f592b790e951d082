package dev.holdfast.stellar.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.stellar.sdk.Account;
import org.stellar.sdk.AccountMergeOperation;
import org.stellar.sdk.Asset;
import org.stellar.sdk.AssetTypeNative;
import org.stellar.sdk.ChangeTrustAsset;
import org.stellar.sdk.ChangeTrustOperation;
import org.stellar.sdk.CreateAccountOperation;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;
import org.stellar.sdk.PaymentOperation;
import org.stellar.sdk.SetOptionsOperation;
import org.stellar.sdk.Signer;
import org.stellar.sdk.TimeBounds;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.TransactionBuilder;
import org.stellar.sdk.TransactionPreconditions;

/**
 * Builds the escrow account's transactions. Everything here is deterministic: the same inputs give the same
 * transaction and hash, which is what lets a pre-auth-tx signer name a transaction before it exists and lets the rail
 * rebuild it after a restart. Immutable and thread-safe.
 *
 * <p>Layout after funding: signers buyer, seller, platform (weight 1 each), master weight 0, thresholds 2/2/2, and two
 * pre-auth-tx signers (weight 2) for the {@link #recovery} and the {@link #cancel} of what the account holds, both at
 * the next sequence number.
 */
public final class EscrowTransactions {
    /** Base reserve, in stroops. */
    public static final long BASE_RESERVE = 5_000_000L;
    /** Minimum fee per operation, in stroops. */
    public static final long BASE_FEE = 100L;
    /** Signers after funding: three parties and two pre-auth transactions. */
    public static final int SIGNERS = 5;

    private final Network network;
    private final KeyPair platform;
    private final Asset asset;

    /**
     * @param network the network
     * @param platform the platform's key pair (may sign)
     * @param asset the escrow asset
     */
    public EscrowTransactions(Network network, KeyPair platform, Asset asset) {
        this.network = network;
        this.platform = platform;
        this.asset = asset;
    }

    /**
     * The escrow account's own key, derived from the platform's seed and the funding's transfer id: the same escrow
     * account for the same transfer id after a restart, and no key to store. Its master weight becomes 0 when the
     * buyer funds it.
     *
     * @param platform the platform's key pair
     * @param transferId the funding's transfer id
     * @return the escrow key pair
     */
    public static KeyPair escrowKey(KeyPair platform, String transferId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(seedBytes(platform), "HmacSHA256"));
            return KeyPair.fromSecretSeed(
                    mac.doFinal(("holdfast/stellar/escrow/" + transferId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] seedBytes(KeyPair k) {
        char[] seed = k.getSecretSeed();
        byte[] raw = org.stellar.sdk.StrKey.decodeEd25519SecretSeed(seed);
        java.util.Arrays.fill(seed, '\0');
        return raw;
    }

    /** @return whether the escrow asset is XLM */
    public boolean nativeAsset() {
        return asset instanceof AssetTypeNative;
    }

    /** @return the XLM the platform lends the escrow account: its minimum balance after funding */
    public long minimumBalance() {
        int subEntries = SIGNERS + (nativeAsset() ? 0 : 1);
        return (2 + subEntries) * BASE_RESERVE;
    }

    private TransactionBuilder builder(String source, long currentSeq, long minTime, long maxTime) {
        return new TransactionBuilder(new Account(source, currentSeq), network)
                .setBaseFee((int) BASE_FEE)
                .addPreconditions(TransactionPreconditions.builder()
                        .timeBounds(new TimeBounds(minTime, maxTime))
                        .build());
    }

    /**
     * The platform creates the escrow account; its trustline comes with the funding transaction.
     *
     * @param platformSeq the platform account's current sequence number
     * @param escrow the escrow key
     * @param startingBalance XLM to lend it, in stroops
     * @param maxTime upper time bound, epoch seconds
     * @return the signed transaction
     */
    public Transaction create(long platformSeq, KeyPair escrow, long startingBalance, long maxTime) {
        Transaction tx = builder(platform.getAccountId(), platformSeq, 0, maxTime)
                .addOperation(new CreateAccountOperation.Builder(escrow.getAccountId(), Stroops.format(startingBalance))
                        .build())
                .build();
        tx.sign(platform);
        return tx;
    }

    /**
     * The buyer's funding transaction: locks the escrow account (signers, thresholds, master weight 0, pre-auth
     * recovery and cancel) and pays the amount into it, atomically, before {@code fundBy}. Signed by the escrow key;
     * the buyer adds the signature for the payment.
     *
     * @param escrow the escrow key
     * @param escrowSeq the escrow's current sequence number
     * @param buyer the buyer's account
     * @param seller the seller's account
     * @param amount stroops
     * @param holdUntil epoch seconds after which the recovery is valid
     * @param fundBy epoch seconds, the funding's upper time bound
     * @return the escrow-signed transaction
     */
    public Transaction funding(
            KeyPair escrow, long escrowSeq, String buyer, String seller, long amount, long holdUntil, long fundBy) {
        String id = escrow.getAccountId();
        Transaction recovery = recovery(id, escrowSeq + 1, buyer, amount, holdUntil);
        Transaction cancel = cancel(id, escrowSeq + 1, buyer, amount);
        TransactionBuilder b = builder(id, escrowSeq, 0, fundBy);
        if (!nativeAsset()) {
            b.addOperation(
                    new ChangeTrustOperation.Builder(ChangeTrustAsset.create(asset), "922337203685.4775807").build());
        }
        Transaction tx = b.addOperation(
                        signer(org.stellar.sdk.Signer.ed25519PublicKey(KeyPair.fromAccountId(buyer)), 1))
                .addOperation(signer(org.stellar.sdk.Signer.ed25519PublicKey(KeyPair.fromAccountId(seller)), 1))
                .addOperation(signer(org.stellar.sdk.Signer.ed25519PublicKey(platform), 1))
                .addOperation(signer(Signer.preAuthTx(recovery), 2))
                .addOperation(signer(Signer.preAuthTx(cancel), 2))
                .addOperation(new SetOptionsOperation.Builder()
                        .setMasterKeyWeight(0)
                        .setLowThreshold(2)
                        .setMediumThreshold(2)
                        .setHighThreshold(2)
                        .build())
                .addOperation(new PaymentOperation.Builder(id, asset, Stroops.format(amount))
                        .setSourceAccount(buyer)
                        .build())
                .build();
        tx.sign(escrow);
        return tx;
    }

    private static SetOptionsOperation signer(org.stellar.sdk.xdr.SignerKey key, int weight) {
        return new SetOptionsOperation.Builder().setSigner(key, weight).build();
    }

    private void close(TransactionBuilder b, String escrow) {
        if (!nativeAsset()) {
            b.addOperation(new ChangeTrustOperation.Builder(ChangeTrustAsset.create(asset), "0")
                    .setSourceAccount(escrow)
                    .build());
        }
        b.addOperation(new AccountMergeOperation.Builder(platform.getAccountId()).build());
    }

    /**
     * The buyer's recovery: everything held back to the buyer, reserve back to the platform, valid only from {@code
     * holdUntil}. Authorised by its pre-auth-tx signer alone, so anyone (the buyer) can submit it.
     *
     * @param escrow the escrow account
     * @param escrowSeq the escrow's sequence number before it
     * @param buyer the buyer's account
     * @param held what the account holds for the buyer, stroops
     * @param holdUntil epoch seconds
     * @return the unsigned transaction
     */
    public Transaction recovery(String escrow, long escrowSeq, String buyer, long held, long holdUntil) {
        TransactionBuilder b = builder(escrow, escrowSeq, holdUntil, 0);
        if (held > 0) {
            b.addOperation(new PaymentOperation.Builder(buyer, asset, Stroops.format(held)).build());
        }
        close(b, escrow);
        return b.build();
    }

    /**
     * The cancel: like the recovery but valid at once, and with a no-op operation sourced at the platform's account
     * so that only the platform can submit it (its pre-auth signer authorises the escrow's part, the platform's
     * signature the no-op). The one thing the platform can do alone: give everything held back to the buyer.
     *
     * @param escrow the escrow account
     * @param escrowSeq the escrow's sequence number before it
     * @param buyer the buyer's account
     * @param held what the account holds for the buyer, stroops
     * @return the unsigned transaction (sign with {@link #signByPlatform})
     */
    public Transaction cancel(String escrow, long escrowSeq, String buyer, long held) {
        TransactionBuilder b = builder(escrow, escrowSeq, 0, 0)
                .addOperation(new SetOptionsOperation.Builder()
                        .setSourceAccount(platform.getAccountId())
                        .build());
        if (held > 0) {
            b.addOperation(new PaymentOperation.Builder(buyer, asset, Stroops.format(held)).build());
        }
        close(b, escrow);
        return b.build();
    }

    /**
     * A payout from the escrow account, signed by the platform; a second party's signature completes it.
     *
     * @param escrow the escrow account
     * @param escrowSeq its current sequence number
     * @param destination where {@code amount} goes
     * @param amount stroops, positive
     * @param platformFee stroops to the platform, not negative
     * @param buyer the buyer's account (for the re-armed recovery)
     * @param heldBefore what the account holds before this payout
     * @param close whether this payout empties and merges the account
     * @param holdUntil epoch seconds, the recovery's lower bound
     * @param maxTime the payout's upper time bound, epoch seconds
     * @return the platform-signed transaction
     */
    public Transaction payout(
            String escrow,
            long escrowSeq,
            String destination,
            long amount,
            long platformFee,
            String buyer,
            long heldBefore,
            boolean close,
            long holdUntil,
            long maxTime) {
        TransactionBuilder b = builder(escrow, escrowSeq, 0, maxTime)
                .addOperation(new PaymentOperation.Builder(destination, asset, Stroops.format(amount)).build());
        if (platformFee > 0) {
            b.addOperation(
                    new PaymentOperation.Builder(platform.getAccountId(), asset, Stroops.format(platformFee)).build());
        }
        long heldAfter = heldBefore - amount - platformFee;
        if (close) {
            close(b, escrow);
        } else {
            // This payout consumes the sequence number of the standing recovery and cancel: replace them by ones for
            // what remains, at the next sequence number, so the buyer keeps a way out.
            for (Transaction old : List.of(
                    recovery(escrow, escrowSeq, buyer, heldBefore, holdUntil),
                    cancel(escrow, escrowSeq, buyer, heldBefore))) {
                b.addOperation(signer(Signer.preAuthTx(old), 0));
            }
            b.addOperation(signer(Signer.preAuthTx(recovery(escrow, escrowSeq + 1, buyer, heldAfter, holdUntil)), 2));
            b.addOperation(signer(Signer.preAuthTx(cancel(escrow, escrowSeq + 1, buyer, heldAfter)), 2));
        }
        Transaction tx = b.build();
        tx.sign(platform);
        return tx;
    }

    /**
     * A payment out of the platform's own account.
     *
     * @param platformSeq the platform's current sequence number
     * @param destination where to
     * @param amount stroops
     * @param maxTime upper time bound
     * @return the signed transaction
     */
    public Transaction withdrawal(long platformSeq, String destination, long amount, long maxTime) {
        Transaction tx = builder(platform.getAccountId(), platformSeq, 0, maxTime)
                .addOperation(new PaymentOperation.Builder(destination, asset, Stroops.format(amount)).build())
                .build();
        tx.sign(platform);
        return tx;
    }

    /**
     * The platform closes an escrow account the buyer never funded, with the escrow key (still its only signer).
     *
     * @param escrow the escrow key
     * @param escrowSeq its current sequence number
     * @param maxTime upper time bound
     * @return the signed transaction
     */
    public Transaction closeUnfunded(KeyPair escrow, long escrowSeq, long maxTime) {
        // The trustline comes with the funding transaction, so an unfunded account has none to remove.
        TransactionBuilder b = builder(escrow.getAccountId(), escrowSeq, 0, maxTime)
                .addOperation(new AccountMergeOperation.Builder(platform.getAccountId()).build());
        Transaction tx = b.build();
        tx.sign(escrow);
        return tx;
    }

    /**
     * @param tx a transaction
     * @return it with the platform's signature added
     */
    public Transaction signByPlatform(Transaction tx) {
        tx.sign(platform);
        return tx;
    }
}
