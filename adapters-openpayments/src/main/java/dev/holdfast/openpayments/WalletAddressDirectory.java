package dev.holdfast.openpayments;

import dev.holdfast.api.PartyId;
import java.util.Optional;

/**
 * The port that tells the rail a party's Open Payments wallet address: where a buyer's funding payment comes from
 * (the rail asks that wallet's authorization server for consent) and where a {@code FundingSource} refund goes. The
 * host fills it from its user profiles; {@link InMemoryWalletAddressDirectory} is for tests and demos.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface WalletAddressDirectory {
    /**
     * @param party a party
     * @return its wallet address URL or payment pointer ({@code $wallet.example/alice}), if known
     */
    Optional<String> walletAddressOf(PartyId party);
}
