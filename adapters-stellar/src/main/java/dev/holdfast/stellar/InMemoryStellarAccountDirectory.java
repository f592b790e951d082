package dev.holdfast.stellar;

import dev.holdfast.api.PartyId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link StellarAccountDirectory} in memory. Thread-safe.
 *
 * @since 0.1
 */
public final class InMemoryStellarAccountDirectory implements StellarAccountDirectory {
    private final Map<PartyId, String> accounts = new ConcurrentHashMap<>();

    /**
     * Records a party's account.
     *
     * @param party the party
     * @param accountId its G... account id
     * @return this directory
     */
    public InMemoryStellarAccountDirectory put(PartyId party, String accountId) {
        accounts.put(Objects.requireNonNull(party), Objects.requireNonNull(accountId));
        return this;
    }

    @Override
    public Optional<String> accountOf(PartyId party) {
        return Optional.ofNullable(accounts.get(party));
    }
}
