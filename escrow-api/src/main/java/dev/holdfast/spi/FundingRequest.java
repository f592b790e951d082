package dev.holdfast.spi;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.TransferId;
import java.time.Instant;
import java.util.Map;

/**
 * Asks a rail to open funding: a hold invoice, an escrow account, an incoming payment. Immutable and thread-safe.
 *
 * @param transferId the engine's id for this funding; the rail is idempotent on it
 * @param escrowId the escrow
 * @param amount exactly what the buyer must pay
 * @param buyer the paying party
 * @param seller the party to be paid (some rails make it a signer)
 * @param fundBy the funding instruction must lapse by then
 * @param holdUntil the latest time the engine may still need the funds held
 * @param metadata host metadata to carry, if the rail can
 * @since 0.1
 */
public record FundingRequest(
        TransferId transferId,
        EscrowId escrowId,
        Money amount,
        PartyId buyer,
        PartyId seller,
        Instant fundBy,
        Instant holdUntil,
        Map<String, String> metadata) {
    public FundingRequest {
        metadata = Map.copyOf(metadata);
    }
}
