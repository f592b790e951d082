package dev.holdfast.openpayments;

import dev.holdfast.api.Asset;
import dev.holdfast.api.RailId;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link OpenPaymentsPaymentRail} reaches its wallets and what it declares. A plain record: build it by hand or
 * from configuration; no container is needed.
 *
 * <p><b>Custody.</b> The escrow wallet holds buyers' funds between funding and payout: funds are held by the escrow
 * wallet's account servicing entity on the platform's behalf (custodial). The platform wallet holds the platform's own
 * funds: platform fees and payouts to internal balances, and it pays withdrawals.
 *
 * <p>Immutable and thread-safe.
 *
 * @param railId the rail's name, usually {@code openpayments}
 * @param escrowWalletAddress the platform's escrow wallet address (URL or payment pointer); also the GNAP client
 *     identity whose JWKS the authorization servers fetch
 * @param platformWalletAddress the platform's own wallet address (URL or payment pointer) at the same provider
 * @param asset the escrow wallet's asset, code and scale exactly as its wallet address states them
 * @param minMinor the smallest funding accepted, at least 1
 * @param maxMinor the largest funding accepted
 * @param finishUriBase the host's callback URL for interaction finish redirects; the rail appends {@code
 *     /<url-encoded transfer id>} and the host hands {@code interact_ref} and {@code hash} to {@link
 *     OpenPaymentsPaymentRail#onInteractionFinished}
 * @param escrowGrantDebitLimit the debit limit of the long-lived escrow-wallet outgoing-payment grant, in minor units
 * @param callTimeout the deadline of every HTTP call; a create that times out answers UNKNOWN
 * @param pollInterval how often open fundings are polled for the buyer's payment
 * @param allowInsecureHttp accept {@code http} wallet addresses: local simulators only, never in production
 * @since 0.1
 */
public record OpenPaymentsRailConfig(
        RailId railId,
        String escrowWalletAddress,
        String platformWalletAddress,
        Asset asset,
        long minMinor,
        long maxMinor,
        String finishUriBase,
        long escrowGrantDebitLimit,
        Duration callTimeout,
        Duration pollInterval,
        boolean allowInsecureHttp) {
    public OpenPaymentsRailConfig {
        Objects.requireNonNull(railId, "railId");
        Objects.requireNonNull(escrowWalletAddress, "escrowWalletAddress");
        Objects.requireNonNull(platformWalletAddress, "platformWalletAddress");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(finishUriBase, "finishUriBase");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (minMinor < 1 || maxMinor < minMinor || escrowGrantDebitLimit < 1) {
            throw new IllegalArgumentException("limits must satisfy 1 <= min <= max and a positive grant limit");
        }
    }
}
