package dev.holdfast.stellar.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import org.stellar.sdk.StrKey;
import org.stellar.sdk.xdr.AccountID;
import org.stellar.sdk.xdr.MuxedAccount;

/** Conversions between XDR values and Horizon's strings. Stateless. */
final class Codec {
    static final long STROOPS_PER_UNIT = 10_000_000L;

    private Codec() {}

    /** Horizon's seven-decimal amount string; stroops are never negative on the ledger. */
    static String amount(long stroops) {
        if (stroops < 0) {
            return "-" + amount(-stroops);
        }
        return String.format(Locale.ROOT, "%d.%07d", stroops / STROOPS_PER_UNIT, stroops % STROOPS_PER_UNIT);
    }

    static String accountId(AccountID id) {
        return StrKey.encodeEd25519PublicKey(id.getAccountID().getEd25519().getUint256());
    }

    /** The underlying G... account of a possibly multiplexed account: ledger entries belong to it. */
    static String accountId(MuxedAccount account) {
        switch (account.getDiscriminant()) {
            case KEY_TYPE_ED25519:
                return StrKey.encodeEd25519PublicKey(account.getEd25519().getUint256());
            case KEY_TYPE_MUXED_ED25519:
                return StrKey.encodeEd25519PublicKey(
                        account.getMed25519().getEd25519().getUint256());
            default:
                throw new IllegalArgumentException("not an account: " + account.getDiscriminant());
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** An XDR encoder call; the SDK's XdrElement interface is not public. */
    interface Encoding<T> {
        T encode() throws IOException;
    }

    static String base64(Encoding<String> encoding) {
        try {
            return encoding.encode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Encoding<byte[]> encoding) {
        try {
            return encoding.encode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** ISO-8601 UTC without fractions, as Horizon prints {@code created_at}; far-future times are clamped. */
    static String time(long epochSeconds) {
        Instant instant;
        try {
            instant = Instant.ofEpochSecond(Math.min(epochSeconds, Instant.MAX.getEpochSecond()));
        } catch (DateTimeException e) {
            instant = Instant.MAX;
        }
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }

    /** Trailing NULs pad asset codes in XDR. */
    static String assetCode(byte[] padded) {
        int n = padded.length;
        while (n > 0 && padded[n - 1] == 0) {
            n--;
        }
        return new String(padded, 0, n, StandardCharsets.US_ASCII);
    }
}
