package dev.holdfast.tck.rail;

import dev.holdfast.api.TransferId;
import dev.holdfast.spi.RailListener;
import dev.holdfast.spi.RailNotification;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The kit's listener: records every notification a rail delivers, in order, and lets a test wait for one. Like the
 * engine's listener it is well-behaved: it accepts duplicates and returns at once.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class RailNotificationRecorder implements RailListener {
    private final List<RailNotification> received = new CopyOnWriteArrayList<>();

    @Override
    public void onNotification(RailNotification notification) {
        received.add(notification);
    }

    /** @return every notification so far, in order of delivery */
    public List<RailNotification> all() {
        return List.copyOf(received);
    }

    /**
     * @param transferId a transfer
     * @return the notifications about it so far, in order
     */
    public List<RailNotification> about(TransferId transferId) {
        return received.stream().filter(n -> n.transferId().equals(transferId)).toList();
    }

    /**
     * @param type a notification type
     * @param transferId a transfer
     * @param <T> the type
     * @return the notifications of that type about it so far, in order
     */
    public <T extends RailNotification> List<T> of(Class<T> type, TransferId transferId) {
        return received.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(n -> n.transferId().equals(transferId))
                .toList();
    }

    /**
     * Waits until a notification matching the predicate has been delivered.
     *
     * @param matching what to wait for
     * @param timeout how long at most
     * @return the first match, or empty when none came in time
     */
    public Optional<RailNotification> await(Predicate<RailNotification> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<RailNotification> match =
                    received.stream().filter(matching).findFirst();
            if (match.isPresent() || System.nanoTime() - deadline > 0) {
                return match;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return match;
            }
        }
    }

    /**
     * Waits for a notification of a type about a transfer.
     *
     * @param type the type
     * @param transferId the transfer
     * @param timeout how long at most
     * @param <T> the type
     * @return the first one, or empty when none came in time
     */
    public <T extends RailNotification> Optional<T> await(Class<T> type, TransferId transferId, Duration timeout) {
        return await(n -> type.isInstance(n) && n.transferId().equals(transferId), timeout)
                .map(type::cast);
    }
}
