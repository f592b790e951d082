package dev.holdfast.lightning.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * BOLT11 payment requests: encodes what LND's {@code zpay32} writes (p, s, d or h, x, c and the 9 feature field) and
 * decodes any well-formed request, recovering the payee from the signature. Stateless and thread-safe.
 */
final class Bolt11 {
    /** Default expiry when a request has no {@code x} field (BOLT11). */
    static final long DEFAULT_EXPIRY_SECONDS = 3600;
    /** Default final CLTV delta when a request has no {@code c} field (BOLT11). */
    static final long DEFAULT_MIN_FINAL_CLTV = 18;

    private static final long MSAT_PER_BTC = 100_000_000_000L;
    // Features LND 0.16 sets on invoices: var_onion_optin (9, optional), payment_addr (14, required),
    // basic_mpp (17, optional).
    private static final int[] FEATURE_BITS = {9, 14, 17};

    /** A decoded payment request. Amount 0 means "any amount". */
    record Invoice(
            String network,
            long amountMsat,
            long timestamp,
            byte[] paymentHash,
            byte[] paymentSecret,
            String description,
            byte[] descriptionHash,
            long expirySeconds,
            long minFinalCltvExpiry,
            byte[] payee) {}

    private Bolt11() {}

    static String encode(
            String network,
            long amountMsat,
            long timestamp,
            byte[] paymentHash,
            byte[] paymentSecret,
            String description,
            byte[] descriptionHash,
            long expirySeconds,
            long minFinalCltvExpiry,
            Secp256k1 key) {
        String hrp = "ln" + network + encodeAmount(amountMsat);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        writeInt(data, timestamp, 7);
        tag(data, 1, Bech32.convertBits(paymentHash, 8, 5, true));
        tag(data, 16, Bech32.convertBits(paymentSecret, 8, 5, true));
        if (descriptionHash != null && descriptionHash.length > 0) {
            tag(data, 23, Bech32.convertBits(descriptionHash, 8, 5, true));
        } else {
            tag(data, 13, Bech32.convertBits(description.getBytes(StandardCharsets.UTF_8), 8, 5, true));
        }
        tag(data, 6, intGroups(expirySeconds));
        tag(data, 24, intGroups(minFinalCltvExpiry));
        tag(data, 5, featureGroups());
        byte[] unsigned = data.toByteArray();
        byte[] signature = key.signRecoverable(sigHash(hrp, unsigned));
        data.writeBytes(Bech32.convertBits(signature, 8, 5, true));
        return Bech32.encode(hrp, data.toByteArray());
    }

    static Invoice decode(String paymentRequest) {
        Bech32.Decoded decoded = Bech32.decode(paymentRequest.trim());
        String hrp = decoded.hrp();
        if (!hrp.startsWith("ln")) {
            throw new IllegalArgumentException("prefix should be \"ln\"");
        }
        int amountStart = 2;
        while (amountStart < hrp.length() && Character.isLetter(hrp.charAt(amountStart))) {
            amountStart++;
        }
        String network = hrp.substring(2, amountStart);
        long amountMsat = decodeAmount(hrp.substring(amountStart));
        byte[] data = decoded.data();
        if (data.length < 7 + 104) {
            throw new IllegalArgumentException("invoice too short");
        }
        byte[] body = Arrays.copyOfRange(data, 0, data.length - 104);
        byte[] signature = Bech32.convertBits(Arrays.copyOfRange(data, data.length - 104, data.length), 5, 8, true);
        signature = Arrays.copyOf(signature, 65);
        long timestamp = readInt(body, 0, 7);
        byte[] paymentHash = null;
        byte[] paymentSecret = null;
        byte[] descriptionHash = null;
        byte[] payee = null;
        String description = "";
        long expiry = DEFAULT_EXPIRY_SECONDS;
        long cltv = DEFAULT_MIN_FINAL_CLTV;
        int pos = 7;
        while (pos + 3 <= body.length) {
            int type = body[pos];
            int len = (int) readInt(body, pos + 1, 2);
            int start = pos + 3;
            if (start + len > body.length) {
                throw new IllegalArgumentException("tagged field overruns data");
            }
            byte[] field = Arrays.copyOfRange(body, start, start + len);
            // Readers must skip fields of unexpected length (BOLT11), so only well-sized ones are taken.
            switch (type) {
                case 1 -> paymentHash = len == 52 ? bytes(field, 32) : paymentHash;
                case 16 -> paymentSecret = len == 52 ? bytes(field, 32) : paymentSecret;
                case 23 -> descriptionHash = len == 52 ? bytes(field, 32) : descriptionHash;
                case 19 -> payee = len == 53 ? bytes(field, 33) : payee;
                case 13 -> description = new String(Bech32.convertBits(field, 5, 8, false), StandardCharsets.UTF_8);
                case 6 -> expiry = readInt(field, 0, len);
                case 24 -> cltv = readInt(field, 0, len);
                default -> {
                    // unknown or unused field
                }
            }
            pos = start + len;
        }
        if (paymentHash == null) {
            throw new IllegalArgumentException("invoice missing payment hash");
        }
        byte[] recovered = Secp256k1.recoverPublicKey(signature, sigHash(hrp, body));
        if (recovered == null || (payee != null && !Arrays.equals(payee, recovered))) {
            throw new IllegalArgumentException("invalid invoice signature");
        }
        return new Invoice(
                network,
                amountMsat,
                timestamp,
                paymentHash,
                paymentSecret,
                description,
                descriptionHash,
                expiry,
                cltv,
                recovered);
    }

    private static byte[] sigHash(String hrp, byte[] fiveBitBody) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(hrp.getBytes(StandardCharsets.UTF_8));
            sha.update(Bech32.convertBits(fiveBitBody, 5, 8, true));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // Shortest exact multiplier, as zpay32 picks it; "p" needs a multiple of 10 pico-BTC, i.e. whole msat.
    private static String encodeAmount(long msat) {
        if (msat == 0) {
            return "";
        }
        if (msat % MSAT_PER_BTC == 0) {
            return Long.toString(msat / MSAT_PER_BTC);
        }
        if (msat % 100_000_000L == 0) {
            return (msat / 100_000_000L) + "m";
        }
        if (msat % 100_000L == 0) {
            return (msat / 100_000L) + "u";
        }
        if (msat % 100L == 0) {
            return (msat / 100L) + "n";
        }
        return Math.multiplyExact(msat, 10L) + "p";
    }

    private static long decodeAmount(String amount) {
        if (amount.isEmpty()) {
            return 0;
        }
        char last = amount.charAt(amount.length() - 1);
        if (Character.isDigit(last)) {
            return Math.multiplyExact(Long.parseLong(amount), MSAT_PER_BTC);
        }
        long value = Long.parseLong(amount.substring(0, amount.length() - 1));
        return switch (last) {
            case 'm' -> Math.multiplyExact(value, 100_000_000L);
            case 'u' -> Math.multiplyExact(value, 100_000L);
            case 'n' -> Math.multiplyExact(value, 100L);
            case 'p' -> {
                if (value % 10 != 0) {
                    throw new IllegalArgumentException("amount is not a whole number of millisatoshis");
                }
                yield value / 10;
            }
            default -> throw new IllegalArgumentException("unknown multiplier " + last);
        };
    }

    private static void tag(ByteArrayOutputStream out, int type, byte[] groups) {
        out.write(type);
        writeInt(out, groups.length, 2);
        out.writeBytes(groups);
    }

    private static void writeInt(ByteArrayOutputStream out, long value, int groups) {
        for (int i = groups - 1; i >= 0; i--) {
            out.write((int) ((value >>> (5 * i)) & 31));
        }
    }

    private static byte[] intGroups(long value) {
        int groups = 1;
        while (groups < 13 && (value >>> (5 * groups)) != 0) {
            groups++;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, value, groups);
        return out.toByteArray();
    }

    private static long readInt(byte[] groups, int from, int count) {
        long v = 0;
        for (int i = 0; i < count; i++) {
            v = (v << 5) | (groups[from + i] & 31);
        }
        return v;
    }

    private static byte[] featureGroups() {
        int highest = FEATURE_BITS[FEATURE_BITS.length - 1];
        byte[] groups = new byte[highest / 5 + 1];
        for (int bit : FEATURE_BITS) {
            groups[groups.length - 1 - bit / 5] |= (byte) (1 << (bit % 5));
        }
        return groups;
    }

    private static byte[] bytes(byte[] fiveBit, int length) {
        return Arrays.copyOf(Bech32.convertBits(fiveBit, 5, 8, true), length);
    }
}
