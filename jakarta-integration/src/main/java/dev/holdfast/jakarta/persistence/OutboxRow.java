package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One outbox message. */
@Entity
@Table(name = "holdfast_outbox")
class OutboxRow {
    @Id
    @Column(name = "outbox_sequence")
    long outboxSequence;

    @Column(name = "event_id")
    String eventId;

    @Column(name = "subject")
    String subject;

    @Column(name = "event_type")
    String eventType;

    @Column(name = "payload")
    String payload;

    @Column(name = "created_at")
    long createdAt;

    @Column(name = "attempts")
    int attempts;

    @Column(name = "next_attempt_at")
    long nextAttemptAt;

    @Column(name = "delivered")
    boolean delivered;

    protected OutboxRow() {}
}
