package dev.holdfast.spi;

import dev.holdfast.api.Asset;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a rail can honestly do. The engine refuses, at creation, terms a rail cannot honour. Immutable and
 * thread-safe.
 *
 * @param assets the assets and amount limits
 * @param maxHold the longest the rail can hold funds, or {@code null} when it has no limit of its own
 * @param partialRelease whether one funding can be paid out in several parts (milestones, partial refunds)
 * @param refundAfterSettlement whether a refund is possible once the rail has settled the hold (a refund
 *     payment to the buyer's address)
 * @param partySignatures whether payouts need a party's signature on a transaction the rail prepares
 * @param custodial whether a third party (the platform or its provider) holds the funds rather than the protocol
 * @since 0.1
 */
public record RailCapabilities(
        List<AssetLimits> assets,
        Duration maxHold,
        boolean partialRelease,
        boolean refundAfterSettlement,
        boolean partySignatures,
        boolean custodial) {
    public RailCapabilities {
        assets = List.copyOf(assets);
    }

    /**
     * @param asset an asset
     * @return the limits for it, if the rail supports it
     */
    public Optional<AssetLimits> limits(Asset asset) {
        return assets.stream().filter(a -> a.asset().equals(asset)).findFirst();
    }

    /** @return the maximum hold time, if the rail has one */
    public Optional<Duration> maxHoldDuration() {
        return Optional.ofNullable(maxHold);
    }
}
