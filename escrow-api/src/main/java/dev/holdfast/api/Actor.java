package dev.holdfast.api;

import java.util.Objects;

/**
 * Who issues a command, as the host app authenticated them. Immutable and thread-safe.
 *
 * @param role the role claimed
 * @param party the party; for {@link Role#PLATFORM} and {@link Role#SYSTEM} the fixed ids {@code platform} and
 *     {@code system}
 * @since 0.1
 */
public record Actor(Role role, PartyId party) {
    private static final Actor PLATFORM = new Actor(Role.PLATFORM, PartyId.of("platform"));
    private static final Actor SYSTEM = new Actor(Role.SYSTEM, PartyId.of("system"));

    public Actor {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(party, "party");
    }

    /**
     * @param party the buyer
     * @return the buyer acting
     */
    public static Actor buyer(PartyId party) {
        return new Actor(Role.BUYER, party);
    }

    /**
     * @param party the seller
     * @return the seller acting
     */
    public static Actor seller(PartyId party) {
        return new Actor(Role.SELLER, party);
    }

    /**
     * @param party the arbiter
     * @return the arbiter acting
     * @since 0.2
     */
    public static Actor arbiter(PartyId party) {
        return new Actor(Role.ARBITER, party);
    }

    /** @return the marketplace operator acting */
    public static Actor platform() {
        return PLATFORM;
    }

    /** @return the engine acting on its own (timers, reconciler) */
    public static Actor system() {
        return SYSTEM;
    }

    @Override
    public String toString() {
        return role.name().toLowerCase(java.util.Locale.ROOT) + ":" + party;
    }
}
