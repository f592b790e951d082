package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * One posting line. Subject and journal order are copied from the entry so that the entries of a subject are read
 * with their postings in one query.
 */
@Entity
@Table(name = "holdfast_posting")
@IdClass(PostingRow.Key.class)
class PostingRow {
    @Id
    @Column(name = "entry_id")
    String entryId;

    @Id
    @Column(name = "line_no")
    int lineNo;

    @Column(name = "journal_order")
    long journalOrder;

    @Column(name = "subject")
    String subject;

    @Column(name = "account_type")
    String accountType;

    @Column(name = "account_owner")
    String accountOwner;

    @Column(name = "asset_code")
    String assetCode;

    @Column(name = "asset_scale")
    int assetScale;

    @Column(name = "amount_minor")
    long amountMinor;

    protected PostingRow() {}

    /** The primary key (entry, line). */
    public static final class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        public String entryId;
        public int lineNo;

        public Key() {}

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.lineNo == lineNo && Objects.equals(k.entryId, entryId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(entryId, lineNo);
        }
    }
}
