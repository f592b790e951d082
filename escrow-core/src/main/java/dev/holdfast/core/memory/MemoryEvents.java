package dev.holdfast.core.memory;

import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.PartyId;
import dev.holdfast.spi.EventStore;
import dev.holdfast.spi.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/** Event streams of an {@link InMemoryStore}. Used only under the store's lock. */
final class MemoryEvents implements EventStore {
    private final UnitOfWork uow;
    private final HashMap<EscrowId, ArrayList<StoredEvent>> streams = new HashMap<>();
    // Append order is creation order, which is what escrowsOf promises ("oldest first"). A list, not a set: an
    // escrow is indexed once, when its stream is created, and a set entry would cost ten times the memory.
    private final HashMap<PartyId, ArrayList<EscrowId>> escrowsByParty = new HashMap<>();
    private final ArrayList<EscrowId> creationOrder = new ArrayList<>();

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
            creationOrder.add(escrowId);
            uow.onRollback(() -> {
                streams.remove(escrowId);
                creationOrder.remove(creationOrder.size() - 1);
            });
        }
        ArrayList<StoredEvent> appendTo = stream;
        int sizeBefore = appendTo.size();
        uow.onRollback(() -> appendTo.subList(sizeBefore, appendTo.size()).clear());
        for (EscrowEvent event : events) {
            appendTo.add(new StoredEvent(++version, event));
            // Version 1 is written once per escrow, so indexing only there never lists an escrow twice.
            if (version == 1 && event instanceof EscrowEvent.EscrowCreated created) {
                index(created.buyer(), escrowId);
                if (!Objects.equals(created.seller(), created.buyer())) {
                    index(created.seller(), escrowId);
                }
            }
        }
    }

    private void index(PartyId party, EscrowId escrowId) {
        if (party == null) {
            return;
        }
        ArrayList<EscrowId> escrows = escrowsByParty.computeIfAbsent(party, p -> new ArrayList<>(4));
        escrows.add(escrowId);
        uow.onRollback(() -> {
            escrows.remove(escrows.size() - 1);
            if (escrows.isEmpty()) {
                escrowsByParty.remove(party);
            }
        });
    }

    @Override
    public List<EscrowId> escrowsOf(PartyId party) {
        uow.check();
        ArrayList<EscrowId> escrows = escrowsByParty.get(party);
        return escrows == null ? List.of() : List.copyOf(escrows);
    }

    @Override
    public List<EscrowId> escrows(long offset, int limit) {
        uow.check();
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        int from = (int) Math.min(offset, creationOrder.size());
        int to = (int) Math.min((long) from + limit, creationOrder.size());
        return List.copyOf(creationOrder.subList(from, to));
    }
}
