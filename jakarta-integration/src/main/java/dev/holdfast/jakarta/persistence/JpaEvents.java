package dev.holdfast.jakarta.persistence;

import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.PartyId;
import dev.holdfast.core.internal.codec.CanonicalJson;
import dev.holdfast.spi.EventStore;
import dev.holdfast.spi.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Event streams: events as canonical JSON, one stream row per escrow holding its version. */
final class JpaEvents implements EventStore {
    private final JpaUnit unit;

    JpaEvents(JpaUnit unit) {
        this.unit = unit;
    }

    @Override
    public List<StoredEvent> load(EscrowId escrowId) {
        return unit.run(() -> {
            List<Object[]> rows = unit.em
                    .createQuery(
                            "SELECT e.streamVersion, e.payload FROM EventRow e WHERE e.escrowId = :id"
                                    + " ORDER BY e.streamVersion",
                            Object[].class)
                    .setParameter("id", escrowId.value())
                    .getResultList();
            List<StoredEvent> events = new ArrayList<>(rows.size());
            for (Object[] row : rows) {
                events.add(new StoredEvent(
                        ((Number) row[0]).longValue(), CanonicalJson.decode((String) row[1], EscrowEvent.class)));
            }
            return List.copyOf(events);
        });
    }

    @Override
    public void append(EscrowId escrowId, long expectedVersion, List<EscrowEvent> events) {
        unit.run(() -> {
            Objects.requireNonNull(escrowId, "escrowId");
            for (EscrowEvent event : events) {
                if (!escrowId.equals(event.escrowId())) {
                    throw new IllegalArgumentException(
                            "event of escrow " + event.escrowId() + " appended to the stream of " + escrowId);
                }
            }
            // The stream row is locked until commit: a racing append waits, then sees the new version and fails.
            EscrowRow stream = unit.locked(EscrowRow.class, escrowId.value());
            long version = stream == null ? 0 : stream.streamVersion;
            if (version != expectedVersion) {
                throw unit.conflict("escrow " + escrowId + " is at version " + version + ", not " + expectedVersion);
            }
            if (events.isEmpty()) {
                return;
            }
            if (stream == null) {
                stream = new EscrowRow();
                stream.escrowId = escrowId.value();
                // a creation that rolls back rolls the counter back too: positions stay dense
                stream.creationOrder = ++unit.head().escrowCount;
                stream.createdAt = Micros.of(events.get(0).at());
                if (events.get(0) instanceof EscrowEvent.EscrowCreated created) {
                    stream.buyerId =
                            created.buyer() == null ? null : created.buyer().value();
                    stream.sellerId =
                            created.seller() == null ? null : created.seller().value();
                }
                // a concurrent creation of the same escrow fails on the primary key (a conflict)
                unit.persist(stream.escrowId, stream);
            }
            for (EscrowEvent event : events) {
                unit.em.persist(new EventRow(
                        escrowId.value(),
                        ++version,
                        event.getClass().getSimpleName(),
                        Micros.of(event.at()),
                        CanonicalJson.encode(event)));
            }
            stream.streamVersion = version;
        });
    }

    @Override
    public List<EscrowId> escrowsOf(PartyId party) {
        return unit.run(() -> ids(unit.em
                .createQuery(
                        "SELECT s.escrowId FROM EscrowRow s WHERE s.buyerId = :p OR s.sellerId = :p"
                                + " ORDER BY s.creationOrder",
                        String.class)
                .setParameter("p", party.value())
                .getResultList()));
    }

    @Override
    public List<EscrowId> escrows(long offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        if (limit == 0) {
            return List.of();
        }
        // Positions come from the counters row, so they are dense and in commit order: an offset stays a cursor.
        return unit.run(() -> ids(unit.em
                .createQuery(
                        "SELECT s.escrowId FROM EscrowRow s WHERE s.creationOrder > :after ORDER BY s.creationOrder",
                        String.class)
                .setParameter("after", offset)
                .setMaxResults(limit)
                .getResultList()));
    }

    private static List<EscrowId> ids(List<String> values) {
        List<EscrowId> ids = new ArrayList<>(values.size());
        for (String v : values) {
            ids.add(EscrowId.of(v));
        }
        return List.copyOf(ids);
    }
}
