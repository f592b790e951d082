package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An escrow's stream: its current version (the optimistic check of every append) and its creation position. */
@Entity
@Table(name = "holdfast_escrow")
class EscrowRow {
    @Id
    @Column(name = "escrow_id")
    String escrowId;

    @Column(name = "creation_order")
    long creationOrder;

    @Column(name = "buyer_id")
    String buyerId;

    @Column(name = "seller_id")
    String sellerId;

    @Column(name = "stream_version")
    long streamVersion;

    @Column(name = "created_at")
    long createdAt;

    protected EscrowRow() {}
}
