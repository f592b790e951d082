package dev.holdfast.jakarta.persistence;

import dev.holdfast.api.Asset;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.JournalEntry;
import dev.holdfast.spi.LedgerAccount;
import dev.holdfast.spi.LedgerStore;
import dev.holdfast.spi.Posting;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ledger: entries and postings appended, and a balance row per account kept with them.
 *
 * <p>Money moves under two guards. An account whose balance this unit of work read (the engine decides on it, for
 * example a withdrawal against an available balance) keeps the version it was read at, and the commit fails if
 * another unit of work posted to it meanwhile. An account only posted to is locked for update first, so busy accounts
 * (rail clearing, platform revenue) make writers wait rather than fail.
 */
final class JpaLedger implements LedgerStore {
    private final JpaUnit unit;
    // accounts this unit of work has read or locked, by key
    private final Map<String, LedgerAccountRow> seen = new HashMap<>();

    JpaLedger(JpaUnit unit) {
        this.unit = unit;
    }

    static String key(LedgerAccount a) {
        // the owner last: it is the only part that may contain the separator
        return a.type() + "|" + a.asset().code() + "|" + a.asset().scale() + "|" + a.owner();
    }

    @Override
    public void append(JournalEntry entry) {
        unit.run(() -> {
            // Net per account, so an entry that posts twice to one account touches its row once.
            Map<String, Long> net = new TreeMap<>();
            Map<String, LedgerAccount> accounts = new HashMap<>();
            for (Posting p : entry.postings()) {
                String k = key(p.account());
                net.merge(k, p.amountMinor(), Math::addExact);
                accounts.put(k, p.account());
            }
            List<String> toLock = new ArrayList<>();
            for (String k : net.keySet()) {
                if (!seen.containsKey(k)) {
                    toLock.add(k);
                }
            }
            if (!toLock.isEmpty()) {
                // one query, rows locked in key order (the same order in every unit of work: no deadlock between them)
                for (LedgerAccountRow row : unit.em
                        .createQuery(
                                "SELECT a FROM LedgerAccountRow a WHERE a.accountKey IN :keys ORDER BY a.accountKey",
                                LedgerAccountRow.class)
                        .setParameter("keys", toLock)
                        .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                        .getResultList()) {
                    seen.put(row.accountKey, row);
                }
            }
            long order = ++unit.head().journalCount;
            JournalEntryRow header = new JournalEntryRow();
            header.entryId = entry.entryId();
            header.journalOrder = order;
            header.atMicros = Micros.of(entry.at());
            header.subject = entry.subject();
            header.description = entry.description();
            header.reverses = entry.reverses();
            // a second entry with this id fails on the primary key: a conflict
            unit.em.persist(header);
            int line = 0;
            for (Posting p : entry.postings()) {
                PostingRow row = new PostingRow();
                row.entryId = entry.entryId();
                row.lineNo = ++line;
                row.journalOrder = order;
                row.subject = entry.subject();
                row.accountType = p.account().type().name();
                row.accountOwner = p.account().owner();
                row.assetCode = p.account().asset().code();
                row.assetScale = p.account().asset().scale();
                row.amountMinor = p.amountMinor();
                unit.em.persist(row);
            }
            net.forEach((k, amount) -> {
                LedgerAccountRow account = seen.get(k);
                if (account == null) {
                    LedgerAccount a = accounts.get(k);
                    account = new LedgerAccountRow();
                    account.accountKey = k;
                    account.accountType = a.type().name();
                    account.accountOwner = a.owner();
                    account.assetCode = a.asset().code();
                    account.assetScale = a.asset().scale();
                    // two first postings racing on a new account: the second fails on the primary key
                    unit.em.persist(account);
                    seen.put(k, account);
                }
                account.balanceMinor = Math.addExact(account.balanceMinor, amount);
            });
        });
    }

    @Override
    public long balance(LedgerAccount account) {
        return unit.run(() -> {
            String k = key(account);
            LedgerAccountRow row = seen.get(k);
            if (row == null) {
                row = unit.em.find(LedgerAccountRow.class, k);
                if (row == null) {
                    return 0L;
                }
                seen.put(k, row);
            }
            return row.balanceMinor;
        });
    }

    @Override
    public List<JournalEntry> entries(String subject) {
        return unit.run(() -> {
            List<JournalEntryRow> headers = unit.em
                    .createQuery(
                            "SELECT j FROM JournalEntryRow j WHERE j.subject = :s ORDER BY j.journalOrder",
                            JournalEntryRow.class)
                    .setParameter("s", subject)
                    .getResultList();
            if (headers.isEmpty()) {
                return List.<JournalEntry>of();
            }
            Map<String, List<Posting>> postings = new LinkedHashMap<>();
            for (PostingRow p : unit.em
                    .createQuery(
                            "SELECT p FROM PostingRow p WHERE p.subject = :s ORDER BY p.journalOrder, p.lineNo",
                            PostingRow.class)
                    .setParameter("s", subject)
                    .getResultList()) {
                postings.computeIfAbsent(p.entryId, e -> new ArrayList<>())
                        .add(new Posting(
                                new LedgerAccount(
                                        AccountType.valueOf(p.accountType),
                                        p.accountOwner,
                                        new Asset(p.assetCode, p.assetScale)),
                                p.amountMinor));
            }
            List<JournalEntry> entries = new ArrayList<>(headers.size());
            for (JournalEntryRow h : headers) {
                entries.add(new JournalEntry(
                        h.entryId,
                        Micros.instant(h.atMicros),
                        h.subject,
                        h.description,
                        h.reverses,
                        postings.getOrDefault(h.entryId, List.of())));
            }
            return List.copyOf(entries);
        });
    }

    @Override
    public List<LedgerAccount> accounts() {
        return unit.run(() -> {
            List<LedgerAccount> all = new ArrayList<>();
            for (Object[] row : unit.em
                    .createQuery(
                            "SELECT a.accountType, a.accountOwner, a.assetCode, a.assetScale FROM LedgerAccountRow a"
                                    + " ORDER BY a.accountKey",
                            Object[].class)
                    .getResultList()) {
                all.add(new LedgerAccount(
                        AccountType.valueOf((String) row[0]),
                        (String) row[1],
                        new Asset((String) row[2], ((Number) row[3]).intValue())));
            }
            return List.copyOf(all);
        });
    }
}
