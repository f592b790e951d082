package dev.holdfast.spi;

import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer of a rail to one call. Immutable and thread-safe.
 *
 * @param status the outcome
 * @param railReference the rail's own reference (payment hash, transaction hash, resource URL), or {@code null}
 * @param railFee what the rail charged on top of the amount (routing or network fee), or {@code null} when none
 * @param error why it failed or is unknown, or {@code null}
 * @param instruction what a party must do before the transfer can complete, or {@code null}
 * @param costs platform-funded costs and float movements of the transfer, in any asset, reported with its final
 *     outcome (SUCCEEDED or FAILED) and repeated by {@link PaymentRail#query}; empty when none ({@code null} means
 *     empty); see {@link RailCost} (since 0.4)
 * @since 0.1
 */
public record RailResult(
        RailStatus status,
        String railReference,
        Money railFee,
        RailError error,
        PartyInstruction instruction,
        List<RailCost> costs) {
    public RailResult {
        Objects.requireNonNull(status, "status");
        costs = costs == null ? List.of() : List.copyOf(costs);
    }

    /**
     * A result without costs.
     *
     * @param status the outcome
     * @param railReference the rail's reference, or {@code null}
     * @param railFee fee charged, or {@code null}
     * @param error why it failed or is unknown, or {@code null}
     * @param instruction what a party must do, or {@code null}
     */
    public RailResult(
            RailStatus status, String railReference, Money railFee, RailError error, PartyInstruction instruction) {
        this(status, railReference, railFee, error, instruction, List.of());
    }

    /**
     * @param costs what the platform bore for the transfer
     * @return this result with those costs
     * @since 0.4
     */
    public RailResult withCosts(List<RailCost> costs) {
        return new RailResult(status, railReference, railFee, error, instruction, costs);
    }

    /**
     * @param railReference the rail's reference
     * @param railFee fee charged, or {@code null}
     * @return a success
     */
    public static RailResult succeeded(String railReference, Money railFee) {
        return new RailResult(RailStatus.SUCCEEDED, railReference, railFee, null, null);
    }

    /**
     * @param railReference the rail's reference, or {@code null}
     * @param instruction what a party must do, or {@code null}
     * @return a pending outcome
     */
    public static RailResult pending(String railReference, PartyInstruction instruction) {
        return new RailResult(RailStatus.PENDING, railReference, null, null, instruction);
    }

    /**
     * @param error why
     * @return a failure: no money moved
     */
    public static RailResult failed(RailError error) {
        return new RailResult(RailStatus.FAILED, null, null, error, null);
    }

    /**
     * @param error what is known about the lost answer
     * @return an unknown outcome
     */
    public static RailResult unknown(RailError error) {
        return new RailResult(RailStatus.UNKNOWN, null, null, error, null);
    }

    /** @return the instruction, if any */
    public Optional<PartyInstruction> partyInstruction() {
        return Optional.ofNullable(instruction);
    }
}
