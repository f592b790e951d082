package dev.holdfast.api;

import java.util.List;

/**
 * One page of {@link EscrowEngine#list}.
 *
 * @param items escrows, oldest first
 * @param nextCursor pass to {@link EscrowQuery#after} for the next page; {@code null} when this is the last page
 * @since 0.1
 */
public record EscrowPage(List<EscrowView> items, String nextCursor) {
    public EscrowPage {
        items = List.copyOf(items);
    }
}
