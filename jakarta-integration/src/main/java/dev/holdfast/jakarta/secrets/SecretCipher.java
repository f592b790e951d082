package dev.holdfast.jakarta.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM.
 *
 * <p>A sealed value reads {@code <keyId>:<base64url(nonce || ciphertext || tag)>}: a fresh random 96-bit nonce per
 * encryption, a 128-bit tag, and the key id in front so that keys can rotate: new values are sealed with the current
 * key, values sealed with any configured older key still open. The key id and a caller-chosen context (such as the
 * webhook endpoint id) are authenticated as associated data, so a sealed value copied to another row or relabelled
 * with another key id does not open.
 *
 * <p>Configuration ({@link #fromConfig}): {@code holdfast.secrets.keys} lists {@code id:base64key} pairs separated
 * by commas, each key 32 bytes in standard or url-safe base64; {@code holdfast.secrets.current-key} names the key
 * that seals (default: the first listed). Generate a key with {@code openssl rand -base64 32}.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the key ids only.
 */
public final class SecretCipher {
    /** Configuration key: the keys, {@code id:base64,id2:base64}. */
    public static final String KEYS = "holdfast.secrets.keys";
    /** Configuration key: the id of the key new values are sealed with. */
    public static final String CURRENT_KEY = "holdfast.secrets.current-key";

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKey> keys;
    private final String currentKeyId;

    /**
     * @param keys key id to 32-byte AES key, at least one
     * @param currentKeyId the key that seals new values; one of {@code keys}
     */
    public SecretCipher(Map<String, byte[]> keys, String currentKeyId) {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a secret cipher needs at least one key");
        }
        Map<String, SecretKey> copy = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("a key id is 1 to 32 letters, digits, '_', '.' or '-': " + id);
            }
            if (key == null || key.length != 32) {
                throw new IllegalArgumentException("key " + id + " is not 32 bytes (AES-256)");
            }
            copy.put(id, new SecretKeySpec(key.clone(), "AES"));
        });
        if (!copy.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("the current key " + currentKeyId + " is not among the keys");
        }
        this.keys = Map.copyOf(copy);
        this.currentKeyId = currentKeyId;
    }

    /**
     * @param config looks up a configuration value, such as MicroProfile Config's {@code getOptionalValue}
     * @return the cipher described by {@link #KEYS} and {@link #CURRENT_KEY}
     * @throws IllegalArgumentException when no keys are configured or a key is malformed
     */
    public static SecretCipher fromConfig(Function<String, Optional<String>> config) {
        String spec = config.apply(KEYS)
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(KEYS + " is not configured"));
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                // never echo the entry: it holds key material
                throw new IllegalArgumentException(KEYS + " entries read id:base64key");
            }
            String id = trimmed.substring(0, colon);
            String material = trimmed.substring(colon + 1);
            try {
                keys.put(id, decodeKey(material));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key " + id + " is not valid base64");
            }
        }
        String current = config.apply(CURRENT_KEY)
                .filter(s -> !s.isBlank())
                .orElse(keys.keySet().iterator().next());
        return new SecretCipher(keys, current);
    }

    private static byte[] decodeKey(String material) {
        return material.contains("-") || material.contains("_")
                ? Base64.getUrlDecoder().decode(material)
                : Base64.getDecoder().decode(material);
    }

    /**
     * @param secret the secret
     * @param context what the secret belongs to (a row id); the same context must be given to {@link #open}
     * @return the sealed value, safe to store
     */
    public String seal(Secret secret, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(currentKeyId, context));
            byte[] sealed = cipher.doFinal(secret.bytes());
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return currentKeyId + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * @param sealed a value {@link #seal} returned, under any configured key
     * @param context the context it was sealed with
     * @return the secret
     * @throws IllegalArgumentException when the value was tampered with, belongs to another context, or its key is
     *     not configured
     */
    public Secret open(String sealed, String context) {
        int colon = sealed == null ? -1 : sealed.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        String keyId = sealed.substring(0, colon);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new IllegalArgumentException("sealed with key " + keyId + ", which is not configured");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(sealed.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8 + 1) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(aad(keyId, context));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return Secret.of(new String(plain, StandardCharsets.UTF_8));
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("sealed secret failed authentication (tampered or wrong context)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * @param sealed a sealed value
     * @return true when it was sealed with a key other than the current one and should be re-sealed
     */
    public boolean needsRotation(String sealed) {
        return !sealed.startsWith(currentKeyId + ":");
    }

    /** @return the id of the key that seals new values */
    public String currentKeyId() {
        return currentKeyId;
    }

    private static byte[] aad(String keyId, String context) {
        return ("holdfast-secret/v1\n" + keyId + "\n" + Objects.requireNonNull(context, "context"))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SecretCipher[current=" + currentKeyId + ", keys=" + keys.keySet() + "]";
    }
}
