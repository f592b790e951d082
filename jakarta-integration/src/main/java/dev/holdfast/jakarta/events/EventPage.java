package dev.holdfast.jakarta.events;

import java.util.List;

/**
 * A page of the event feed. Immutable and thread-safe.
 *
 * @param items the events, in sequence order
 * @param nextAfter the {@code after} of the next page: the last sequence this page read past (with an escrow filter
 *     it may be beyond the last item, as events of other escrows were skipped)
 */
public record EventPage(List<EventItem> items, long nextAfter) {
    public EventPage {
        items = List.copyOf(items);
    }
}
