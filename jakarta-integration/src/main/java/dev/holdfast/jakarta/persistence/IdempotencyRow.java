package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An idempotency record. */
@Entity
@Table(name = "holdfast_idempotency")
class IdempotencyRow {
    @Id
    @Column(name = "idempotency_key")
    String idempotencyKey;

    @Column(name = "request_hash")
    String requestHash;

    @Column(name = "completed")
    boolean completed;

    @Column(name = "result_subject")
    String resultSubject;

    @Column(name = "result_version")
    long resultVersion;

    @Column(name = "created_at")
    long createdAt;

    @Column(name = "locked_until")
    Long lockedUntil;

    protected IdempotencyRow() {}
}
