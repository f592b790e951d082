package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.spi.StoreConflictException;
import dev.holdfast.spi.StoreTransaction;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import java.util.Objects;
import java.util.function.Function;

/**
 * The engine's durable store on JPA (EclipseLink), for PostgreSQL in production and H2 embedded.
 *
 * <p>Each {@link #inTransaction} opens an entity manager and a resource-local transaction of its own, so the store
 * behaves the same in Java SE and in a Jakarta EE server (where the persistence unit uses a non-JTA data source):
 * the engine's units of work must commit before it calls a rail, whatever transaction the caller runs in. Several
 * app nodes may share one database: appends lock the escrow's stream row, global logs lock one counters row (see
 * {@link JpaOutbox} for why the feed never skips), claims use {@code SELECT ... FOR UPDATE SKIP LOCKED} with leases,
 * and every lost race (unique key, optimistic version, deadlock, serialization failure) surfaces as {@link
 * StoreConflictException}, failing the whole unit of work even when the work catches it.
 *
 * <p>The schema comes from {@link HoldfastMigrations}; the factory from {@link HoldfastPersistence}. Thread-safe.
 *
 * @since 0.5
 */
public final class JpaHoldfastStore implements HoldfastStore {
    private final EntityManagerFactory entityManagerFactory;

    /**
     * @param entityManagerFactory of the persistence unit {@code holdfast} (see {@link HoldfastPersistence}), on a
     *     migrated database; the caller closes it
     */
    public JpaHoldfastStore(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = Objects.requireNonNull(entityManagerFactory, "entityManagerFactory");
    }

    @Override
    public <T> T inTransaction(Function<StoreTransaction, T> work) {
        EntityManager em = entityManagerFactory.createEntityManager();
        try {
            EntityTransaction transaction = em.getTransaction();
            transaction.begin();
            JpaUnit unit = new JpaUnit(em);
            T result;
            try {
                result = work.apply(unit);
            } catch (RuntimeException | Error e) {
                rollback(transaction);
                // after a conflict, what the work threw next is a consequence of it (an aborted transaction)
                if (unit.conflict() != null) {
                    throw unit.conflict();
                }
                throw e;
            }
            if (unit.conflict() != null) {
                rollback(transaction);
                throw unit.conflict();
            }
            try {
                transaction.commit();
            } catch (RuntimeException e) {
                rollback(transaction);
                StoreConflictException conflict = Conflicts.translate(e);
                throw conflict != null ? conflict : e;
            }
            return result;
        } finally {
            em.close();
        }
    }

    private static void rollback(EntityTransaction transaction) {
        try {
            if (transaction.isActive()) {
                transaction.rollback();
            }
        } catch (RuntimeException ignored) {
            // the connection is gone or the transaction already ended; the original failure is what matters
        }
    }
}
