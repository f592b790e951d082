package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A subject's delivery state: its oldest undelivered message and the lease on the subject. */
@Entity
@Table(name = "holdfast_outbox_subject")
class OutboxSubjectRow {
    @Id
    @Column(name = "subject")
    String subject;

    @Column(name = "head_sequence")
    Long headSequence;

    @Column(name = "head_due_at")
    Long headDueAt;

    @Column(name = "last_sequence")
    long lastSequence;

    @Column(name = "lease_owner")
    String leaseOwner;

    @Column(name = "lease_until")
    Long leaseUntil;

    protected OutboxSubjectRow() {}
}
