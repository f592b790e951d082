package dev.holdfast.core.memory;

import dev.holdfast.spi.AuditEntry;
import dev.holdfast.spi.AuditStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The audit log of an {@link InMemoryStore}; entry n sits at index n - 1. Used only under the store's lock. */
final class MemoryAudit implements AuditStore {
    private final UnitOfWork uow;
    private final ArrayList<AuditEntry> entries = new ArrayList<>();

    MemoryAudit(UnitOfWork uow) {
        this.uow = uow;
    }

    @Override
    public Optional<AuditEntry> last() {
        uow.check();
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1));
    }

    @Override
    public void append(AuditEntry entry) {
        uow.check();
        Objects.requireNonNull(entry, "entry");
        long next = entries.size() + 1L;
        if (entry.sequence() != next) {
            throw uow.conflict("audit sequence " + entry.sequence() + " is not the next one, " + next);
        }
        entries.add(entry);
        uow.onRollback(() -> entries.remove(entries.size() - 1));
    }

    @Override
    public List<AuditEntry> read(long afterSequence, int limit) {
        uow.check();
        return Slices.after(entries, afterSequence, limit);
    }
}
