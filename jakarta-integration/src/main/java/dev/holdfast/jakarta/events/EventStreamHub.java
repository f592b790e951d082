package dev.holdfast.jakarta.events;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the open SSE streams and feeds them from the store. A stream is a small task on a shared scheduler, not a
 * thread: every {@link EventStreamConfig#pollInterval()} it reads the events after its cursor and writes them, and
 * after {@link EventStreamConfig#heartbeatInterval()} of silence it writes a comment. A write that fails (the client
 * went away) closes the stream and cancels its task. {@link #nudge()} makes every stream poll now, for events this
 * node just wrote; events from other nodes arrive by polling. Thread-safe.
 */
@ApplicationScoped
public class EventStreamHub implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventStreamHub.class.getName());
    private static final long SEND_TIMEOUT_SECONDS = 10;

    private EventFeed feed;
    private EventStreamConfig config;
    private ScheduledExecutorService scheduler;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

    /** For the CDI proxy. */
    protected EventStreamHub() {}

    /**
     * @param feed reads the events
     * @param config poll and heartbeat intervals
     */
    @Inject
    public EventStreamHub(EventFeed feed, EventStreamConfig config) {
        this.feed = feed;
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(config.threads(), r -> {
            Thread t = new Thread(r, "holdfast-sse-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // cancelled streams leave the queue at once instead of at their next due time
        pool.setRemoveOnCancelPolicy(true);
        this.scheduler = pool;
    }

    /**
     * Starts streaming events after {@code after} to the sink, until the client goes away or the hub closes.
     *
     * @param sink the client's sink
     * @param sse builds events
     * @param filter what the caller may read, from {@link EventFeed#authorize}
     * @param after the last sequence the client has seen
     */
    public void open(SseEventSink sink, Sse sse, EventFeed.Filter filter, long after) {
        Stream stream = new Stream(sink, sse, filter, after);
        streams.add(stream);
        stream.future = scheduler.scheduleWithFixedDelay(
                stream::tick, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Makes every stream poll now, such as right after this node wrote events. */
    public void nudge() {
        for (Stream s : streams) {
            scheduler.execute(s::tick);
        }
    }

    /** @return the number of open streams */
    public int openStreams() {
        return streams.size();
    }

    /** Closes every stream and stops polling. */
    @Override
    @PreDestroy
    public void close() {
        for (Stream s : streams) {
            s.close();
        }
        scheduler.shutdownNow();
    }

    private final class Stream {
        final SseEventSink sink;
        final Sse sse;
        final EventFeed.Filter filter;
        long cursor;
        long lastWrite;
        boolean first = true;
        volatile ScheduledFuture<?> future;
        volatile boolean closed;

        Stream(SseEventSink sink, Sse sse, EventFeed.Filter filter, long after) {
            this.sink = sink;
            this.sse = sse;
            this.filter = filter;
            this.cursor = after;
            this.lastWrite = System.nanoTime();
        }

        // synchronized: a nudge and the schedule may run the same stream at once; the cursor must move once
        synchronized void tick() {
            if (closed) {
                return;
            }
            try {
                if (sink.isClosed()) {
                    close();
                    return;
                }
                if (first) {
                    // commits the response headers now, so the client knows the stream is open
                    send(sse.newEventBuilder().comment("connected").build());
                    first = false;
                }
                boolean more = true;
                while (more && !closed) {
                    EventPage page = feed.read(filter, cursor, config.batchSize());
                    for (EventItem item : page.items()) {
                        send(sse.newEventBuilder()
                                .id(Long.toString(item.sequence()))
                                .name(item.type())
                                .mediaType(MediaType.TEXT_PLAIN_TYPE)
                                .data(String.class, item.payload().toString())
                                .build());
                    }
                    more = page.nextAfter() > cursor && !page.items().isEmpty();
                    cursor = page.nextAfter();
                }
                if (System.nanoTime() - lastWrite >= config.heartbeatInterval().toNanos()) {
                    send(sse.newEventBuilder().comment("heartbeat").build());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing an event stream", e);
                close();
            }
        }

        private void send(OutboundSseEvent event) {
            try {
                sink.send(event).toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (Exception e) {
                throw new IllegalStateException("the client is gone", e);
            }
            lastWrite = System.nanoTime();
        }

        void close() {
            closed = true;
            streams.remove(this);
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "event stream was already closed", e);
            }
        }
    }
}
