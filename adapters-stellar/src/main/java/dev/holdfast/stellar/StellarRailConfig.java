package dev.holdfast.stellar;

import dev.holdfast.api.Asset;
import dev.holdfast.api.RailId;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the Stellar rail reaches the network and what it holds: a plain configuration record. Immutable and
 * thread-safe.
 *
 * <p>{@link #toString()} never shows the platform's secret seed: the record is safe to log.
 *
 * @param railId the rail's name, e.g. {@code stellar}
 * @param horizonUrl Horizon's base URL, e.g. {@code https://horizon-testnet.stellar.org}
 * @param networkPassphrase the network every transaction is signed for
 * @param platformSecretSeed the platform's S... seed: it pays escrow reserves, signs as one of three escrow signers,
 *     receives platform fees and internal balances, and pays withdrawals; also the root from which each escrow
 *     account's own key is derived
 * @param issuedAssets the issued assets the rail accepts, each Holdfast asset (scale 7) to its issuer's G... account;
 *     XLM ({@link Asset#XLM}) is always accepted
 * @param minMinor the smallest funding, in stroops of any asset
 * @param maxMinor the largest funding, in stroops of any asset
 * @param feeBufferStroops XLM the platform puts in each escrow account above its minimum balance, for network fees
 * @param signatureTtl how long a party has to sign a payout transaction (its upper time bound)
 * @param submitWait how long a call waits for Horizon's answer to a submission before answering PENDING
 * @param httpTimeout how long a Horizon request may take before its answer counts as lost
 * @param pollInterval how often open fundings are checked by polling while the event stream is down
 * @since 0.1
 */
public record StellarRailConfig(
        RailId railId,
        String horizonUrl,
        String networkPassphrase,
        String platformSecretSeed,
        Map<Asset, String> issuedAssets,
        long minMinor,
        long maxMinor,
        long feeBufferStroops,
        Duration signatureTtl,
        Duration submitWait,
        Duration httpTimeout,
        Duration pollInterval) {

    /** The Stellar scale: every asset counts in units of 10^-7. */
    public static final int SCALE = 7;

    public StellarRailConfig {
        Objects.requireNonNull(railId, "railId");
        Objects.requireNonNull(horizonUrl, "horizonUrl");
        Objects.requireNonNull(networkPassphrase, "networkPassphrase");
        Objects.requireNonNull(platformSecretSeed, "platformSecretSeed");
        issuedAssets = Map.copyOf(issuedAssets);
        for (Asset a : issuedAssets.keySet()) {
            if (a.scale() != SCALE || a.equals(Asset.XLM)) {
                throw new IllegalArgumentException("an issued Stellar asset has scale 7 and is not XLM: " + a);
            }
        }
        if (minMinor < 1 || maxMinor < minMinor) {
            throw new IllegalArgumentException("limits must satisfy 1 <= min <= max");
        }
        if (feeBufferStroops < 0) {
            throw new IllegalArgumentException("feeBufferStroops < 0");
        }
        Objects.requireNonNull(signatureTtl, "signatureTtl");
        Objects.requireNonNull(submitWait, "submitWait");
        Objects.requireNonNull(httpTimeout, "httpTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /**
     * A configuration with the usual defaults: limits 1 stroop to 10^15 stroops, 1 XLM fee buffer, a day to sign, 2 s
     * submission wait, 10 s HTTP timeout, 1 s polling.
     *
     * @param horizonUrl Horizon's base URL
     * @param networkPassphrase the network passphrase
     * @param platformSecretSeed the platform's S... seed
     * @param issuedAssets issued assets to their issuers
     * @return the configuration, rail id {@code stellar}
     */
    public static StellarRailConfig of(
            String horizonUrl, String networkPassphrase, String platformSecretSeed, Map<Asset, String> issuedAssets) {
        return new StellarRailConfig(
                RailId.of("stellar"),
                horizonUrl,
                networkPassphrase,
                platformSecretSeed,
                issuedAssets,
                1,
                1_000_000_000_000_000L,
                10_000_000L,
                Duration.ofDays(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1));
    }

    /**
     * @param timeout a new HTTP timeout
     * @param wait a new submission wait
     * @return a copy with those timings
     */
    public StellarRailConfig withTimings(Duration timeout, Duration wait) {
        return new StellarRailConfig(
                railId,
                horizonUrl,
                networkPassphrase,
                platformSecretSeed,
                issuedAssets,
                minMinor,
                maxMinor,
                feeBufferStroops,
                signatureTtl,
                wait,
                timeout,
                pollInterval);
    }

    @Override
    public String toString() {
        return "StellarRailConfig[railId=" + railId + ", horizonUrl=" + horizonUrl + ", networkPassphrase="
                + networkPassphrase + ", platformSecretSeed=<redacted>, issuedAssets=" + issuedAssets + ", limits="
                + minMinor + ".." + maxMinor + ", feeBufferStroops=" + feeBufferStroops + ", signatureTtl="
                + signatureTtl + ", submitWait=" + submitWait + ", httpTimeout=" + httpTimeout + ", pollInterval="
                + pollInterval + "]";
    }
}
