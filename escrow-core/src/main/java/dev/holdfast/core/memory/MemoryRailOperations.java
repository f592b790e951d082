package dev.holdfast.core.memory;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.RailOperationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rail operations of an {@link InMemoryStore}. Operations the reconciler may have to look at (INIT, PENDING,
 * UNKNOWN) are also in an index by next check, so a claim never walks the finished ones. Used only under the
 * store's lock.
 */
final class MemoryRailOperations implements RailOperationStore {
    /** @param key position in the due index, or null when the operation is final */
    private record Held(RailOperation operation, DueKey key) {}

    private static final Comparator<RailOperation> OLDEST_FIRST =
            Comparator.comparing(RailOperation::createdAt, Comparator.nullsLast(Comparator.naturalOrder()));

    private final UnitOfWork uow;
    private final HashMap<TransferId, Held> byId = new HashMap<>();
    private final HashMap<EscrowId, ArrayList<TransferId>> byEscrow = new HashMap<>();
    private final TreeMap<DueKey, TransferId> byNextCheck = new TreeMap<>();
    private long tiebreak;

    MemoryRailOperations(UnitOfWork uow) {
        this.uow = uow;
    }

    @Override
    public void save(RailOperation operation) {
        uow.check();
        TransferId id = Objects.requireNonNull(operation.transferId(), "transferId");
        Objects.requireNonNull(operation.status(), "status");
        Held old = byId.get(id);
        DueKey oldKey = old == null ? null : old.key();
        DueKey key = null;
        if (needsChecking(operation.status())) {
            // Keep the index position when the check time did not change: saves a tree removal and insertion.
            key = oldKey != null && Objects.equals(old.operation().nextCheckAt(), operation.nextCheckAt())
                    ? oldKey
                    // A non-final operation without a check time is looked at now rather than forgotten.
                    : DueKey.of(operation.nextCheckAt(), ++tiebreak);
        }
        byId.put(id, new Held(operation, key));
        if (key != oldKey) {
            if (oldKey != null) {
                byNextCheck.remove(oldKey);
            }
            if (key != null) {
                byNextCheck.put(key, id);
            }
        }
        DueKey newKey = key;
        uow.onRollback(() -> {
            if (newKey != oldKey) {
                if (newKey != null) {
                    byNextCheck.remove(newKey);
                }
                if (oldKey != null) {
                    byNextCheck.put(oldKey, id);
                }
            }
            if (old == null) {
                byId.remove(id);
            } else {
                byId.put(id, old);
            }
        });
        EscrowId before = old == null ? null : old.operation().escrowId();
        EscrowId after = operation.escrowId();
        if (!Objects.equals(before, after)) {
            if (before != null) {
                unindex(before, id);
            }
            if (after != null) {
                index(after, id);
            }
        }
    }

    private static boolean needsChecking(RailOperationStatus status) {
        return !status.isFinal();
    }

    private void index(EscrowId escrowId, TransferId id) {
        ArrayList<TransferId> ids = byEscrow.computeIfAbsent(escrowId, e -> new ArrayList<>(4));
        ids.add(id);
        uow.onRollback(() -> {
            ids.remove(ids.size() - 1);
            if (ids.isEmpty()) {
                byEscrow.remove(escrowId);
            }
        });
    }

    private void unindex(EscrowId escrowId, TransferId id) {
        ArrayList<TransferId> ids = byEscrow.get(escrowId);
        int at = ids.indexOf(id);
        ids.remove(at);
        boolean emptied = ids.isEmpty();
        if (emptied) {
            byEscrow.remove(escrowId);
        }
        uow.onRollback(() -> {
            if (emptied) {
                byEscrow.put(escrowId, ids);
            }
            ids.add(at, id);
        });
    }

    @Override
    public Optional<RailOperation> find(TransferId transferId) {
        uow.check();
        Held held = byId.get(transferId);
        return held == null ? Optional.empty() : Optional.of(held.operation());
    }

    @Override
    public List<RailOperation> of(EscrowId escrowId) {
        uow.check();
        ArrayList<TransferId> ids = byEscrow.get(escrowId);
        if (ids == null) {
            return List.of();
        }
        List<RailOperation> operations = new ArrayList<>(ids.size());
        for (TransferId id : ids) {
            operations.add(byId.get(id).operation());
        }
        // Stable sort: operations recorded at the same instant keep the order they were first saved in.
        operations.sort(OLDEST_FIRST);
        return List.copyOf(operations);
    }

    @Override
    public List<RailOperation> claimDue(Instant now, int limit, String owner, Instant leaseUntil) {
        return Leases.claim(
                uow,
                byNextCheck,
                now,
                limit,
                owner,
                leaseUntil,
                id -> byId.get(id).operation().leaseUntil(),
                entry -> {
                    TransferId id = entry.getValue();
                    Held held = byId.get(id);
                    RailOperation leased = held.operation().withLease(owner, leaseUntil);
                    byId.put(id, new Held(leased, held.key()));
                    uow.onRollback(() -> byId.put(id, held));
                    return leased;
                });
    }
}
