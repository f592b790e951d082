package dev.holdfast.jakarta.cdi;

import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowPage;
import dev.holdfast.api.EscrowQuery;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.RailId;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * MicroProfile Metrics of the plugin, in the application registry:
 *
 * <ul>
 *   <li>{@code holdfast_escrows{status}}: escrows by status (counted by listing, cached for 30 s)
 *   <li>{@code holdfast_rail_call{rail,operation,status}}: a timer of every rail call
 *   <li>{@code holdfast_rail_awaiting_outcome{rail}}: transfers this node saw PENDING or UNKNOWN and not yet final,
 *       the reconciler's backlog
 *   <li>{@code holdfast_work_passes}, {@code holdfast_work_failures}, {@code holdfast_work_timers_fired}, {@code
 *       holdfast_work_operations_reconciled}, {@code holdfast_work_events_delivered}: background work totals
 *   <li>{@code holdfast_event_delivery_failures{sink}}: outbox deliveries that failed, per sink (the webhook fan-out
 *       included)
 *   <li>{@code holdfast_webhook_attempts}, {@code holdfast_webhook_pass_failures}: webhook POSTs made, and delivery
 *       passes that failed as a whole
 * </ul>
 */
@ApplicationScoped
public class HoldfastMetrics implements RailCallObserver {
    private static final Duration COUNT_CACHE = Duration.ofSeconds(30);

    @Inject
    MetricRegistry registry;

    @Inject
    EscrowEngine engine;

    @Inject
    HoldfastRails rails;

    @Inject
    HoldfastWorker worker;

    private volatile Map<EscrowStatus, Long> counts = Map.of();
    private volatile long countedAt = Long.MIN_VALUE;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        for (EscrowStatus s : EscrowStatus.values()) {
            registry.gauge("holdfast_escrows", this, m -> m.escrows(s), new Tag("status", s.name()));
        }
        for (PaymentRail rail : rails.all()) {
            if (rail instanceof MeteredPaymentRail m) {
                registry.gauge(
                        "holdfast_rail_awaiting_outcome",
                        m,
                        MeteredPaymentRail::awaitingOutcome,
                        new Tag("rail", rail.id().value()));
            }
        }
        registry.gauge("holdfast_work_passes", worker, HoldfastWorker::passes);
        registry.gauge("holdfast_work_failures", worker, HoldfastWorker::failures);
        registry.gauge("holdfast_work_timers_fired", worker, HoldfastWorker::timersFired);
        registry.gauge("holdfast_work_operations_reconciled", worker, HoldfastWorker::operationsReconciled);
        registry.gauge("holdfast_work_events_delivered", worker, HoldfastWorker::eventsDelivered);
        registry.gauge("holdfast_webhook_attempts", worker, HoldfastWorker::webhookAttempts);
        registry.gauge("holdfast_webhook_pass_failures", worker, HoldfastWorker::webhookPassFailures);
    }

    @Override
    public void onCall(RailId rail, String operation, Duration elapsed, RailStatus status) {
        registry.timer(
                        "holdfast_rail_call",
                        new Tag("rail", rail.value()),
                        new Tag("operation", operation),
                        new Tag("status", status == null ? "EXCEPTION" : status.name()))
                .update(elapsed);
    }

    /**
     * Counts a failed outbox delivery.
     *
     * @param sink the sink's name
     */
    void deliveryFailed(String sink) {
        registry.counter("holdfast_event_delivery_failures", new Tag("sink", sink))
                .inc();
    }

    private long escrows(EscrowStatus status) {
        long now = System.nanoTime();
        if (countedAt == Long.MIN_VALUE || now - countedAt > COUNT_CACHE.toNanos()) {
            counts = countAll();
            countedAt = now;
        }
        return counts.getOrDefault(status, 0L);
    }

    private Map<EscrowStatus, Long> countAll() {
        Map<EscrowStatus, Long> c = new EnumMap<>(EscrowStatus.class);
        for (EscrowStatus s : EscrowStatus.values()) {
            long n = 0;
            EscrowQuery q = new EscrowQuery(null, Set.of(s), null, EscrowQuery.MAX_LIMIT);
            while (true) {
                EscrowPage page = engine.list(q);
                n += page.items().size();
                if (page.nextCursor() == null || page.items().isEmpty()) {
                    break;
                }
                q = q.after(page.nextCursor());
            }
            c.put(s, n);
        }
        return c;
    }
}
