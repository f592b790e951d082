package dev.holdfast.jakarta.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * A rail operation. The sequence id only orders operations recorded at the same instant; the transfer id is the
 * natural key.
 */
@Entity
@Table(name = "holdfast_rail_operation")
class RailOperationRow {
    @Id
    @SequenceGenerator(
            name = "holdfast_rail_operation_seq",
            sequenceName = "holdfast_rail_operation_seq",
            allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "holdfast_rail_operation_seq")
    long id;

    @Column(name = "transfer_id")
    String transferId;

    @Column(name = "rail_id")
    String railId;

    @Column(name = "operation_kind")
    String operationKind;

    @Column(name = "status")
    String status;

    @Column(name = "escrow_id")
    String escrowId;

    @Column(name = "milestone_id")
    String milestoneId;

    @Column(name = "party_id")
    String partyId;

    @Column(name = "amount_minor")
    Long amountMinor;

    @Column(name = "amount_asset")
    String amountAsset;

    @Column(name = "amount_scale")
    Integer amountScale;

    @Column(name = "fee_minor")
    Long feeMinor;

    @Column(name = "fee_asset")
    String feeAsset;

    @Column(name = "fee_scale")
    Integer feeScale;

    @Column(name = "funding_transfer_id")
    String fundingTransferId;

    @Column(name = "destination")
    String destination;

    @Column(name = "rail_reference")
    String railReference;

    @Column(name = "attempts")
    int attempts;

    @Column(name = "next_check_at")
    Long nextCheckAt;

    @Column(name = "lease_owner")
    String leaseOwner;

    @Column(name = "lease_until")
    Long leaseUntil;

    @Column(name = "last_error")
    String lastError;

    @Column(name = "created_at")
    Long createdAt;

    @Column(name = "open_check")
    boolean openCheck;

    protected RailOperationRow() {}
}
