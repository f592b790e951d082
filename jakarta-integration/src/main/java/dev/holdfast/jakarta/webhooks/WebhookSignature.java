package dev.holdfast.jakarta.webhooks;

import dev.holdfast.jakarta.secrets.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies: {@code Holdfast-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>},
 * with one {@code v1} entry per active secret (two during a rotation's grace period). Stateless and thread-safe.
 */
public final class WebhookSignature {
    /** The request header carrying the signature. */
    public static final String HEADER = "Holdfast-Signature";

    private WebhookSignature() {}

    /**
     * @param timestamp unix seconds of the attempt
     * @param body the exact body sent
     * @param secrets the active secrets, current first
     * @return the header value
     */
    public static String header(long timestamp, String body, List<Secret> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("nothing to sign with");
        }
        StringBuilder out = new StringBuilder("t=").append(timestamp);
        for (Secret s : secrets) {
            out.append(",v1=").append(v1(timestamp, body, s));
        }
        return out.toString();
    }

    /**
     * @param timestamp unix seconds
     * @param body the body
     * @param secret the secret
     * @return lower-case hex of HMAC-SHA256(secret, "&lt;timestamp&gt;.&lt;body&gt;")
     */
    public static String v1(long timestamp, String body, Secret secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.bytes(), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
