package dev.holdfast.api;

/**
 * The result of checking the audit log's hash chain. Immutable and thread-safe.
 *
 * @param intact true when every entry's hash covers its content and the previous entry's hash, with no gap
 * @param entriesChecked how many entries were read
 * @param firstBrokenSequence sequence number of the first entry that does not verify, or -1
 * @param problem what is wrong, empty when intact
 * @since 0.1
 */
public record AuditVerification(boolean intact, long entriesChecked, long firstBrokenSequence, String problem) {}
