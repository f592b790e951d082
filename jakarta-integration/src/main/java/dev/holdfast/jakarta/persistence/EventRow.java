package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** One escrow event, as canonical JSON. Written once, never updated. */
@Entity
@Table(name = "holdfast_event")
@IdClass(EventRow.Key.class)
class EventRow {
    @Id
    @Column(name = "escrow_id")
    String escrowId;

    @Id
    @Column(name = "stream_version")
    long streamVersion;

    @Column(name = "event_type")
    String eventType;

    @Column(name = "at_micros")
    long atMicros;

    @Column(name = "payload")
    String payload;

    protected EventRow() {}

    EventRow(String escrowId, long streamVersion, String eventType, long atMicros, String payload) {
        this.escrowId = escrowId;
        this.streamVersion = streamVersion;
        this.eventType = eventType;
        this.atMicros = atMicros;
        this.payload = payload;
    }

    /** The primary key (escrow, version). */
    public static final class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String escrowId;
        public long streamVersion;

        public Key() {}

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.streamVersion == streamVersion && Objects.equals(k.escrowId, escrowId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(escrowId, streamVersion);
        }
    }
}
