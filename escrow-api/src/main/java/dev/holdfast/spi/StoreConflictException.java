package dev.holdfast.spi;

/**
 * Thrown by a store when a write lost a race: another unit of work changed the same data first (an optimistic
 * version check failed, a unique key was taken). The engine retries the whole command or reports {@link
 * dev.holdfast.api.ErrorCode#CONCURRENT_MODIFICATION}.
 *
 * @since 0.1
 */
public class StoreConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what conflicted */
    public StoreConflictException(String message) {
        super(message);
    }
}
