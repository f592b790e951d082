package dev.holdfast.api;

import java.util.Objects;

/**
 * Pays part of a party's internal balance out to the party's own address on a rail.
 *
 * @param actor the party itself or the platform
 * @param party whose balance
 * @param amount how much, positive
 * @param rail the rail to pay out on
 * @param destination the party's address on that rail
 * @since 0.1
 */
public record Withdraw(Actor actor, PartyId party, Money amount, RailId rail, String destination) {
    public Withdraw {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(party, "party");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(rail, "rail");
    }
}
