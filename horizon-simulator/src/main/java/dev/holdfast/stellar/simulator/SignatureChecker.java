package dev.holdfast.stellar.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.xdr.DecoratedSignature;
import org.stellar.sdk.xdr.SignerKeyType;

/**
 * stellar-core's SignatureChecker: sums the weights of signers whose key matches the transaction hash (pre-auth) or
 * a signature (hash-x preimage, ed25519 over the hash), each signer counted once per check, and remembers which
 * signatures were used so that unused ones can be refused ({@code tx_bad_auth_extra}). One per validation; not
 * thread-safe.
 */
final class SignatureChecker {
    private final byte[] hash;
    private final DecoratedSignature[] signatures;
    private final boolean[] used;

    SignatureChecker(byte[] hash, DecoratedSignature[] signatures) {
        this.hash = hash;
        this.signatures = signatures;
        this.used = new boolean[signatures.length];
    }

    /** Signers of an account: the master key first when its weight is not zero, then the added signers. */
    static List<LedgerState.Signer> signersOf(LedgerState.Account account) {
        List<LedgerState.Signer> all = new ArrayList<>();
        if (account.masterWeight > 0) {
            KeyPair master = KeyPair.fromAccountId(account.id);
            all.add(new LedgerState.Signer(
                    master.getXdrSignerKey(), account.id, "ed25519_public_key", account.masterWeight));
        }
        all.addAll(account.signers);
        return all;
    }

    boolean check(List<LedgerState.Signer> signers, int neededWeight) {
        int total = 0;
        for (LedgerState.Signer s : signers) {
            if (s.key().getDiscriminant() == SignerKeyType.SIGNER_KEY_TYPE_PRE_AUTH_TX
                    && Arrays.equals(s.key().getPreAuthTx().getUint256(), hash)) {
                total += Math.min(s.weight(), 255);
                if (total >= neededWeight) {
                    return true;
                }
            }
        }
        List<LedgerState.Signer> hashX = new ArrayList<>();
        List<LedgerState.Signer> ed25519 = new ArrayList<>();
        for (LedgerState.Signer s : signers) {
            if (s.key().getDiscriminant() == SignerKeyType.SIGNER_KEY_TYPE_HASH_X) {
                hashX.add(s);
            } else if (s.key().getDiscriminant() == SignerKeyType.SIGNER_KEY_TYPE_ED25519) {
                ed25519.add(s);
            }
        }
        int[] sum = {total};
        if (verifyAll(hashX, neededWeight, sum, false)) {
            return true;
        }
        return verifyAll(ed25519, neededWeight, sum, true);
    }

    boolean allUsed() {
        for (boolean u : used) {
            if (!u) {
                return false;
            }
        }
        return true;
    }

    // Mirrors core: each signature may satisfy one signer per check; a matched signer leaves the candidate list.
    private boolean verifyAll(List<LedgerState.Signer> candidates, int needed, int[] sum, boolean ed25519) {
        List<LedgerState.Signer> left = new ArrayList<>(candidates);
        for (int i = 0; i < signatures.length; i++) {
            DecoratedSignature sig = signatures[i];
            for (int j = 0; j < left.size(); j++) {
                LedgerState.Signer signer = left.get(j);
                if (matches(sig, signer, ed25519)) {
                    used[i] = true;
                    sum[0] += Math.min(signer.weight(), 255);
                    if (sum[0] >= needed) {
                        return true;
                    }
                    left.remove(j);
                    break;
                }
            }
        }
        return false;
    }

    private boolean matches(DecoratedSignature sig, LedgerState.Signer signer, boolean ed25519) {
        byte[] key = ed25519
                ? signer.key().getEd25519().getUint256()
                : signer.key().getHashX().getUint256();
        byte[] hint = sig.getHint().getSignatureHint();
        if (!Arrays.equals(hint, Arrays.copyOfRange(key, key.length - 4, key.length))) {
            return false;
        }
        byte[] signature = sig.getSignature().getSignature();
        if (!ed25519) {
            return Arrays.equals(Codec.sha256(signature), key);
        }
        try {
            return KeyPair.fromPublicKey(key).verify(hash, signature);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
