package dev.holdfast.examples.shop;

import dev.holdfast.api.PartyId;
import java.util.List;
import java.util.Objects;

/**
 * Something the shop sells: goods (one milestone, paid on delivery) or a freelance job (several milestones, each a
 * share of the price). Prices are in US cents; {@link Pricing} converts them to each rail's asset. Immutable.
 *
 * @param id stable id, used in URLs and test ids
 * @param kind goods or job
 * @param title short title
 * @param description one line
 * @param seller who sells it
 * @param priceCents the price in US cents
 * @param milestones the milestones; their percentages add up to 100
 */
public record Listing(
        String id,
        Kind kind,
        String title,
        String description,
        PartyId seller,
        long priceCents,
        List<Stage> milestones) {

    /** What is sold. */
    public enum Kind {
        /** A thing, delivered once. */
        GOODS,
        /** Work paid in milestones. */
        JOB
    }

    /**
     * One milestone of a listing.
     *
     * @param id milestone id ({@code m1}, {@code m2}, ...)
     * @param title what is delivered
     * @param percent share of the price
     */
    public record Stage(String id, String title, int percent) {}

    public Listing {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(seller, "seller");
        milestones = List.copyOf(milestones);
        if (priceCents <= 0) {
            throw new IllegalArgumentException("price must be positive");
        }
        if (milestones.stream().mapToInt(Stage::percent).sum() != 100) {
            throw new IllegalArgumentException(id + ": milestone shares must add up to 100");
        }
    }
}
