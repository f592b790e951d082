package dev.holdfast.spi;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;

/**
 * One asset a rail supports and the amounts it accepts for it. Immutable and thread-safe.
 *
 * @param asset the asset, with the rail's scale
 * @param minMinor smallest amount, at least 1
 * @param maxMinor largest amount
 * @since 0.1
 */
public record AssetLimits(Asset asset, long minMinor, long maxMinor) {
    public AssetLimits {
        if (minMinor < 1 || maxMinor < minMinor) {
            throw new IllegalArgumentException("limits must satisfy 1 <= min <= max: " + minMinor + ".." + maxMinor);
        }
    }

    /**
     * @param amount an amount of this asset
     * @return true when the rail accepts it
     */
    public boolean accepts(Money amount) {
        return amount.asset().equals(asset) && amount.minor() >= minMinor && amount.minor() <= maxMinor;
    }
}
