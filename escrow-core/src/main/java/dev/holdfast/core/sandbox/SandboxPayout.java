package dev.holdfast.core.sandbox;

import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;
import dev.holdfast.api.TransferId;
import java.time.Instant;
import java.util.Objects;

/**
 * One payout the {@link SandboxRail} actually made: money left a funding (or the platform's account) once. Immutable
 * and thread-safe.
 *
 * @param transferId the payout's transfer id
 * @param kind release, refund or withdrawal
 * @param fundingTransferId the funding drawn from, or {@code null} for a withdrawal
 * @param party who received it
 * @param amount what the destination received
 * @param platformFee what went to the platform's account with it
 * @param destination where the amount went
 * @param railFee what the sandbox charged the platform for it; zero when nothing
 * @param railReference the sandbox's reference
 * @param at when, by the rail's clock
 * @since 0.1
 */
public record SandboxPayout(
        TransferId transferId,
        PayoutKind kind,
        TransferId fundingTransferId,
        PartyId party,
        Money amount,
        Money platformFee,
        PayoutDestination destination,
        Money railFee,
        String railReference,
        Instant at) {
    public SandboxPayout {
        Objects.requireNonNull(transferId, "transferId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(railFee, "railFee");
    }

    /** @return amount plus platform fee: what left the funding or the platform's account */
    public Money drawn() {
        return amount.plus(platformFee);
    }
}
