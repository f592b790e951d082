package dev.holdfast.lightning.internal;

import dev.holdfast.api.TransferId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives preimages from the host's secret key and a transfer id, so that no preimage is ever stored: HMAC-SHA256
 * over a purpose label and the id. The labels keep a funding's preimage and a keysend payout's preimage apart even for
 * equal ids. Immutable and thread-safe (a {@link Mac} per call); {@link #toString()} shows nothing.
 */
public final class Preimages {
    private static final String FUNDING = "holdfast/lightning/hold-invoice/v1:";
    private static final String KEYSEND = "holdfast/lightning/keysend/v1:";
    private final SecretKeySpec key;

    /** @param key at least 32 bytes; copied */
    public Preimages(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** @param funding a funding's transfer id @return its 32-byte preimage; callers wipe it after use */
    public byte[] funding(TransferId funding) {
        return hmac(FUNDING + funding.value());
    }

    /** @param payout a keysend payout's transfer id @return its 32-byte preimage; callers wipe it after use */
    public byte[] keysend(TransferId payout) {
        return hmac(KEYSEND + payout.value());
    }

    /** @param preimage a preimage @return its SHA-256, the payment hash */
    public static byte[] hash(byte[] preimage) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(preimage);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** @param funding a funding @return the hex payment hash of its hold invoice */
    public String fundingHashHex(TransferId funding) {
        byte[] preimage = funding(funding);
        try {
            return HexFormat.of().formatHex(hash(preimage));
        } finally {
            java.util.Arrays.fill(preimage, (byte) 0);
        }
    }

    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "Preimages[key=(redacted)]";
    }
}
