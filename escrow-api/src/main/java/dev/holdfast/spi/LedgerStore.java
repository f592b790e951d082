package dev.holdfast.spi;

import java.util.List;

/**
 * The append-only double-entry ledger.
 *
 * @since 0.1
 */
public interface LedgerStore {
    /**
     * @param entry a balanced entry
     * @throws StoreConflictException when an entry with the same id exists
     */
    void append(JournalEntry entry);

    /**
     * @param account an account
     * @return the sum of its postings, 0 when it has none
     */
    long balance(LedgerAccount account);

    /**
     * @param subject an escrow id or party id
     * @return the entries of that subject, in order
     */
    List<JournalEntry> entries(String subject);

    /** @return every account that has postings */
    List<LedgerAccount> accounts();
}
