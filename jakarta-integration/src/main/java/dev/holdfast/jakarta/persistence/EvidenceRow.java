package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Evidence bytes with their metadata, addressed by their SHA-256. Written once. */
@Entity
@Table(name = "holdfast_evidence")
class EvidenceRow {
    @Id
    @Column(name = "reference")
    String reference;

    @Column(name = "media_type")
    String mediaType;

    @Column(name = "size_bytes")
    long sizeBytes;

    @Column(name = "sha256")
    String sha256;

    @Column(name = "content")
    byte[] content;

    @Column(name = "created_at")
    long createdAt;

    protected EvidenceRow() {}
}
