package dev.holdfast.lightning.simulator;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.lightningj.lnd.wrapper.StatusException;

/** Records what a stream delivers, for tests that wait on it. Thread-safe. */
final class Recorder<T> implements StreamObserver<T> {
    static final Duration WAIT = Duration.ofSeconds(5);

    /** One stream event: a value, the end, or an error with its status. */
    record Event<T>(T value, boolean completed, Status error) {}

    private final BlockingQueue<Event<T>> events = new LinkedBlockingQueue<>();

    @Override
    public void onNext(T value) {
        events.add(new Event<>(value, false, null));
    }

    @Override
    public void onError(Throwable t) {
        events.add(new Event<>(null, false, statusOf(t)));
    }

    @Override
    public void onCompleted() {
        events.add(new Event<>(null, true, null));
    }

    /** The next event, failing the test when none comes in time. */
    Event<T> next() throws InterruptedException {
        Event<T> e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no stream event within " + WAIT);
        }
        return e;
    }

    T nextValue() throws InterruptedException {
        Event<T> e = next();
        if (e.value() == null) {
            throw new AssertionError("expected a value, got " + e);
        }
        return e.value();
    }

    /** Null when nothing arrives within {@code wait}. */
    Event<T> poll(Duration wait) throws InterruptedException {
        return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Status statusOf(Throwable t) {
        if (t instanceof StatusException se) {
            return se.getStatus();
        }
        return Status.fromThrowable(t);
    }
}
