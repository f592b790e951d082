package dev.holdfast.spi;

import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
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
 * @since 0.1
 */
public record RailResult(
        RailStatus status, String railReference, Money railFee, RailError error, PartyInstruction instruction) {
    public RailResult {
        Objects.requireNonNull(status, "status");
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
