package dev.holdfast.openpayments;

import dev.holdfast.api.PartyId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link WalletAddressDirectory} in a map, for tests and demos. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryWalletAddressDirectory implements WalletAddressDirectory {
    private final Map<PartyId, String> addresses = new ConcurrentHashMap<>();

    /**
     * @param party a party
     * @param walletAddress its wallet address URL or payment pointer
     * @return this
     */
    public InMemoryWalletAddressDirectory put(PartyId party, String walletAddress) {
        addresses.put(party, walletAddress);
        return this;
    }

    @Override
    public Optional<String> walletAddressOf(PartyId party) {
        return Optional.ofNullable(addresses.get(party));
    }
}
