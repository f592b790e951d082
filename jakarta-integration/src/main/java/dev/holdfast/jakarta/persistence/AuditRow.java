package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One audit entry; the time to the nanosecond, because it is hashed. Written once. */
@Entity
@Table(name = "holdfast_audit")
class AuditRow {
    @Id
    @Column(name = "audit_sequence")
    long auditSequence;

    @Column(name = "at_second")
    long atSecond;

    @Column(name = "at_nano")
    int atNano;

    @Column(name = "subject")
    String subject;

    @Column(name = "event_type")
    String eventType;

    @Column(name = "payload")
    String payload;

    @Column(name = "previous_hash")
    String previousHash;

    @Column(name = "entry_hash")
    String entryHash;

    protected AuditRow() {}
}
