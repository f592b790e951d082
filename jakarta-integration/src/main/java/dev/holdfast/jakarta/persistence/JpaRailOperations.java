package dev.holdfast.jakarta.persistence;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.internal.codec.CanonicalJson;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.RailOperationKind;
import dev.holdfast.spi.RailOperationStore;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Rail operations. {@code save} locks the row and replaces it (the in-memory store's last-writer-wins), so a
 * reconciler and an executor saving one operation wait for each other instead of failing; claims skip locked rows.
 */
final class JpaRailOperations implements RailOperationStore {
    // A non-final operation without a check time is looked at now rather than forgotten.
    private static final String CLAIM = "SELECT * FROM holdfast_rail_operation WHERE open_check = TRUE"
            + " AND (next_check_at IS NULL OR next_check_at <= ?1)"
            + " AND (lease_until IS NULL OR lease_until <= ?1)"
            + " ORDER BY next_check_at, id LIMIT ?2 FOR UPDATE SKIP LOCKED";

    private final JpaUnit unit;

    JpaRailOperations(JpaUnit unit) {
        this.unit = unit;
    }

    @Override
    public void save(RailOperation operation) {
        unit.run(() -> {
            Objects.requireNonNull(operation.transferId(), "transferId");
            Objects.requireNonNull(operation.status(), "status");
            List<RailOperationRow> found = unit.em
                    .createQuery("SELECT r FROM RailOperationRow r WHERE r.transferId = :t", RailOperationRow.class)
                    .setParameter("t", operation.transferId().value())
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList();
            RailOperationRow row = found.isEmpty() ? new RailOperationRow() : found.get(0);
            copy(operation, row);
            if (found.isEmpty()) {
                // two nodes inserting one transfer id: the second fails on the unique key, a conflict
                unit.em.persist(row);
            }
        });
    }

    @Override
    public Optional<RailOperation> find(TransferId transferId) {
        return unit.run(() -> unit
                .em
                .createQuery("SELECT r FROM RailOperationRow r WHERE r.transferId = :t", RailOperationRow.class)
                .setParameter("t", transferId.value())
                .getResultList()
                .stream()
                .findFirst()
                .map(JpaRailOperations::toOperation));
    }

    @Override
    public List<RailOperation> of(EscrowId escrowId) {
        return unit.run(() -> {
            List<RailOperation> operations = new ArrayList<>();
            for (RailOperationRow row : unit.em
                    .createQuery(
                            "SELECT r FROM RailOperationRow r WHERE r.escrowId = :e ORDER BY r.createdAt, r.id",
                            RailOperationRow.class)
                    .setParameter("e", escrowId.value())
                    .getResultList()) {
                operations.add(toOperation(row));
            }
            return List.copyOf(operations);
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<RailOperation> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
        Objects.requireNonNull(owner, "owner");
        if (limit <= 0) {
            return List.of();
        }
        return unit.run(() -> {
            unit.em.flush();
            List<RailOperationRow> rows = unit.em
                    .createNativeQuery(CLAIM, RailOperationRow.class)
                    .setParameter(1, Micros.of(now))
                    .setParameter(2, limit)
                    .getResultList();
            long until = Micros.of(leaseUntil);
            List<RailOperation> claimed = new ArrayList<>(rows.size());
            for (RailOperationRow row : rows) {
                row.leaseOwner = owner;
                row.leaseUntil = until;
                claimed.add(toOperation(row));
            }
            return List.copyOf(claimed);
        });
    }

    private static void copy(RailOperation op, RailOperationRow row) {
        row.transferId = op.transferId().value();
        row.railId = op.rail() == null ? null : op.rail().value();
        row.operationKind = op.kind() == null ? null : op.kind().name();
        row.status = op.status().name();
        row.escrowId = op.escrowId() == null ? null : op.escrowId().value();
        row.milestoneId = op.milestone() == null ? null : op.milestone().value();
        row.partyId = op.party() == null ? null : op.party().value();
        row.amountMinor = op.amount() == null ? null : op.amount().minor();
        row.amountAsset = op.amount() == null ? null : op.amount().asset().code();
        row.amountScale = op.amount() == null ? null : op.amount().asset().scale();
        row.feeMinor = op.platformFee() == null ? null : op.platformFee().minor();
        row.feeAsset =
                op.platformFee() == null ? null : op.platformFee().asset().code();
        row.feeScale =
                op.platformFee() == null ? null : op.platformFee().asset().scale();
        row.fundingTransferId =
                op.fundingTransferId() == null ? null : op.fundingTransferId().value();
        row.destination = op.destination() == null ? null : CanonicalJson.encode(op.destination());
        row.railReference = op.railReference();
        row.attempts = op.attempts();
        row.nextCheckAt = Micros.ofNullable(op.nextCheckAt());
        row.leaseOwner = op.leaseOwner();
        row.leaseUntil = Micros.ofNullable(op.leaseUntil());
        row.lastError = op.lastError();
        row.createdAt = Micros.ofNullable(op.createdAt());
        row.openCheck = !op.status().isFinal();
    }

    private static RailOperation toOperation(RailOperationRow row) {
        return new RailOperation(
                TransferId.of(row.transferId),
                row.railId == null ? null : RailId.of(row.railId),
                row.operationKind == null ? null : RailOperationKind.valueOf(row.operationKind),
                RailOperationStatus.valueOf(row.status),
                row.escrowId == null ? null : EscrowId.of(row.escrowId),
                row.milestoneId == null ? null : MilestoneId.of(row.milestoneId),
                row.partyId == null ? null : PartyId.of(row.partyId),
                money(row.amountMinor, row.amountAsset, row.amountScale),
                money(row.feeMinor, row.feeAsset, row.feeScale),
                row.fundingTransferId == null ? null : TransferId.of(row.fundingTransferId),
                row.destination == null ? null : CanonicalJson.decode(row.destination, PayoutDestination.class),
                row.railReference,
                row.attempts,
                Micros.instantOrNull(row.nextCheckAt),
                row.leaseOwner,
                Micros.instantOrNull(row.leaseUntil),
                row.lastError,
                Micros.instantOrNull(row.createdAt));
    }

    private static Money money(Long minor, String code, Integer scale) {
        return minor == null ? null : Money.of(minor, new Asset(code, scale));
    }
}
