package dev.holdfast.jakarta.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the {@code Holdfast-Signature} header of a webhook request, on the receiving side. Uses nothing but the JDK,
 * so a receiver can depend on this jar or copy this one file.
 *
 * <p>The header reads {@code t=<unix seconds>,v1=<hex>[,v1=<hex>...]}, where each {@code v1} is the lower-case hex
 * HMAC-SHA256 of {@code "<t>.<body>"} under one of the endpoint's secrets (during a secret rotation Holdfast sends one
 * entry per active secret). A request is genuine when any {@code v1} entry matches any of the receiver's secrets
 * (compared in constant time) and {@code t} is within the tolerance of the receiver's clock (default 5 minutes, in
 * either direction), which bounds replays. Unknown entries (a future {@code v2}) are ignored. Verify the raw body
 * bytes as received, before any JSON parsing; deduplicate by the {@code Holdfast-Event-Id} header, since delivery is
 * at least once.
 *
 * <pre>{@code
 * WebhookVerifier verifier = new WebhookVerifier(System.getenv("HOLDFAST_WEBHOOK_SECRET"));
 *
 * // in a JAX-RS resource
 * @POST
 * @Path("holdfast-events")
 * public Response receive(@HeaderParam("Holdfast-Signature") String signature, byte[] body) {
 *     if (!verifier.isValid(signature, body)) {
 *         return Response.status(400).build();
 *     }
 *     handle(new String(body, StandardCharsets.UTF_8));
 *     return Response.noContent().build();
 * }
 * }</pre>
 *
 * <p>While you rotate a secret, construct the verifier with both the old and the new secret. Immutable and
 * thread-safe.
 */
public final class WebhookVerifier {
    /** The default tolerance between the signature's timestamp and the receiver's clock. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final int MAC_BYTES = 32;
    private final List<byte[]> secrets;
    private final Duration tolerance;
    private final Clock clock;

    /** @param secret the endpoint's secret, as shown when it was created or rotated */
    public WebhookVerifier(String secret) {
        this(List.of(secret), DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /**
     * @param secrets every secret that may sign (the old and the new one during a rotation)
     * @param tolerance the largest accepted distance between the signature's timestamp and {@code clock}
     * @param clock the receiver's clock
     */
    public WebhookVerifier(Collection<String> secrets, Duration tolerance, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a verifier needs at least one secret");
        }
        List<byte[]> copy = new ArrayList<>();
        for (String s : secrets) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("a secret is not empty");
            }
            copy.add(s.getBytes(StandardCharsets.UTF_8));
        }
        this.secrets = List.copyOf(copy);
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param header the {@code Holdfast-Signature} header, possibly {@code null}
     * @param body the raw body bytes
     * @return true when the request is genuine and recent
     */
    public boolean isValid(String header, byte[] body) {
        try {
            verify(header, body);
            return true;
        } catch (SignatureException e) {
            return false;
        }
    }

    /**
     * @param header the {@code Holdfast-Signature} header
     * @param body the body, decoded as UTF-8
     * @return true when the request is genuine and recent
     */
    public boolean isValid(String header, String body) {
        return isValid(header, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param header the {@code Holdfast-Signature} header, possibly {@code null}
     * @param body the raw body bytes
     * @throws SignatureException saying why the request is refused: malformed header, stale or future timestamp, or
     *     no matching signature
     */
    public void verify(String header, byte[] body) throws SignatureException {
        if (header == null || header.isBlank()) {
            throw new SignatureException("no signature header");
        }
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            String item = part.trim();
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new SignatureException("malformed signature header");
            }
            String key = item.substring(0, eq);
            String value = item.substring(eq + 1);
            if (key.equals("t")) {
                if (timestamp != null || !value.matches("[0-9]{1,18}")) {
                    throw new SignatureException("malformed signature timestamp");
                }
                timestamp = value;
            } else if (key.equals("v1")) {
                signatures.add(hex(value));
            }
        }
        if (timestamp == null) {
            throw new SignatureException("no signature timestamp");
        }
        if (signatures.isEmpty()) {
            throw new SignatureException("no v1 signature");
        }
        long age = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
        if (age > tolerance.toSeconds()) {
            throw new SignatureException("signature timestamp is outside the tolerance");
        }
        boolean match = false;
        for (byte[] secret : secrets) {
            byte[] expected = mac(secret, timestamp, body);
            for (byte[] candidate : signatures) {
                // no early exit: the time taken does not depend on which entry matched
                match |= MessageDigest.isEqual(expected, candidate);
            }
        }
        if (!match) {
            throw new SignatureException("no signature matches");
        }
    }

    private static byte[] hex(String value) throws SignatureException {
        if (value.length() != MAC_BYTES * 2) {
            throw new SignatureException("malformed v1 signature");
        }
        byte[] out = new byte[MAC_BYTES];
        for (int i = 0; i < MAC_BYTES; i++) {
            int hi = Character.digit(value.charAt(2 * i), 16);
            int lo = Character.digit(value.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new SignatureException("malformed v1 signature");
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static byte[] mac(byte[] secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "WebhookVerifier[secrets=" + secrets.size() + ", tolerance=" + tolerance + "]";
    }
}
