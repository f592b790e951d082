package dev.holdfast.jakarta.cdi;

import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.WorkReport;
import dev.holdfast.jakarta.webhooks.WebhookConfig;
import dev.holdfast.jakarta.webhooks.WebhookDeliveryWorker;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Drives the engine's background work: at start-up (which also builds the engine, so a misconfiguration fails the
 * deployment) it schedules {@link EscrowEngine#runDueWork()} every {@code holdfast.work-interval} on the container's
 * {@link ManagedScheduledExecutorService}; before the application's beans are destroyed it cancels the schedule and
 * waits for a pass in progress. Without a managed executor (a Java SE CDI container) it falls back to {@link
 * EscrowEngine#startBackgroundWork}. The {@link WebhookDeliveryWorker} runs on the same executor every {@code
 * holdfast.webhooks.poll-interval}. A failing pass is logged and counted, and the next pass runs as planned.
 */
@ApplicationScoped
public class HoldfastWorker {
    private static final System.Logger LOG = System.getLogger(HoldfastWorker.class.getName());

    @Inject
    EscrowEngine engine;

    @Inject
    HoldfastConfig config;

    @Inject
    Instance<WebhookDeliveryWorker> webhooks;

    @Inject
    Instance<WebhookConfig> webhookConfig;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService executor;

    private final ReentrantLock pass = new ReentrantLock();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong timersFired = new AtomicLong();
    private final AtomicLong operationsReconciled = new AtomicLong();
    private final AtomicLong eventsDelivered = new AtomicLong();
    private final AtomicLong webhookAttempts = new AtomicLong();
    private final AtomicLong webhookPassFailures = new AtomicLong();
    private volatile ScheduledFuture<?> schedule;
    private volatile ScheduledFuture<?> webhookSchedule;
    private volatile boolean stopped;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        long every = config.workInterval().toMillis();
        if (executor == null) {
            LOG.log(Level.INFO, "no managed scheduled executor: the engine runs its own background thread");
            engine.startBackgroundWork(config.workInterval());
            return;
        }
        schedule = executor.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
        if (webhooks.isResolvable() && webhookConfig.isResolvable()) {
            long poll = webhookConfig.get().pollInterval().toMillis();
            webhookSchedule = executor.scheduleWithFixedDelay(this::deliverWebhooks, poll, poll, TimeUnit.MILLISECONDS);
        }
        LOG.log(Level.INFO, "Holdfast background work every {0} ms on node {1}", every, config.nodeId());
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        stopped = true;
        for (ScheduledFuture<?> s : new ScheduledFuture<?>[] {schedule, webhookSchedule}) {
            if (s != null) {
                s.cancel(false);
            }
        }
        try {
            // Let a pass in progress finish its unit of work rather than interrupt it halfway.
            if (pass.tryLock(10, TimeUnit.SECONDS)) {
                pass.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs one pass now, unless one is running or the worker stopped.
     *
     * @return whether a pass ran
     */
    public boolean runOnce() {
        if (stopped || !pass.tryLock()) {
            return false;
        }
        try {
            WorkReport r = engine.runDueWork();
            passes.incrementAndGet();
            timersFired.addAndGet(r.timersFired());
            operationsReconciled.addAndGet(r.operationsReconciled());
            eventsDelivered.addAndGet(r.eventsDelivered());
            return true;
        } catch (RuntimeException e) {
            // Never let it escape: a scheduled task that throws is never run again.
            failures.incrementAndGet();
            LOG.log(Level.WARNING, "Holdfast background work failed; retrying at the next pass", e);
            return true;
        } finally {
            pass.unlock();
        }
    }

    private void deliverWebhooks() {
        if (stopped) {
            return;
        }
        try {
            webhookAttempts.addAndGet(webhooks.get().runOnce());
        } catch (RuntimeException e) {
            // e.g. the webhook tables or holdfast.secrets.keys are missing: log, count, and try again next time
            webhookPassFailures.incrementAndGet();
            LOG.log(Level.WARNING, "Holdfast webhook delivery failed; retrying at the next pass", e);
        }
    }

    /** @return webhook delivery attempts made so far (each a POST to a receiver) */
    public long webhookAttempts() {
        return webhookAttempts.get();
    }

    /** @return webhook delivery passes that failed as a whole */
    public long webhookPassFailures() {
        return webhookPassFailures.get();
    }

    /** @return passes completed */
    public long passes() {
        return passes.get();
    }

    /** @return passes that failed */
    public long failures() {
        return failures.get();
    }

    /** @return timers fired so far */
    public long timersFired() {
        return timersFired.get();
    }

    /** @return rail operations reconciled so far */
    public long operationsReconciled() {
        return operationsReconciled.get();
    }

    /** @return outbox events delivered so far */
    public long eventsDelivered() {
        return eventsDelivered.get();
    }
}
