package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The one row of counters; see V1 migration. Locked for update by every unit of work that appends to a log. */
@Entity
@Table(name = "holdfast_head")
class HeadRow {
    static final int ID = 1;

    @Id
    int id;

    @Column(name = "escrow_count")
    long escrowCount;

    @Column(name = "journal_count")
    long journalCount;

    @Column(name = "audit_sequence")
    long auditSequence;

    @Column(name = "audit_hash")
    String auditHash;

    @Column(name = "outbox_sequence")
    long outboxSequence;

    protected HeadRow() {}
}
