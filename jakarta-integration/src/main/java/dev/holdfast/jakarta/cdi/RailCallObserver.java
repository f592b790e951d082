package dev.holdfast.jakarta.cdi;

import dev.holdfast.api.RailId;
import dev.holdfast.spi.RailStatus;
import java.time.Duration;

/** Told about every call a {@link MeteredPaymentRail} forwards; implementations are thread-safe and fast. */
@FunctionalInterface
public interface RailCallObserver {
    /** Observes nothing. */
    RailCallObserver NONE = (rail, operation, elapsed, status) -> {};

    /**
     * @param rail the rail called
     * @param operation the {@link dev.holdfast.spi.PaymentRail} method, e.g. {@code openFunding}
     * @param elapsed how long the call took
     * @param status the outcome, or {@code null} when the call threw
     */
    void onCall(RailId rail, String operation, Duration elapsed, RailStatus status);
}
