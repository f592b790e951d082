package dev.holdfast.lightning.simulator;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9IntegerConverter;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * A secp256k1 key with the recoverable compact signatures BOLT11 needs (RFC 6979 nonces, low-S). Immutable and
 * thread-safe.
 */
final class Secp256k1 {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters CURVE =
            new ECDomainParameters(PARAMS.getCurve(), PARAMS.getG(), PARAMS.getN(), PARAMS.getH());
    private static final BigInteger HALF_N = CURVE.getN().shiftRight(1);

    private final BigInteger privateKey;
    private final byte[] publicKey;

    private Secp256k1(BigInteger privateKey) {
        this.privateKey = privateKey;
        this.publicKey = new FixedPointCombMultiplier()
                .multiply(CURVE.getG(), privateKey)
                .normalize()
                .getEncoded(true);
    }

    static Secp256k1 generate(SecureRandom random) {
        BigInteger d;
        do {
            d = new BigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(CURVE.getN()) >= 0);
        return new Secp256k1(d);
    }

    /** The 33-byte compressed public key, as LND shows node ids. */
    byte[] publicKey() {
        return publicKey.clone();
    }

    /** Signs a 32-byte digest; returns r (32) || s (32) || recovery id (1). */
    byte[] signRecoverable(byte[] digest) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(privateKey, CURVE));
        BigInteger[] rs = signer.generateSignature(digest);
        BigInteger r = rs[0];
        // BOLT11 readers (and LND) insist on the canonical low-S form.
        BigInteger s = rs[1].compareTo(HALF_N) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
        for (int recId = 0; recId < 4; recId++) {
            byte[] recovered = recover(recId, r, s, digest);
            if (recovered != null && Arrays.equals(recovered, publicKey)) {
                byte[] out = new byte[65];
                System.arraycopy(toBytes32(r), 0, out, 0, 32);
                System.arraycopy(toBytes32(s), 0, out, 32, 32);
                out[64] = (byte) recId;
                return out;
            }
        }
        throw new IllegalStateException("no recovery id matches the signature");
    }

    /** Recovers the compressed public key from a {@link #signRecoverable} signature, or null when invalid. */
    static byte[] recoverPublicKey(byte[] signature65, byte[] digest) {
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature65, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature65, 32, 64));
        int recId = signature65[64];
        if (r.signum() == 0 || s.signum() == 0 || recId < 0 || recId > 3) {
            return null;
        }
        return recover(recId, r, s, digest);
    }

    // SEC 1 v2, section 4.1.6.
    private static byte[] recover(int recId, BigInteger r, BigInteger s, byte[] digest) {
        BigInteger n = CURVE.getN();
        BigInteger x = r.add(BigInteger.valueOf(recId / 2L).multiply(n));
        if (x.compareTo(CURVE.getCurve().getField().getCharacteristic()) >= 0) {
            return null;
        }
        X9IntegerConverter converter = new X9IntegerConverter();
        byte[] compressed = converter.integerToBytes(x, 1 + converter.getByteLength(CURVE.getCurve()));
        compressed[0] = (byte) ((recId & 1) == 1 ? 0x03 : 0x02);
        ECPoint bigR;
        try {
            bigR = CURVE.getCurve().decodePoint(compressed);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!bigR.multiply(n).isInfinity()) {
            return null;
        }
        BigInteger e = new BigInteger(1, digest);
        BigInteger eInv = BigInteger.ZERO.subtract(e).mod(n);
        BigInteger rInv = r.modInverse(n);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(
                CURVE.getG(), rInv.multiply(eInv).mod(n), bigR, rInv.multiply(s).mod(n));
        return q.isInfinity() ? null : q.normalize().getEncoded(true);
    }

    private static byte[] toBytes32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - len, out, 32 - len, len);
        return out;
    }
}
