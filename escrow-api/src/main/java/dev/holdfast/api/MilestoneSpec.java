package dev.holdfast.api;

import java.time.Instant;
import java.util.Objects;

/**
 * One milestone as the host asks for it when creating an escrow. Immutable and thread-safe.
 *
 * @param id unique within the escrow
 * @param title what the seller delivers, for people
 * @param amountMinor the milestone's share of the escrow amount, in the asset's smallest unit
 * @param deliverBy the seller must mark delivery before this instant, or the milestone is refunded
 * @since 0.1
 */
public record MilestoneSpec(MilestoneId id, String title, long amountMinor, Instant deliverBy) {
    public MilestoneSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deliverBy, "deliverBy");
        title = title == null ? "" : title;
    }
}
