package dev.holdfast.stellar;

import dev.holdfast.api.PartyId;
import java.util.Optional;

/**
 * The port that tells the Stellar rail which Stellar account belongs to a party. A {@link
 * dev.holdfast.spi.FundingRequest} carries only {@link PartyId}s, but the escrow account makes the buyer's and the
 * seller's own accounts its signers, so the rail must know them when it opens a funding. The host implements it
 * from its user records (a verified G... address per user); {@link InMemoryStellarAccountDirectory} serves tests and
 * small hosts.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface StellarAccountDirectory {
    /**
     * @param party a party
     * @return the party's G... account id, if known
     */
    Optional<String> accountOf(PartyId party);
}
