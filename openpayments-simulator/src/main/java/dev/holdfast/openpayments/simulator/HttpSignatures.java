package dev.holdfast.openpayments.simulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 9421 message signatures and RFC 9530 content digests as Open Payments profiles them: label {@code sig1},
 * Ed25519, components {@code "@method" "@target-uri"}, {@code "authorization"} when present, and {@code
 * "content-digest" "content-length" "content-type"} with a body; parameters {@code keyid} and {@code created}.
 *
 * <p>The simulator verifies with it; its tests sign with it. Stateless and thread-safe.
 */
public final class HttpSignatures {
    // An Ed25519 SubjectPublicKeyInfo is this fixed prefix followed by the 32 raw key bytes (RFC 8410).
    private static final byte[] ED25519_SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };
    private static final Pattern INPUT = Pattern.compile("^sig1=\\(([^)]*)\\)((?:;[a-z]+=(?:\"[^\"]*\"|[0-9]+))*)$");
    private static final Pattern PARAM = Pattern.compile(";([a-z]+)=(\"[^\"]*\"|[0-9]+)");
    private static final Pattern SIGNATURE = Pattern.compile("^sig1=:([A-Za-z0-9+/=]+):$");
    private static final Pattern DIGEST = Pattern.compile("(?:^|,\\s*)sha-512=:([A-Za-z0-9+/=]+):");

    private HttpSignatures() {}

    /**
     * Why a request's signature was refused.
     *
     * @since 0.1
     */
    public static final class InvalidSignature extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSignature(String message) {
            super(message);
        }
    }

    /**
     * What a valid signature says.
     *
     * @param keyId the {@code keyid} parameter
     * @param created the {@code created} parameter, epoch seconds
     */
    public record Verified(String keyId, long created) {}

    /**
     * @param body the exact bytes
     * @return {@code sha-512=:<base64>:}
     */
    public static String contentDigest(byte[] body) {
        return "sha-512=:" + Base64.getEncoder().encodeToString(sha512(body)) + ":";
    }

    /**
     * Signs a request.
     *
     * @param key the Ed25519 private key
     * @param keyId its id in the client's JWKS
     * @param created epoch seconds
     * @param method the HTTP method
     * @param targetUri the full request URI
     * @param headers lower-case header names to values; must hold the content headers when there is a body
     * @return the {@code Signature-Input} and {@code Signature} headers to add
     */
    public static Map<String, String> sign(
            PrivateKey key, String keyId, long created, String method, String targetUri, Map<String, String> headers) {
        List<String> components = new ArrayList<>(List.of("@method", "@target-uri"));
        if (headers.containsKey("authorization")) {
            components.add("authorization");
        }
        if (headers.containsKey("content-digest")) {
            components.addAll(List.of("content-digest", "content-length", "content-type"));
        }
        StringBuilder inner = new StringBuilder("(");
        for (int i = 0; i < components.size(); i++) {
            inner.append(i == 0 ? "" : " ")
                    .append('"')
                    .append(components.get(i))
                    .append('"');
        }
        inner.append(");keyid=\"").append(keyId).append("\";created=").append(created);
        String base = base(components, method, targetUri, headers::get, inner.toString());
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(base.getBytes(StandardCharsets.UTF_8));
            Map<String, String> out = new LinkedHashMap<>();
            out.put("signature-input", "sig1=" + inner);
            out.put("signature", "sig1=:" + Base64.getEncoder().encodeToString(signer.sign()) + ":");
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * Verifies a request's signature and, when it has a body, its content digest and length.
     *
     * @param method the HTTP method
     * @param targetUri the full request URI as the server sees it
     * @param header a lower-case header name to its value, or null when absent
     * @param body the body bytes (empty for none)
     * @param keyLookup a key id to the client's public key, or null when the client has no such key
     * @return the key id and creation time
     * @throws InvalidSignature when anything does not check out
     */
    public static Verified verify(
            String method,
            String targetUri,
            Function<String, String> header,
            byte[] body,
            Function<String, PublicKey> keyLookup)
            throws InvalidSignature {
        String input = header.apply("signature-input");
        String signature = header.apply("signature");
        if (input == null || signature == null) {
            throw new InvalidSignature("missing Signature or Signature-Input");
        }
        Matcher in = INPUT.matcher(input.trim());
        Matcher sig = SIGNATURE.matcher(signature.trim());
        if (!in.matches() || !sig.matches()) {
            throw new InvalidSignature("malformed sig1 Signature or Signature-Input");
        }
        List<String> components = new ArrayList<>();
        for (String item : in.group(1).trim().split(" +")) {
            if (!item.matches("\"[@a-z0-9-]+\"")) {
                throw new InvalidSignature("malformed component " + item);
            }
            components.add(item.substring(1, item.length() - 1));
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher p = PARAM.matcher(in.group(2));
        while (p.find()) {
            params.put(p.group(1), p.group(2).replace("\"", ""));
        }
        String keyId = params.get("keyid");
        String created = params.get("created");
        if (keyId == null || created == null) {
            throw new InvalidSignature("keyid and created are required");
        }
        require(components, "@method");
        require(components, "@target-uri");
        if (header.apply("authorization") != null) {
            require(components, "authorization");
        }
        if (body.length > 0) {
            require(components, "content-digest");
            require(components, "content-length");
            require(components, "content-type");
            String digest = header.apply("content-digest");
            Matcher d = digest == null ? null : DIGEST.matcher(digest);
            if (d == null || !d.find()) {
                throw new InvalidSignature("Content-Digest with sha-512 is required");
            }
            if (!MessageDigest.isEqual(Base64.getDecoder().decode(d.group(1)), sha512(body))) {
                throw new InvalidSignature("Content-Digest does not match the body");
            }
            if (!String.valueOf(body.length).equals(header.apply("content-length"))) {
                throw new InvalidSignature("Content-Length does not match the body");
            }
        }
        for (String c : components) {
            if (!c.startsWith("@") && header.apply(c) == null) {
                throw new InvalidSignature("covered header " + c + " is missing");
            }
        }
        PublicKey key = keyLookup.apply(keyId);
        if (key == null) {
            throw new InvalidSignature("unknown key " + keyId);
        }
        String base = base(components, method, targetUri, header, input.trim().substring("sig1=".length()));
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(base.getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(sig.group(1)))) {
                throw new InvalidSignature("signature does not verify");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidSignature("signature does not verify: " + e.getMessage());
        }
        return new Verified(keyId, Long.parseLong(created));
    }

    /**
     * @param x the JWK {@code x}: base64url of the 32 raw key bytes
     * @return the Ed25519 public key
     * @throws IllegalArgumentException when it is not one
     */
    public static PublicKey publicKeyFromJwkX(String x) {
        byte[] raw = Base64.getUrlDecoder().decode(x);
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 key has 32 bytes, not " + raw.length);
        }
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key", e);
        }
    }

    /**
     * @param key an Ed25519 public key
     * @return the JWK {@code x}
     */
    public static String jwkX(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }

    private static String base(
            List<String> components,
            String method,
            String targetUri,
            Function<String, String> header,
            String signatureParams) {
        StringBuilder base = new StringBuilder();
        for (String c : components) {
            String value =
                    switch (c) {
                        case "@method" -> method.toUpperCase(java.util.Locale.ROOT);
                        case "@target-uri" -> targetUri;
                        default -> {
                            String v = header.apply(c);
                            yield v == null ? "" : v.trim();
                        }
                    };
            base.append('"').append(c).append("\": ").append(value).append('\n');
        }
        return base.append("\"@signature-params\": ").append(signatureParams).toString();
    }

    private static void require(List<String> components, String name) throws InvalidSignature {
        if (!components.contains(name)) {
            throw new InvalidSignature("the signature must cover " + name);
        }
    }

    private static byte[] sha512(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
