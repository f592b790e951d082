package dev.holdfast.jakarta.rest;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.jakarta.security.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Turns the {@value #HEADER} header of a POST into the engine's {@link IdempotencyKey}, namespaced by caller.
 *
 * <p><b>Why a namespace.</b> The engine keeps one idempotency table for the whole platform. Used as is, a key chosen
 * by one client would be visible to every other: a second caller who happens to send the same key would either be
 * handed the first caller's stored result (an escrow that is not theirs) or be refused with a conflict for a request
 * they never made. Prefixing the key with the caller makes keys private to their caller. The caller is hashed
 * (SHA-256, first 128 bits) because a party id may be 200 characters long and the engine's key is at most 200;
 * 128 bits make an accidental collision between two callers negligible. Operators who are no party share one
 * namespace: they all act as the platform.
 *
 * <p>The client's key: 1 to {@value #MAX_LENGTH} characters from {@code A-Z a-z 0-9 . _ : @ $ / + -} (a UUID fits).
 * Thread-safe.
 */
public final class IdempotencyKeys {
    /** The request header. */
    public static final String HEADER = "Idempotency-Key";
    /** The longest key a client may send. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:@$/+-]{1," + MAX_LENGTH + "}");

    private IdempotencyKeys() {}

    /**
     * @param header the header's value, may be {@code null}
     * @param caller who sends it
     * @param operation the method and path, for the refusal's message
     * @return the engine key
     * @throws EscrowException {@link ErrorCode#IDEMPOTENCY_KEY_MISSING} or {@link ErrorCode#IDEMPOTENCY_KEY_INVALID}
     */
    public static IdempotencyKey of(String header, Caller caller, String operation) {
        if (header == null || header.isBlank()) {
            throw new EscrowException(ErrorCode.IDEMPOTENCY_KEY_MISSING, operation);
        }
        if (!KEY.matcher(header).matches()) {
            throw new EscrowException(ErrorCode.IDEMPOTENCY_KEY_INVALID, MAX_LENGTH);
        }
        return IdempotencyKey.of("rest:" + namespace(caller) + ":" + header);
    }

    static String namespace(Caller caller) {
        String who = caller.party() != null ? "party:" + caller.party().value() : "operator";
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(who.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
