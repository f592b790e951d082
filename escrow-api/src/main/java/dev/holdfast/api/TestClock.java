package dev.holdfast.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a host or a test moves by hand. An engine built on a {@code TestClock} lets {@link
 * EscrowEngine#advanceTime} move time for the whole engine or for one escrow.
 *
 * <p>Thread-safe: readers see every advance made before.
 *
 * @since 0.1
 */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    /** @param start the initial instant */
    public TestClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private TestClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * @param by how far, zero or more
     * @return the new instant
     */
    public Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "time cannot go back: " + by);
        }
        return now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new TestClock(now, zone);
    }
}
