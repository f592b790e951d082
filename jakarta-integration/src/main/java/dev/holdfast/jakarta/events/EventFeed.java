package dev.holdfast.jakarta.events;

import dev.holdfast.api.DisputeView;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.PartyId;
import dev.holdfast.jakarta.security.Caller;
import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.spi.OutboxMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the engine's outbox as a feed, with the plugin's authorization: operators read every event, a party only
 * the events of an escrow it is buyer, seller or arbiter of, and is told that any other escrow does not exist.
 * Thread-safe.
 */
@ApplicationScoped
public class EventFeed {
    /** The most events a page holds. */
    public static final int MAX_LIMIT = 1000;
    // how many outbox rows one filtered page may read past, so a rare escrow cannot make a request scan everything
    private static final int MAX_SCAN = 10_000;
    private static final int SCAN_BATCH = 500;

    private EscrowEngine engine;
    private HoldfastStore store;

    /** For the CDI proxy. */
    protected EventFeed() {}

    /**
     * @param engine finds escrows to check who may read them
     * @param store holds the outbox
     */
    @Inject
    public EventFeed(EscrowEngine engine, HoldfastStore store) {
        this.engine = engine;
        this.store = store;
    }

    /**
     * Which events a caller reads: every event, or one escrow's.
     *
     * @param escrow the escrow, or {@code null} for every event
     */
    public record Filter(String escrow) {
        /** @return every event */
        public static Filter all() {
            return new Filter(null);
        }

        boolean accepts(OutboxMessage m) {
            return escrow == null || escrow.equals(m.subject());
        }
    }

    /**
     * Checks that the caller may read these events.
     *
     * @param caller the caller
     * @param escrow the escrow filter, or {@code null}
     * @return the filter to read with
     * @throws EscrowException {@link ErrorCode#OPERATOR_REQUIRED} for a party without an escrow filter,
     *     {@link ErrorCode#ESCROW_NOT_FOUND} for an escrow the party has no role in, {@link ErrorCode#INVALID_ID}
     */
    public Filter authorize(Caller caller, String escrow) {
        Objects.requireNonNull(caller, "caller");
        if (escrow == null || escrow.isEmpty()) {
            if (!caller.operator()) {
                throw new EscrowException(ErrorCode.OPERATOR_REQUIRED, "reading the events of every escrow");
            }
            return Filter.all();
        }
        EscrowId id = EscrowId.of(escrow);
        if (!caller.operator()) {
            Optional<EscrowView> view = engine.find(id);
            // the same answer for "no such escrow" and "not yours": no existence leak
            if (view.isEmpty() || !involves(view.get(), caller.party())) {
                throw new EscrowException(ErrorCode.ESCROW_NOT_FOUND, escrow);
            }
        }
        return new Filter(id.value());
    }

    /**
     * @param filter what to read, from {@link #authorize}
     * @param after read events after this sequence
     * @param limit at most this many, 1 to {@link #MAX_LIMIT}
     * @return the page
     * @throws EscrowException {@link ErrorCode#INVALID_REQUEST} for a negative {@code after} or a bad limit
     */
    public EventPage read(Filter filter, long after, int limit) {
        if (after < 0 || limit < 1 || limit > MAX_LIMIT) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "after must be >= 0 and limit 1 to " + MAX_LIMIT);
        }
        List<EventItem> items = new ArrayList<>();
        long cursor = after;
        int scanned = 0;
        while (items.size() < limit && scanned < MAX_SCAN) {
            long from = cursor;
            int batch = filter.escrow() == null ? limit - items.size() : SCAN_BATCH;
            List<OutboxMessage> read = store.inTransaction(tx -> tx.outbox().read(from, batch));
            if (read.isEmpty()) {
                break;
            }
            for (OutboxMessage m : read) {
                cursor = m.sequence();
                scanned++;
                if (filter.accepts(m)) {
                    items.add(EventItem.of(m));
                    if (items.size() == limit) {
                        break;
                    }
                }
            }
            if (read.size() < batch) {
                break;
            }
        }
        return new EventPage(items, cursor);
    }

    private static boolean involves(EscrowView e, PartyId party) {
        if (party == null) {
            return false;
        }
        if (party.equals(e.buyer()) || party.equals(e.seller())) {
            return true;
        }
        for (DisputeView d : e.disputes()) {
            if (party.equals(d.arbiter()) || party.equals(d.appealArbiter())) {
                return true;
            }
        }
        return false;
    }
}
