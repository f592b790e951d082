package dev.holdfast.spi;

import java.time.Instant;

/**
 * One entry of the hash-chained audit log. Immutable and thread-safe.
 *
 * @param sequence 1, 2, 3, … without gaps
 * @param at when
 * @param subject escrow id or party id
 * @param type the event type
 * @param payload canonical JSON of the event
 * @param previousHash hash of the entry before, or 64 zeros for the first
 * @param hash hex SHA-256 over sequence, at, subject, type, payload and previous hash
 * @since 0.1
 */
public record AuditEntry(
        long sequence, Instant at, String subject, String type, String payload, String previousHash, String hash) {}
