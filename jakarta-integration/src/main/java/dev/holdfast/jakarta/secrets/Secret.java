package dev.holdfast.jakarta.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A secret value that does not print itself: {@link #toString()} is redacted, so a secret that ends up in a log line,
 * an exception message or a debugger's variable view shows nothing. Deliberately not a record (a record's
 * {@code toString} would print the value). Immutable and thread-safe.
 */
public final class Secret {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a secret is not blank");
        }
    }

    /**
     * @param value the secret's value
     * @return the secret
     */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /**
     * @param prefix a readable prefix that tells what the secret is for, such as {@code whsec_}
     * @return a new secret of 32 random bytes, base64url without padding, after the prefix
     */
    public static Secret generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new Secret(prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** @return the value; call only where it is used (signing) or shown once (creation) */
    public String reveal() {
        return value;
    }

    /** @return the value's UTF-8 bytes */
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        // constant time, so equality checks do not leak a prefix through timing
        return o instanceof Secret s && MessageDigest.isEqual(bytes(), s.bytes());
    }

    @Override
    public int hashCode() {
        return 0; // a hash of the value would leak bits of it; secrets are not map keys
    }

    @Override
    public String toString() {
        return "Secret[***]";
    }
}
