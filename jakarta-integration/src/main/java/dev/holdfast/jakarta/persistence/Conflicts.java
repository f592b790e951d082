package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.StoreConflictException;
import java.sql.SQLException;
import java.util.Set;

/** Which database failures mean "another unit of work got there first". */
final class Conflicts {
    /**
     * 23505 unique violation (event version, idempotency key, journal entry id: both databases), 40001
     * serialization failure, 40P01 deadlock (PostgreSQL), HYT00 lock timeout (H2), 55P03 lock not available.
     */
    private static final Set<String> STATES = Set.of("23505", "40001", "40P01", "HYT00", "55P03");

    private static final Set<String> EXCEPTIONS = Set.of(
            "jakarta.persistence.OptimisticLockException",
            "jakarta.persistence.PessimisticLockException",
            "jakarta.persistence.LockTimeoutException",
            "jakarta.persistence.EntityExistsException",
            "org.eclipse.persistence.exceptions.OptimisticLockException");

    private Conflicts() {}

    /** @return the conflict the failure means, or {@code null} when it is some other failure */
    static StoreConflictException translate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreConflictException c) {
                return c;
            }
            if (EXCEPTIONS.contains(t.getClass().getName())) {
                return conflict(failure, t);
            }
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null && STATES.contains(s.getSQLState())) {
                        return conflict(failure, s);
                    }
                }
            }
        }
        return null;
    }

    private static StoreConflictException conflict(Throwable failure, Throwable reason) {
        StoreConflictException e = new StoreConflictException("the database refused a racing write: " + reason);
        e.initCause(failure);
        return e;
    }
}
