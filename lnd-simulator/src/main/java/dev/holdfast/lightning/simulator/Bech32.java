package dev.holdfast.lightning.simulator;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32 (BIP-173, not bech32m) as BOLT11 uses it, without BIP-173's 90-character limit, which payment requests
 * exceed. Stateless and thread-safe.
 */
final class Bech32 {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    /** Human-readable part plus the data part as 5-bit groups, checksum removed. */
    record Decoded(String hrp, byte[] data) {}

    private Bech32() {}

    static String encode(String hrp, byte[] fiveBitData) {
        byte[] checksum = checksum(hrp, fiveBitData);
        StringBuilder sb = new StringBuilder(hrp.length() + 1 + fiveBitData.length + 6);
        sb.append(hrp).append('1');
        for (byte b : fiveBitData) {
            sb.append(CHARSET.charAt(b));
        }
        for (byte b : checksum) {
            sb.append(CHARSET.charAt(b));
        }
        return sb.toString();
    }

    static Decoded decode(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.equals(text) && !text.toUpperCase(Locale.ROOT).equals(text)) {
            throw new IllegalArgumentException("mixed case");
        }
        int sep = lower.lastIndexOf('1');
        if (sep < 1 || sep + 7 > lower.length()) {
            throw new IllegalArgumentException("invalid index of 1");
        }
        String hrp = lower.substring(0, sep);
        byte[] values = new byte[lower.length() - sep - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(lower.charAt(sep + 1 + i));
            if (v < 0) {
                throw new IllegalArgumentException("invalid character " + lower.charAt(sep + 1 + i));
            }
            values[i] = (byte) v;
        }
        if (polymod(hrpExpand(hrp), values) != 1) {
            throw new IllegalArgumentException("checksum failed");
        }
        byte[] data = new byte[values.length - 6];
        System.arraycopy(values, 0, data, 0, data.length);
        return new Decoded(hrp, data);
    }

    /** Regroups bits, e.g. bytes to 5-bit groups; {@code pad} as BIP-173 defines it. */
    static byte[] convertBits(byte[] in, int fromBits, int toBits, boolean pad) {
        int acc = 0;
        int bits = 0;
        int maxv = (1 << toBits) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * fromBits / toBits + 1);
        for (byte b : in) {
            int value = b & 0xff;
            if ((value >>> fromBits) != 0) {
                throw new IllegalArgumentException("value out of range");
            }
            acc = (acc << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits) {
                bits -= toBits;
                out.write((acc >>> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (toBits - bits)) & maxv);
            }
        } else if (bits >= fromBits || ((acc << (toBits - bits)) & maxv) != 0) {
            throw new IllegalArgumentException("invalid padding");
        }
        return out.toByteArray();
    }

    private static byte[] checksum(String hrp, byte[] data) {
        byte[] hrpExpanded = hrpExpand(hrp);
        byte[] values = new byte[data.length + 6];
        System.arraycopy(data, 0, values, 0, data.length);
        int mod = polymod(hrpExpanded, values) ^ 1;
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
        }
        return out;
    }

    private static byte[] hrpExpand(String hrp) {
        int n = hrp.length();
        byte[] out = new byte[n * 2 + 1];
        for (int i = 0; i < n; i++) {
            char c = hrp.charAt(i);
            out[i] = (byte) (c >>> 5);
            out[n + 1 + i] = (byte) (c & 31);
        }
        return out;
    }

    private static int polymod(byte[] hrpExpanded, byte[] values) {
        int chk = 1;
        for (byte[] part : new byte[][] {hrpExpanded, values}) {
            for (byte v : part) {
                int top = chk >>> 25;
                chk = ((chk & 0x1ffffff) << 5) ^ (v & 0xff);
                for (int i = 0; i < 5; i++) {
                    if (((top >>> i) & 1) != 0) {
                        chk ^= GENERATOR[i];
                    }
                }
            }
        }
        return chk;
    }
}
