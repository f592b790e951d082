package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A journal entry's header; its postings are {@link PostingRow}s. Written once. */
@Entity
@Table(name = "holdfast_journal_entry")
class JournalEntryRow {
    @Id
    @Column(name = "entry_id")
    String entryId;

    @Column(name = "journal_order")
    long journalOrder;

    @Column(name = "at_micros")
    long atMicros;

    @Column(name = "subject")
    String subject;

    @Column(name = "description")
    String description;

    @Column(name = "reverses")
    String reverses;

    protected JournalEntryRow() {}
}
