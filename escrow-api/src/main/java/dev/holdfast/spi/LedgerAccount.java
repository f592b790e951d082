package dev.holdfast.spi;

import dev.holdfast.api.Asset;
import java.util.Objects;

/**
 * One ledger account: a type, an owner and an asset. Immutable and thread-safe.
 *
 * @param type the kind
 * @param owner whose account: escrow id, party id, rail id or {@code platform}
 * @param asset the account's asset
 * @since 0.1
 */
public record LedgerAccount(AccountType type, String owner, Asset asset) {
    public LedgerAccount {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(asset, "asset");
    }

    @Override
    public String toString() {
        return type + ":" + owner + ":" + asset;
    }
}
