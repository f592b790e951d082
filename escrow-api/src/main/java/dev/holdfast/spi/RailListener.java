package dev.holdfast.spi;

/**
 * Receives a rail's notifications. The engine's listener is thread-safe and returns quickly; it never throws.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RailListener {
    /** @param notification what happened */
    void onNotification(RailNotification notification);
}
