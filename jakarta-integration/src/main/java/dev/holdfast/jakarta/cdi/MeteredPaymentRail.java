package dev.holdfast.jakarta.cdi;

import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCallback;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailHealth;
import dev.holdfast.spi.RailListener;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A {@link PaymentRail} decorator that times every call and keeps this node's view of the transfers still awaiting an
 * outcome (last answer PENDING or UNKNOWN, no final notification yet): the reconciler's backlog as a metric. Plain
 * Java, no container needed. Thread-safe; closing it closes the rail when that is {@link AutoCloseable}.
 */
public final class MeteredPaymentRail implements PaymentRail, AutoCloseable {
    private final PaymentRail delegate;
    private final RailCallObserver observer;
    private final Set<TransferId> awaiting = ConcurrentHashMap.newKeySet();

    /**
     * @param delegate the rail
     * @param observer told about every call
     */
    public MeteredPaymentRail(PaymentRail delegate, RailCallObserver observer) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** @return the decorated rail */
    public PaymentRail delegate() {
        return delegate;
    }

    /** @return how many transfers this node saw answered PENDING or UNKNOWN and not yet settled either way */
    public int awaitingOutcome() {
        return awaiting.size();
    }

    private RailResult timed(String operation, TransferId transferId, Supplier<RailResult> call) {
        long start = System.nanoTime();
        RailStatus status = null;
        try {
            RailResult r = call.get();
            status = r == null ? null : r.status();
            track(transferId, status);
            return r;
        } finally {
            observer.onCall(delegate.id(), operation, Duration.ofNanos(System.nanoTime() - start), status);
        }
    }

    private void track(TransferId transferId, RailStatus status) {
        if (transferId == null || status == null) {
            return;
        }
        switch (status) {
            case PENDING, UNKNOWN -> awaiting.add(transferId);
            case SUCCEEDED, FAILED -> awaiting.remove(transferId);
        }
    }

    @Override
    public RailId id() {
        return delegate.id();
    }

    @Override
    public RailCapabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public RailResult openFunding(FundingRequest request) {
        return timed("openFunding", request.transferId(), () -> delegate.openFunding(request));
    }

    @Override
    public RailResult cancelFunding(TransferId fundingTransferId) {
        return timed("cancelFunding", fundingTransferId, () -> delegate.cancelFunding(fundingTransferId));
    }

    @Override
    public RailResult payout(PayoutRequest request) {
        return timed("payout", request.transferId(), () -> delegate.payout(request));
    }

    @Override
    public RailResult query(TransferId transferId) {
        return timed("query", transferId, () -> delegate.query(transferId));
    }

    @Override
    public RailResult submitPartyResponse(TransferId transferId, Role party, String payload) {
        return timed("submitPartyResponse", transferId, () -> delegate.submitPartyResponse(transferId, party, payload));
    }

    @Override
    public RailResult onCallback(RailCallback callback) {
        return timed("onCallback", null, () -> delegate.onCallback(callback));
    }

    @Override
    public RailHealth checkHealth() {
        return delegate.checkHealth();
    }

    @Override
    public void setListener(RailListener listener) {
        delegate.setListener(n -> {
            // Funded, PayoutSucceeded, PayoutFailed and FundingLapsed are final; HoldExpiring is not.
            if (!(n instanceof dev.holdfast.spi.RailNotification.HoldExpiring)) {
                awaiting.remove(n.transferId());
            }
            listener.onNotification(n);
        });
    }

    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return "Metered[" + delegate + "]";
    }
}
