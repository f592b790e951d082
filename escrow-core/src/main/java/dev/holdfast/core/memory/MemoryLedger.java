package dev.holdfast.core.memory;

import dev.holdfast.spi.JournalEntry;
import dev.holdfast.spi.LedgerAccount;
import dev.holdfast.spi.LedgerStore;
import dev.holdfast.spi.Posting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/** The ledger of an {@link InMemoryStore}: balances kept up to date per posting. Used only under the store's lock. */
final class MemoryLedger implements LedgerStore {
    private final UnitOfWork uow;
    private final HashSet<String> entryIds = new HashSet<>();
    private final HashMap<String, ArrayList<JournalEntry>> entriesBySubject = new HashMap<>();
    // A one-element array per account so a posting updates the balance without boxing a new Long.
    private final LinkedHashMap<LedgerAccount, long[]> balances = new LinkedHashMap<>();

    MemoryLedger(UnitOfWork uow) {
        this.uow = uow;
    }

    @Override
    public void append(JournalEntry entry) {
        uow.check();
        Objects.requireNonNull(entry, "entry");
        if (entryIds.contains(entry.entryId())) {
            throw uow.conflict("journal entry " + entry.entryId() + " exists");
        }
        List<Posting> postings = entry.postings();
        List<LedgerAccount> opened = post(postings);
        entryIds.add(entry.entryId());
        ArrayList<JournalEntry> entries = entriesBySubject.computeIfAbsent(entry.subject(), s -> new ArrayList<>(8));
        entries.add(entry);
        uow.onRollback(() -> {
            entries.remove(entries.size() - 1);
            if (entries.isEmpty()) {
                entriesBySubject.remove(entry.subject());
            }
            entryIds.remove(entry.entryId());
            unpost(postings, postings.size(), opened);
        });
    }

    /** @return the accounts this opened, or null; all or nothing when a balance overflows */
    private List<LedgerAccount> post(List<Posting> postings) {
        List<LedgerAccount> opened = null;
        int applied = 0;
        try {
            for (Posting posting : postings) {
                long[] balance = balances.get(posting.account());
                if (balance == null) {
                    balance = new long[1];
                    balances.put(posting.account(), balance);
                    if (opened == null) {
                        opened = new ArrayList<>(2);
                    }
                    opened.add(posting.account());
                }
                balance[0] = Math.addExact(balance[0], posting.amountMinor());
                applied++;
            }
            return opened;
        } catch (ArithmeticException e) {
            // The work may catch this and go on; the ledger must not keep half an entry.
            unpost(postings, applied, opened);
            throw e;
        }
    }

    private void unpost(List<Posting> postings, int count, List<LedgerAccount> opened) {
        for (int i = 0; i < count; i++) {
            Posting posting = postings.get(i);
            balances.get(posting.account())[0] -= posting.amountMinor();
        }
        if (opened != null) {
            opened.forEach(balances::remove);
        }
    }

    @Override
    public long balance(LedgerAccount account) {
        uow.check();
        long[] balance = balances.get(account);
        return balance == null ? 0 : balance[0];
    }

    @Override
    public List<JournalEntry> entries(String subject) {
        uow.check();
        ArrayList<JournalEntry> entries = entriesBySubject.get(subject);
        return entries == null ? List.of() : List.copyOf(entries);
    }

    @Override
    public List<LedgerAccount> accounts() {
        uow.check();
        return List.copyOf(balances.keySet());
    }
}
