package dev.holdfast.jakarta.events;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.jakarta.security.Caller;
import dev.holdfast.jakarta.security.CallerResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * The event feed and live events:
 *
 * <ul>
 *   <li>{@code GET holdfast/v1/events?after=&limit=&escrow=} a page of events after a sequence ({@link EventPage})
 *   <li>{@code GET holdfast/v1/events/stream?escrow=&after=} server-sent events: {@code id} is the sequence,
 *       {@code event} the type, {@code data} the event JSON; resumes after the {@code Last-Event-ID} header (or
 *       {@code after}), so a client that reconnects loses and repeats nothing
 * </ul>
 *
 * Operators read every event; a party reads only with {@code escrow=} set to an escrow it is buyer, seller or
 * arbiter of.
 */
@ApplicationScoped
@Path("holdfast/v1/events")
public class EventsResource {
    private EventFeed feed;
    private EventStreamHub hub;
    private CallerResolver callers;

    /** For the CDI proxy. */
    protected EventsResource() {}

    /**
     * @param feed reads and authorizes
     * @param hub keeps the live streams
     * @param callers maps the security context to a caller
     */
    @Inject
    public EventsResource(EventFeed feed, EventStreamHub hub, CallerResolver callers) {
        this.feed = feed;
        this.hub = hub;
        this.callers = callers;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public EventPage read(
            @Context SecurityContext security,
            @QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("escrow") String escrow) {
        EventFeed.Filter filter = feed.authorize(caller(security), escrow);
        return feed.read(filter, after, limit);
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(
            @Context SecurityContext security,
            @Context SseEventSink sink,
            @Context Sse sse,
            @HeaderParam(HttpHeaders.LAST_EVENT_ID_HEADER) String lastEventId,
            @QueryParam("after") String after,
            @QueryParam("escrow") String escrow) {
        EventFeed.Filter filter = feed.authorize(caller(security), escrow);
        // a reconnecting client repeats the original URL; its Last-Event-ID is the newer position
        long from = position(lastEventId != null && !lastEventId.isBlank() ? lastEventId : after);
        hub.open(sink, sse, filter, from);
    }

    private static long position(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long p = Long.parseLong(value.trim());
            if (p >= 0) {
                return p;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new EscrowException(ErrorCode.INVALID_REQUEST, "an event position is a sequence number >= 0");
    }

    private Caller caller(SecurityContext security) {
        return callers.resolve(security).orElseThrow(() -> new NotAuthorizedException("Bearer"));
    }
}
