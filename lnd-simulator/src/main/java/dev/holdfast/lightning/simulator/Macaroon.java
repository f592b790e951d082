package dev.holdfast.lightning.simulator;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A macaroon in the v2 binary format of {@code gopkg.in/macaroon.v2}, which LND writes to {@code admin.macaroon}:
 * HMAC-SHA256 chained over the identifier and each first-party caveat. Immutable and thread-safe.
 *
 * @param location the location field (LND writes "lnd")
 * @param identifier the identifier; LND's is version byte 3 followed by a {@code MacaroonId} protobuf
 * @param caveats first-party caveat conditions, e.g. {@code time-before 2030-01-01T00:00:00Z}
 * @param signature the 32-byte chained HMAC
 */
record Macaroon(String location, byte[] identifier, List<String> caveats, byte[] signature) {
    private static final byte[] KEY_GENERATOR = "macaroons-key-generator".getBytes(StandardCharsets.US_ASCII);
    private static final int FIELD_EOS = 0;
    private static final int FIELD_LOCATION = 1;
    private static final int FIELD_IDENTIFIER = 2;
    private static final int FIELD_SIGNATURE = 6;

    Macaroon {
        caveats = List.copyOf(caveats);
    }

    /** Mints a macaroon the way LND's bakery does for the admin macaroon, granting every listed entity/action. */
    static Macaroon mint(byte[] rootKey, byte[] nonce, List<String[]> permissions) {
        byte[] id = lndIdentifier(nonce, permissions);
        return new Macaroon("lnd", id, List.of(), hmac(derivedKey(rootKey), id));
    }

    Macaroon withFirstPartyCaveat(String condition) {
        List<String> more = new ArrayList<>(caveats);
        more.add(condition);
        return new Macaroon(location, identifier, more, hmac(signature, condition.getBytes(StandardCharsets.UTF_8)));
    }

    /** True when the signature chain matches {@code rootKey}; caveat conditions are the caller's to check. */
    boolean signatureValid(byte[] rootKey) {
        byte[] sig = hmac(derivedKey(rootKey), identifier);
        for (String caveat : caveats) {
            sig = hmac(sig, caveat.getBytes(StandardCharsets.UTF_8));
        }
        return MessageDigest.isEqual(sig, signature);
    }

    byte[] toBinary() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(2);
        writeField(out, FIELD_LOCATION, location.getBytes(StandardCharsets.UTF_8));
        writeField(out, FIELD_IDENTIFIER, identifier);
        out.write(FIELD_EOS);
        for (String caveat : caveats) {
            writeField(out, FIELD_IDENTIFIER, caveat.getBytes(StandardCharsets.UTF_8));
            out.write(FIELD_EOS);
        }
        out.write(FIELD_EOS);
        writeField(out, FIELD_SIGNATURE, signature);
        return out.toByteArray();
    }

    static Macaroon fromBinary(byte[] data) {
        Reader in = new Reader(data);
        if (in.next() != 2) {
            throw new IllegalArgumentException("unsupported macaroon version");
        }
        String location = "";
        int type = in.next();
        if (type == FIELD_LOCATION) {
            location = new String(in.field(), StandardCharsets.UTF_8);
            type = in.next();
        }
        if (type != FIELD_IDENTIFIER) {
            throw new IllegalArgumentException("missing macaroon identifier");
        }
        byte[] id = in.field();
        in.expect(FIELD_EOS);
        List<String> caveats = new ArrayList<>();
        while ((type = in.next()) != FIELD_EOS) {
            if (type == FIELD_LOCATION) {
                throw new IllegalArgumentException("third-party caveats are not supported");
            }
            if (type != FIELD_IDENTIFIER) {
                throw new IllegalArgumentException("unexpected caveat field " + type);
            }
            caveats.add(new String(in.field(), StandardCharsets.UTF_8));
            in.expect(FIELD_EOS);
        }
        in.expect(FIELD_SIGNATURE);
        byte[] sig = in.field();
        if (sig.length != 32 || in.remaining() != 0) {
            throw new IllegalArgumentException("bad macaroon signature field");
        }
        return new Macaroon(location, id, caveats, sig);
    }

    private static byte[] lndIdentifier(byte[] nonce, List<String[]> permissions) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            buf.write(3);
            CodedOutputStream out = CodedOutputStream.newInstance(buf);
            out.writeBytes(1, ByteString.copyFrom(nonce));
            out.writeBytes(2, ByteString.copyFromUtf8("0"));
            for (String[] op : permissions) {
                ByteArrayOutputStream opBuf = new ByteArrayOutputStream();
                CodedOutputStream opOut = CodedOutputStream.newInstance(opBuf);
                opOut.writeString(1, op[0]);
                for (int i = 1; i < op.length; i++) {
                    opOut.writeString(2, op[i]);
                }
                opOut.flush();
                out.writeBytes(3, ByteString.copyFrom(opBuf.toByteArray()));
            }
            out.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] derivedKey(byte[] rootKey) {
        return hmac(KEY_GENERATOR, rootKey);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeField(ByteArrayOutputStream out, int type, byte[] data) {
        out.write(type);
        long len = data.length;
        while (len >= 0x80) {
            out.write((int) (len & 0x7f) | 0x80);
            len >>>= 7;
        }
        out.write((int) len);
        out.writeBytes(data);
    }

    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        int next() {
            if (pos >= data.length) {
                throw new IllegalArgumentException("truncated macaroon");
            }
            return data[pos++] & 0xff;
        }

        void expect(int type) {
            if (next() != type) {
                throw new IllegalArgumentException("malformed macaroon");
            }
        }

        byte[] field() {
            long len = 0;
            int shift = 0;
            int b;
            do {
                b = next();
                len |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0 && shift < 35);
            if (len > data.length - pos) {
                throw new IllegalArgumentException("truncated macaroon");
            }
            byte[] out = new byte[(int) len];
            System.arraycopy(data, pos, out, 0, out.length);
            pos += out.length;
            return out;
        }

        int remaining() {
            return data.length - pos;
        }
    }
}
