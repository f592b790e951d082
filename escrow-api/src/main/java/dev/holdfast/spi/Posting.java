package dev.holdfast.spi;

/**
 * One line of a journal entry: a signed amount on an account (positive raises its balance). Immutable and
 * thread-safe.
 *
 * @param account the account
 * @param amountMinor signed amount in the account asset's smallest unit
 * @since 0.1
 */
public record Posting(LedgerAccount account, long amountMinor) {}
