package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.AuditEntry;
import dev.holdfast.spi.AuditStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit log. {@code last} locks the counters row, which holds the chain's head: the engine reads the last entry
 * only to chain the next one to it, so two units of work chaining at once queue instead of both taking one sequence.
 */
final class JpaAudit implements AuditStore {
    private final JpaUnit unit;

    JpaAudit(JpaUnit unit) {
        this.unit = unit;
    }

    @Override
    public Optional<AuditEntry> last() {
        return unit.run(() -> {
            long sequence = unit.head().auditSequence;
            if (sequence == 0) {
                return Optional.<AuditEntry>empty();
            }
            AuditRow row = unit.em.find(AuditRow.class, sequence);
            return Optional.ofNullable(row == null ? null : toEntry(row));
        });
    }

    @Override
    public void append(AuditEntry entry) {
        unit.run(() -> {
            HeadRow head = unit.head();
            if (entry.sequence() != head.auditSequence + 1) {
                throw unit.conflict("audit sequence " + entry.sequence() + " is not " + (head.auditSequence + 1));
            }
            AuditRow row = new AuditRow();
            row.auditSequence = entry.sequence();
            row.atSecond = entry.at().getEpochSecond();
            row.atNano = entry.at().getNano();
            row.subject = entry.subject();
            row.eventType = entry.type();
            row.payload = entry.payload();
            row.previousHash = entry.previousHash();
            row.entryHash = entry.hash();
            unit.em.persist(row);
            head.auditSequence = entry.sequence();
            head.auditHash = entry.hash();
        });
    }

    @Override
    public List<AuditEntry> read(long afterSequence, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return unit.run(() -> {
            List<AuditEntry> entries = new ArrayList<>();
            for (AuditRow row : unit.em
                    .createQuery(
                            "SELECT a FROM AuditRow a WHERE a.auditSequence > :after ORDER BY a.auditSequence",
                            AuditRow.class)
                    .setParameter("after", afterSequence)
                    .setMaxResults(limit)
                    .getResultList()) {
                entries.add(toEntry(row));
            }
            return List.copyOf(entries);
        });
    }

    private static AuditEntry toEntry(AuditRow row) {
        return new AuditEntry(
                row.auditSequence,
                Instant.ofEpochSecond(row.atSecond, row.atNano),
                row.subject,
                row.eventType,
                row.payload,
                row.previousHash,
                row.entryHash);
    }
}
