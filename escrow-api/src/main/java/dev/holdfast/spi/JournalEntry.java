package dev.holdfast.spi;

import dev.holdfast.api.Asset;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A balanced set of postings, appended to the ledger and never changed; a correction is a new entry that reverses
 * an earlier one. Immutable and thread-safe.
 *
 * @param entryId unique id; a store refuses a second entry with the same id
 * @param at when
 * @param subject the escrow id or party id it belongs to
 * @param description for people
 * @param reverses the entry id this one reverses, or {@code null}
 * @param postings at least two; for each asset the amounts add up to zero
 * @since 0.1
 */
public record JournalEntry(
        String entryId, Instant at, String subject, String description, String reverses, List<Posting> postings) {
    public JournalEntry {
        postings = List.copyOf(postings);
        if (postings.size() < 2) {
            throw new IllegalArgumentException("a journal entry needs at least two postings: " + entryId);
        }
        Map<Asset, Long> sums = new HashMap<>();
        for (Posting p : postings) {
            sums.merge(p.account().asset(), p.amountMinor(), Math::addExact);
        }
        sums.forEach((asset, sum) -> {
            if (sum != 0) {
                throw new IllegalArgumentException("journal entry " + entryId + " does not balance in " + asset);
            }
        });
    }
}
