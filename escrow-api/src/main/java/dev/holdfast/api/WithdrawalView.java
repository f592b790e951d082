package dev.holdfast.api;

import java.time.Instant;

/**
 * A withdrawal from a party's internal balance. Immutable and thread-safe.
 *
 * @param transferId the payout transfer
 * @param party whose balance
 * @param amount amount withdrawn
 * @param destination the rail address
 * @param rail the rail paying out
 * @param status where the payout stands
 * @param railReference the rail's reference once known, or {@code null}
 * @param requestedAt when it was requested
 * @since 0.1
 */
public record WithdrawalView(
        TransferId transferId,
        PartyId party,
        Money amount,
        String destination,
        RailId rail,
        RailOperationStatus status,
        String railReference,
        Instant requestedAt) {}
