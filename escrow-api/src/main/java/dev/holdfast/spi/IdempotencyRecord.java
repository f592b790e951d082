package dev.holdfast.spi;

import dev.holdfast.api.IdempotencyKey;
import java.time.Instant;

/**
 * What a host request with an idempotency key produced. Immutable and thread-safe.
 *
 * @param key the key
 * @param requestHash SHA-256 of the request's canonical encoding, hex
 * @param completed false while the request is in progress
 * @param resultSubject the escrow id (or withdrawal transfer id) the result refers to, or {@code null} while in progress
 * @param resultVersion the escrow's version right after the request, or 0
 * @param createdAt when the key was first seen
 * @param lockedUntil an in-progress record older than this may be taken over (its request died)
 * @since 0.1
 */
public record IdempotencyRecord(
        IdempotencyKey key,
        String requestHash,
        boolean completed,
        String resultSubject,
        long resultVersion,
        Instant createdAt,
        Instant lockedUntil) {}
