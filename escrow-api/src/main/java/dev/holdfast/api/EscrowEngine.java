package dev.holdfast.api;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The escrow engine as a host application sees it.
 *
 * <p><b>Idempotency.</b> Every command carries an {@link IdempotencyKey}. The same key with the same command returns
 * the first result (the escrow as it was right after that command), without acting again; the same key with a
 * different command fails with {@link ErrorCode#IDEMPOTENCY_CONFLICT}; while the first request is still being
 * processed a second one fails with {@link ErrorCode#IDEMPOTENCY_IN_PROGRESS}. A refused command does not consume
 * its key.
 *
 * <p><b>Rails.</b> Commands record their intent (events, rail operations in state {@code INIT}) before any rail is
 * called, then call the rail, then record the outcome. A rail answer that is lost is found again by the reconciler
 * in {@link #runDueWork()}; no payout is ever sent twice.
 *
 * <p>Implementations are thread-safe; several engines may share one store (one per app node).
 *
 * @since 0.1
 */
public interface EscrowEngine extends AutoCloseable {

    /**
     * Executes a command.
     *
     * @param key the idempotency key
     * @param command what to do
     * @return the escrow right after the command (for a retried key: as it was after the first one)
     * @throws EscrowException when refused; nothing was changed
     */
    EscrowView submit(IdempotencyKey key, EscrowCommand command);

    /**
     * Pays part of a party's internal balance out through a rail.
     *
     * @param key the idempotency key
     * @param withdraw what to pay out
     * @return the withdrawal
     * @throws EscrowException when refused; nothing was changed
     */
    WithdrawalView withdraw(IdempotencyKey key, Withdraw withdraw);

    /**
     * @param id an escrow id
     * @return the escrow as it is now, if it exists
     */
    Optional<EscrowView> find(EscrowId id);

    /**
     * @param id an escrow id
     * @return the escrow as it is now
     * @throws EscrowException {@link ErrorCode#ESCROW_NOT_FOUND}
     */
    default EscrowView get(EscrowId id) {
        return find(id).orElseThrow(() -> new EscrowException(ErrorCode.ESCROW_NOT_FOUND, id));
    }

    /**
     * Lists escrows page by page, oldest first.
     *
     * @param query which escrows and where the page starts
     * @return one page and the cursor of the next
     */
    EscrowPage list(EscrowQuery query);

    /**
     * @param id an escrow id
     * @return every event of the escrow, in order
     * @throws EscrowException {@link ErrorCode#ESCROW_NOT_FOUND}
     */
    List<EscrowEvent> history(EscrowId id);

    /**
     * @param transferId a withdrawal's transfer id
     * @return the withdrawal, if it exists
     */
    Optional<WithdrawalView> findWithdrawal(TransferId transferId);

    /**
     * @param party a party
     * @param asset an asset
     * @return the party's money in that asset
     */
    PartyBalance balance(PartyId party, Asset asset);

    /**
     * Fires due timers, reconciles rail operations that are pending or unknown, and delivers outbox events. A host
     * calls this on a schedule (the Jakarta module does), or uses {@link #startBackgroundWork(Duration)}.
     *
     * @return what was done
     */
    WorkReport runDueWork();

    /**
     * Runs {@link #runDueWork()} on a daemon thread at the given interval until {@link #close()}.
     *
     * @param interval time between passes
     */
    void startBackgroundWork(Duration interval);

    /**
     * Moves time forward (test mode only), then runs due work.
     *
     * @param escrow the one escrow to move, or {@code null} for the whole engine
     * @param by how far
     * @return what the work pass did
     * @throws EscrowException {@link ErrorCode#TEST_CLOCK_DISABLED} unless the engine runs on a {@link TestClock}
     */
    WorkReport advanceTime(EscrowId escrow, Duration by);

    /** @return the result of checking the whole audit log's hash chain */
    AuditVerification verifyAudit();

    /**
     * Writes the audit log as JSON lines, one entry a line, oldest first.
     *
     * @param out where to write
     * @throws IOException when writing fails
     */
    void exportAudit(Appendable out) throws IOException;

    /** Stops background work. The store is not closed. */
    @Override
    void close();
}
