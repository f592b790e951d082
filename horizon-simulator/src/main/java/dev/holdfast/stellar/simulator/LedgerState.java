package dev.holdfast.stellar.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.stellar.sdk.xdr.ClaimPredicate;
import org.stellar.sdk.xdr.SignerKey;

/**
 * The ledger entries: accounts, trustlines and claimable balances. Mutable and not thread-safe; {@link Ledger} guards
 * it and copies it to roll back a failed transaction's operations.
 */
final class LedgerState {
    static final long BASE_RESERVE = 5_000_000L;
    static final int AUTH_REQUIRED = 1;
    static final int AUTH_REVOCABLE = 2;
    static final int AUTH_IMMUTABLE = 4;
    static final int AUTH_CLAWBACK = 8;

    final Map<String, Account> accounts = new TreeMap<>();
    final Map<TrustKey, TrustLine> trustLines = new LinkedHashMap<>();
    final Map<String, ClaimableBalance> claimableBalances = new LinkedHashMap<>();

    LedgerState copy() {
        LedgerState c = new LedgerState();
        accounts.forEach((k, v) -> c.accounts.put(k, v.copy()));
        trustLines.forEach((k, v) -> c.trustLines.put(k, v.copy()));
        c.claimableBalances.putAll(claimableBalances);
        return c;
    }

    List<TrustLine> trustLinesOf(String accountId) {
        List<TrustLine> lines = new ArrayList<>();
        for (TrustLine line : trustLines.values()) {
            if (line.account.equals(accountId)) {
                lines.add(line);
            }
        }
        return lines;
    }

    TrustLine trustLine(String accountId, AssetKey asset) {
        return trustLines.get(new TrustKey(accountId, asset));
    }

    record TrustKey(String account, AssetKey asset) {}

    /** A signer other than the master key; {@code strKey} is G..., T... (pre-auth tx) or X... (sha256 hash). */
    record Signer(SignerKey key, String strKey, String type, int weight) {}

    record Claimant(String destination, ClaimPredicate predicate) {}

    record ClaimableBalance(
            String id,
            AssetKey asset,
            long amount,
            String sponsor,
            List<Claimant> claimants,
            int lastModifiedLedger,
            long lastModifiedTime) {}

    static final class Account {
        final String id;
        long balance;
        long seq;
        int seqLedger;
        long seqTime;
        int numSubEntries;
        int numSponsoring;
        int masterWeight = 1;
        int low;
        int med;
        int high;
        int flags;
        String homeDomain = "";
        String inflationDest;
        List<Signer> signers = new ArrayList<>();
        int lastModifiedLedger;
        long lastModifiedTime;

        Account(String id) {
            this.id = id;
        }

        Account copy() {
            Account c = new Account(id);
            c.balance = balance;
            c.seq = seq;
            c.seqLedger = seqLedger;
            c.seqTime = seqTime;
            c.numSubEntries = numSubEntries;
            c.numSponsoring = numSponsoring;
            c.masterWeight = masterWeight;
            c.low = low;
            c.med = med;
            c.high = high;
            c.flags = flags;
            c.homeDomain = homeDomain;
            c.inflationDest = inflationDest;
            c.signers = new ArrayList<>(signers);
            c.lastModifiedLedger = lastModifiedLedger;
            c.lastModifiedTime = lastModifiedTime;
            return c;
        }

        /** stellar-core: (2 + subentries + sponsoring − sponsored) × base reserve. */
        long minBalance() {
            return (2L + numSubEntries + numSponsoring) * BASE_RESERVE;
        }

        long available() {
            return balance - minBalance();
        }
    }

    static final class TrustLine {
        final String account;
        final AssetKey asset;
        long balance;
        long limit;
        int lastModifiedLedger;

        TrustLine(String account, AssetKey asset) {
            this.account = account;
            this.asset = asset;
        }

        TrustLine copy() {
            TrustLine c = new TrustLine(account, asset);
            c.balance = balance;
            c.limit = limit;
            c.lastModifiedLedger = lastModifiedLedger;
            return c;
        }
    }
}
