package dev.holdfast.core.internal.audit;

import dev.holdfast.api.AuditVerification;
import dev.holdfast.api.HoldfastEvent;
import dev.holdfast.core.internal.codec.CanonicalJson;
import dev.holdfast.spi.AuditEntry;
import dev.holdfast.spi.AuditStore;
import dev.holdfast.spi.HoldfastStore;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The hash chain over every event. Each entry's hash covers its own sequence, time, subject, type and canonical
 * payload and the previous entry's hash, so editing, inserting or removing any entry breaks every later link, which
 * {@link #verify} finds. Stateless and thread-safe.
 */
public final class AuditChain {
    /** The previous hash of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private static final int PAGE = 1000;

    private AuditChain() {}

    /**
     * Appends an event in the caller's unit of work.
     *
     * @param audit the transaction's audit store
     * @param event the event
     * @param payload its canonical JSON
     */
    public static void append(AuditStore audit, HoldfastEvent event, String payload) {
        AuditEntry last = audit.last().orElse(null);
        long sequence = last == null ? 1 : last.sequence() + 1;
        String previous = last == null ? GENESIS : last.hash();
        String type = event.getClass().getSimpleName();
        String hash = hash(sequence, event.at(), event.subject(), type, payload, previous);
        audit.append(new AuditEntry(sequence, event.at(), event.subject(), type, payload, previous, hash));
    }

    /**
     * @param sequence entry sequence
     * @param at time
     * @param subject subject
     * @param type event type
     * @param payload canonical payload
     * @param previousHash the previous entry's hash
     * @return hex SHA-256 over all of them, newline-separated
     */
    public static String hash(
            long sequence, Instant at, String subject, String type, String payload, String previousHash) {
        return CanonicalJson.sha256Hex(sequence + "\n" + CanonicalJson.instant(at) + "\n" + subject + "\n" + type + "\n"
                + payload + "\n" + previousHash);
    }

    /**
     * @param store the store
     * @return whether every link holds
     */
    public static AuditVerification verify(HoldfastStore store) {
        long expectedSequence = 1;
        String previous = GENESIS;
        long checked = 0;
        while (true) {
            long after = expectedSequence - 1;
            List<AuditEntry> page = store.inTransaction(tx -> tx.audit().read(after, PAGE));
            if (page.isEmpty()) {
                return new AuditVerification(true, checked, -1, "");
            }
            for (AuditEntry e : page) {
                checked++;
                if (e.sequence() != expectedSequence) {
                    return broken(checked, expectedSequence, "entry " + expectedSequence + " is missing");
                }
                if (!e.previousHash().equals(previous)) {
                    return broken(
                            checked, e.sequence(), "entry " + e.sequence() + " does not chain to its predecessor");
                }
                String recomputed = hash(e.sequence(), e.at(), e.subject(), e.type(), e.payload(), e.previousHash());
                if (!recomputed.equals(e.hash())) {
                    return broken(checked, e.sequence(), "entry " + e.sequence() + " was altered");
                }
                previous = e.hash();
                expectedSequence++;
            }
        }
    }

    /**
     * Writes every entry as one JSON object per line.
     *
     * @param store the store
     * @param out where to write
     * @throws IOException when writing fails
     */
    public static void export(HoldfastStore store, Appendable out) throws IOException {
        long after = 0;
        while (true) {
            long from = after;
            List<AuditEntry> page = store.inTransaction(tx -> tx.audit().read(from, PAGE));
            if (page.isEmpty()) {
                return;
            }
            for (AuditEntry e : page) {
                out.append(CanonicalJson.encode(e)).append('\n');
                after = e.sequence();
            }
        }
    }

    private static AuditVerification broken(long checked, long sequence, String problem) {
        return new AuditVerification(false, checked, sequence, problem);
    }
}
