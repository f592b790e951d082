package dev.holdfast.examples.shop;

import dev.holdfast.api.PartyId;
import java.util.List;
import java.util.Optional;

/**
 * The shop's listings. Fixed in code: a demo shop, and the one place prices come from (checkout never reads a price
 * from the browser). Immutable and thread-safe.
 */
public final class Catalog {
    /** The demo seller. */
    public static final PartyId BEN = PartyId.of("ben");

    private static final List<Listing> LISTINGS = List.of(
            goods("camera", "Film camera", "A 1970s rangefinder, tested, with a fresh light seal.", 2_500),
            goods("bike", "City bike", "Three gears, new tyres, a basket.", 12_000),
            goods("lamp", "Desk lamp", "Brass, rewired.", 800),
            new Listing(
                    "logo-job",
                    Listing.Kind.JOB,
                    "Logo design",
                    "Two rounds of sketches, then the final files.",
                    BEN,
                    30_000,
                    List.of(new Listing.Stage("m1", "Sketches", 40), new Listing.Stage("m2", "Final files", 60))),
            new Listing(
                    "website-job",
                    Listing.Kind.JOB,
                    "Small website",
                    "Design, build and launch of a five-page site.",
                    BEN,
                    90_000,
                    List.of(
                            new Listing.Stage("m1", "Design", 30),
                            new Listing.Stage("m2", "Build", 50),
                            new Listing.Stage("m3", "Launch", 20))));

    private Catalog() {}

    private static Listing goods(String id, String title, String description, long cents) {
        return new Listing(
                id, Listing.Kind.GOODS, title, description, BEN, cents, List.of(new Listing.Stage("m1", title, 100)));
    }

    /** @return every listing, in display order */
    public static List<Listing> all() {
        return LISTINGS;
    }

    /**
     * @param id a listing id
     * @return the listing
     */
    public static Optional<Listing> find(String id) {
        return LISTINGS.stream().filter(l -> l.id().equals(id)).findFirst();
    }
}
