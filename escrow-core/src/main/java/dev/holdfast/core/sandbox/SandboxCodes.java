package dev.holdfast.core.sandbox;

/**
 * The {@link dev.holdfast.spi.RailError#code() error codes} the {@link SandboxRail} answers with. Stable: tests may
 * compare against them.
 *
 * @since 0.1
 */
public final class SandboxCodes {
    /** A payout draws more than the funding (or, for a withdrawal, the platform's account) holds. */
    public static final String INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS";
    /** A payout names a funding that holds nothing: unknown, not paid yet, cancelled, expired or lapsed. */
    public static final String NOT_FUNDED = "NOT_FUNDED";
    /** A cancel comes after a payout drew on the funding: the hold is settled and can only be refunded by payout. */
    public static final String ALREADY_SETTLED = dev.holdfast.spi.RailError.ALREADY_SETTLED;
    /** Amount, platform fee and funding are not all in one asset. */
    public static final String ASSET_MISMATCH = "ASSET_MISMATCH";
    /** The asset (code and scale) is not among the rail's capabilities. */
    public static final String UNSUPPORTED_ASSET = "UNSUPPORTED_ASSET";
    /** A funding amount outside the asset's {@link dev.holdfast.spi.AssetLimits}. */
    public static final String AMOUNT_OUT_OF_LIMITS = "AMOUNT_OUT_OF_LIMITS";
    /** A payout amount that is not positive, a negative platform fee, or a sum that overflows. */
    public static final String INVALID_AMOUNT = "INVALID_AMOUNT";
    /** A withdrawal to the platform's own account. */
    public static final String INVALID_DESTINATION = "INVALID_DESTINATION";
    /** A transfer id already used for a different request. */
    public static final String TRANSFER_ID_CONFLICT = "TRANSFER_ID_CONFLICT";
    /** A funding request whose {@code fundBy} has already passed. */
    public static final String FUND_BY_PASSED = "FUND_BY_PASSED";
    /** The funding was cancelled. */
    public static final String CANCELLED = "CANCELLED";
    /** The funding was not paid by its {@code fundBy}. */
    public static final String EXPIRED = "EXPIRED";
    /** The native hold lapsed and the buyer got the money back. */
    public static final String LAPSED = "LAPSED";
    /** A second payout from a funding on a rail built without partial release. */
    public static final String PARTIAL_RELEASE_UNSUPPORTED = "PARTIAL_RELEASE_UNSUPPORTED";
    /** A refund from a settled funding on a rail built without refunds after settlement. */
    public static final String REFUND_AFTER_SETTLEMENT_UNSUPPORTED = "REFUND_AFTER_SETTLEMENT_UNSUPPORTED";
    /** A party response that is not the signature the rail asked for; the payout keeps waiting. */
    public static final String BAD_SIGNATURE = "BAD_SIGNATURE";
    /** The transaction to sign expired before a valid signature came back. */
    public static final String SIGNATURE_EXPIRED = "SIGNATURE_EXPIRED";

    private SandboxCodes() {}
}
