package dev.holdfast.jakarta.cdi;

import dev.holdfast.spi.EventSink;
import dev.holdfast.spi.OutboxMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's one {@link EventSink}: hands every outbox message to each {@link EventSink} bean of the application
 * (webhook fan-out, a message broker bridge) and fires it as a CDI event ({@code @Observes OutboxMessage}). Every
 * sink and observer is tried; when any failed the message is retried later for all of them, so receivers
 * de-duplicate by {@link OutboxMessage#eventId()} (the outbox is at-least-once anyway). Counts failures per sink.
 *
 * <p>Typed to itself only, so it is not one of the {@code EventSink} beans it composes.
 */
@ApplicationScoped
@Typed(HoldfastEventSinks.class)
public class HoldfastEventSinks implements EventSink {
    @Inject
    @Any
    Instance<EventSink> sinks;

    @Inject
    Event<OutboxMessage> events;

    @Inject
    Instance<HoldfastMetrics> metrics;

    private final ConcurrentMap<String, AtomicLong> failures = new ConcurrentHashMap<>();

    @Override
    public void deliver(OutboxMessage message) throws Exception {
        Exception first = null;
        for (EventSink sink : sinks) {
            try {
                sink.deliver(message);
            } catch (Exception e) {
                failed(name(sink));
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        try {
            events.fire(message);
        } catch (RuntimeException e) {
            failed("cdi-observers");
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void failed(String sink) {
        failures.computeIfAbsent(sink, k -> new AtomicLong()).incrementAndGet();
        // Looked up per failure, not injected directly: the metrics bean depends on the engine, which depends on us.
        if (metrics.isResolvable()) {
            metrics.get().deliveryFailed(sink);
        }
    }

    private static String name(EventSink sink) {
        String n = sink.getClass().getName();
        int proxy = n.indexOf('$');
        return proxy > 0 ? n.substring(0, proxy) : n;
    }

    /** @return delivery failures so far, by sink class name ({@code cdi-observers} for CDI observers) */
    public java.util.Map<String, Long> failures() {
        java.util.Map<String, Long> copy = new java.util.TreeMap<>();
        failures.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }
}
