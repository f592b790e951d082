package dev.holdfast.core.memory;

import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.PartyId;
import dev.holdfast.spi.EventStore;
import dev.holdfast.spi.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/** Event streams of an {@link InMemoryStore}. Used only under the store's lock. */
final class MemoryEvents implements EventStore {
    private final UnitOfWork uow;
    private final HashMap<EscrowId, ArrayList<StoredEvent>> streams = new HashMap<>();
    // Insertion order is creation order, which is what escrowsOf promises ("oldest first").
    private final HashMap<PartyId, LinkedHashSet<EscrowId>> escrowsByParty = new HashMap<>();

    MemoryEvents(UnitOfWork uow) {
        this.uow = uow;
    }

    @Override
    public List<StoredEvent> load(EscrowId escrowId) {
        uow.check();
        ArrayList<StoredEvent> stream = streams.get(escrowId);
        return stream == null ? List.of() : List.copyOf(stream);
    }

    @Override
    public void append(EscrowId escrowId, long expectedVersion, List<EscrowEvent> events) {
        uow.check();
        Objects.requireNonNull(escrowId, "escrowId");
        for (EscrowEvent event : events) {
            if (!escrowId.equals(event.escrowId())) {
                throw new IllegalArgumentException(
                        "event of escrow " + event.escrowId() + " appended to the stream of " + escrowId);
            }
        }
        ArrayList<StoredEvent> existing = streams.get(escrowId);
        long version = existing == null ? 0 : existing.size();
        if (version != expectedVersion) {
            throw uow.conflict("escrow " + escrowId + " is at version " + version + ", not " + expectedVersion);
        }
        if (events.isEmpty()) {
            return;
        }
        ArrayList<StoredEvent> stream = existing;
        if (stream == null) {
            stream = new ArrayList<>(8);
            streams.put(escrowId, stream);
            uow.onRollback(() -> streams.remove(escrowId));
        }
        ArrayList<StoredEvent> appendTo = stream;
        int sizeBefore = appendTo.size();
        uow.onRollback(() -> appendTo.subList(sizeBefore, appendTo.size()).clear());
        for (EscrowEvent event : events) {
            appendTo.add(new StoredEvent(++version, event));
            if (event instanceof EscrowEvent.EscrowCreated created) {
                index(created.buyer(), escrowId);
                index(created.seller(), escrowId);
            }
        }
    }

    private void index(PartyId party, EscrowId escrowId) {
        if (party == null) {
            return;
        }
        LinkedHashSet<EscrowId> escrows = escrowsByParty.computeIfAbsent(party, p -> new LinkedHashSet<>());
        if (escrows.add(escrowId)) {
            uow.onRollback(() -> {
                escrows.remove(escrowId);
                if (escrows.isEmpty()) {
                    escrowsByParty.remove(party);
                }
            });
        }
    }

    @Override
    public List<EscrowId> escrowsOf(PartyId party) {
        uow.check();
        LinkedHashSet<EscrowId> escrows = escrowsByParty.get(party);
        return escrows == null ? List.of() : List.copyOf(escrows);
    }
}
