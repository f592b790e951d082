package dev.holdfast.lightning;

import dev.holdfast.api.RailId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How a {@link LightningPaymentRail} reaches its LND node, and the limits it declares. A plain record: build it by
 * hand, from a properties file or with {@link #builder()}; no container is needed (the Jakarta module maps
 * MicroProfile Config onto it).
 *
 * <p><b>Preimage key.</b> The rail never stores a hold invoice's preimage: it derives it as HMAC-SHA256(preimage key,
 * funding transfer id) whenever it needs it (to settle). So preimages are never written to the transfer log, never
 * logged, never in a notification, and survive restarts as long as the key does. The key is the one secret to
 * protect (a secrets manager or an HSM-backed store); it must be at least 32 random bytes and must not be shared
 * between nodes or environments. Losing it loses the ability to settle the holds that are open: they lapse back to the
 * buyers.
 *
 * <p><b>Hold time.</b> LND cancels an accepted hold invoice on its own when the block height comes within 12 blocks
 * ({@code holdexpirydelta}) of the buyer's HTLC expiry, which is {@code cltvExpiry} blocks after acceptance. The rail
 * therefore declares {@code maxHold = (cltvExpiry - 12) × 10 minutes} ({@link #maxHold()}).
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the key or the macaroon.
 *
 * @param railId the rail's name, usually {@code lightning}
 * @param host LND's gRPC host (must match a name in LND's TLS certificate)
 * @param port LND's gRPC port, usually 10009
 * @param tlsCertPath LND's {@code tls.cert}, or {@code null} when {@code tlsCertPem} is given
 * @param tlsCertPem LND's certificate as PEM text, or {@code null} when {@code tlsCertPath} is given
 * @param macaroonPath a macaroon file, or {@code null} when {@code macaroonHex} is given
 * @param macaroonHex a macaroon as hex, or {@code null} when {@code macaroonPath} is given
 * @param preimageKey the secret for deriving preimages, at least 32 bytes (copied)
 * @param cltvExpiry the {@code cltv_expiry} of every hold invoice, in blocks; more than 12 + 6
 * @param feeLimitMsat the largest routing fee one payout may pay, in millisatoshis
 * @param paymentTimeout how long LND keeps trying to route one payout ({@code timeout_seconds})
 * @param minMsat smallest funding accepted, at least 1
 * @param maxMsat largest funding accepted
 * @param lnurlScheme scheme for Lightning address (LUD-16) look-ups: {@code https} in production
 * @param lnurlPort port for Lightning address look-ups, or 0 for the scheme's default
 * @param refundAfterSettlement true when the host collects a refund address (BOLT11, node key or Lightning
 *     address) from every buyer, so that a refund after settlement can be paid; Lightning cannot pay back "the
 *     funding source" once the hold is settled because the payer's node is unknown
 * @param holdExpiryWarningBlocks how many blocks before LND's auto-cancel the rail notifies {@code HoldExpiring}
 * @param callTimeout deadline of every unary LND call; a call that times out answers UNKNOWN
 * @param retryBackoff first delay before reconnecting a dropped stream or resuming an interrupted transfer; it
 *     doubles up to 30 s
 * @since 0.1
 */
public record LightningRailConfig(
        RailId railId,
        String host,
        int port,
        Path tlsCertPath,
        String tlsCertPem,
        Path macaroonPath,
        String macaroonHex,
        byte[] preimageKey,
        int cltvExpiry,
        long feeLimitMsat,
        Duration paymentTimeout,
        long minMsat,
        long maxMsat,
        String lnurlScheme,
        int lnurlPort,
        boolean refundAfterSettlement,
        int holdExpiryWarningBlocks,
        Duration callTimeout,
        Duration retryBackoff) {

    /** LND's {@code holdexpirydelta}: blocks before the HTLC expiry at which LND cancels an accepted hold. */
    public static final int LND_HOLD_EXPIRY_DELTA = 12;

    /** Smallest preimage key accepted, in bytes. */
    public static final int MIN_KEY_BYTES = 32;

    private static final Duration BLOCK_INTERVAL = Duration.ofMinutes(10);

    /**
     * @throws IllegalArgumentException when a value is out of range, the key is shorter than 32 bytes, or neither
     *     or both of a pair (certificate, macaroon) is given
     */
    public LightningRailConfig {
        Objects.requireNonNull(railId, "railId");
        Objects.requireNonNull(preimageKey, "preimageKey");
        if (preimageKey.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the preimage key must have at least " + MIN_KEY_BYTES + " bytes, has " + preimageKey.length);
        }
        preimageKey = preimageKey.clone();
        if (cltvExpiry <= LND_HOLD_EXPIRY_DELTA + 6) {
            throw new IllegalArgumentException("cltvExpiry must exceed " + (LND_HOLD_EXPIRY_DELTA + 6) + " blocks");
        }
        if (feeLimitMsat < 0) {
            throw new IllegalArgumentException("feeLimitMsat must not be negative");
        }
        Objects.requireNonNull(paymentTimeout, "paymentTimeout");
        if (paymentTimeout.getSeconds() < 1 || paymentTimeout.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("paymentTimeout must be at least one second");
        }
        if (minMsat < 1 || maxMsat < minMsat) {
            throw new IllegalArgumentException("limits must satisfy 1 <= minMsat <= maxMsat");
        }
        lnurlScheme = lnurlScheme == null ? "https" : lnurlScheme;
        if (!lnurlScheme.equals("https") && !lnurlScheme.equals("http")) {
            throw new IllegalArgumentException("lnurlScheme must be https or http");
        }
        if (lnurlPort < 0 || lnurlPort > 65_535 || port < 0 || port > 65_535) {
            throw new IllegalArgumentException("ports must be 0..65535");
        }
        if (holdExpiryWarningBlocks < 1) {
            throw new IllegalArgumentException("holdExpiryWarningBlocks must be positive");
        }
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (callTimeout.isNegative() || callTimeout.isZero() || retryBackoff.isNegative() || retryBackoff.isZero()) {
            throw new IllegalArgumentException("callTimeout and retryBackoff must be positive");
        }
        if (tlsCertPath != null && tlsCertPem != null) {
            throw new IllegalArgumentException("give tlsCertPath or tlsCertPem, not both");
        }
        if (macaroonPath != null && macaroonHex != null) {
            throw new IllegalArgumentException("give macaroonPath or macaroonHex, not both");
        }
    }

    /** @return a copy of the preimage key */
    @Override
    public byte[] preimageKey() {
        return preimageKey.clone();
    }

    /**
     * The longest a funded hold is guaranteed to stay held: {@code (cltvExpiry - 12) × 10 min}, LND's auto-cancel
     * point at the average block interval.
     *
     * @return the maximum hold time
     */
    public Duration maxHold() {
        return BLOCK_INTERVAL.multipliedBy((long) cltvExpiry - LND_HOLD_EXPIRY_DELTA);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LightningRailConfig c
                && railId.equals(c.railId)
                && Objects.equals(host, c.host)
                && port == c.port
                && Objects.equals(tlsCertPath, c.tlsCertPath)
                && Objects.equals(tlsCertPem, c.tlsCertPem)
                && Objects.equals(macaroonPath, c.macaroonPath)
                && Objects.equals(macaroonHex, c.macaroonHex)
                && Arrays.equals(preimageKey, c.preimageKey)
                && cltvExpiry == c.cltvExpiry
                && feeLimitMsat == c.feeLimitMsat
                && paymentTimeout.equals(c.paymentTimeout)
                && minMsat == c.minMsat
                && maxMsat == c.maxMsat
                && lnurlScheme.equals(c.lnurlScheme)
                && lnurlPort == c.lnurlPort
                && refundAfterSettlement == c.refundAfterSettlement
                && holdExpiryWarningBlocks == c.holdExpiryWarningBlocks
                && callTimeout.equals(c.callTimeout)
                && retryBackoff.equals(c.retryBackoff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(railId, host, port, cltvExpiry, feeLimitMsat, minMsat, maxMsat);
    }

    @Override
    public String toString() {
        return "LightningRailConfig[railId=" + railId + ", host=" + host + ", port=" + port + ", tlsCert="
                + (tlsCertPath != null ? tlsCertPath : tlsCertPem != null ? "(pem)" : "(none)") + ", macaroon="
                + (macaroonPath != null ? macaroonPath : macaroonHex != null ? "(hex, redacted)" : "(none)")
                + ", preimageKey=(redacted), cltvExpiry=" + cltvExpiry + ", feeLimitMsat=" + feeLimitMsat
                + ", paymentTimeout=" + paymentTimeout + ", minMsat=" + minMsat + ", maxMsat=" + maxMsat
                + ", lnurlScheme=" + lnurlScheme + ", lnurlPort=" + lnurlPort + ", refundAfterSettlement="
                + refundAfterSettlement + ", holdExpiryWarningBlocks=" + holdExpiryWarningBlocks + ", callTimeout="
                + callTimeout + ", retryBackoff=" + retryBackoff + "]";
    }

    /**
     * Starts a configuration with defaults: rail id {@code lightning}, port 10009, cltv_expiry 144 (≈ 22 h of hold),
     * fee limit 10 000 sat, payment timeout 60 s, 1 sat to 10 000 000 sat, https look-ups, no refund after
     * settlement, a warning 36 blocks before the hold lapses, 10 s call deadline, 200 ms first retry delay.
     *
     * @return a builder; not thread-safe
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link LightningRailConfig}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private RailId railId = RailId.of("lightning");
        private String host = "localhost";
        private int port = 10_009;
        private Path tlsCertPath;
        private String tlsCertPem;
        private Path macaroonPath;
        private String macaroonHex;
        private byte[] preimageKey;
        private int cltvExpiry = 144;
        private long feeLimitMsat = 10_000_000;
        private Duration paymentTimeout = Duration.ofSeconds(60);
        private long minMsat = 1_000;
        private long maxMsat = 10_000_000_000L;
        private String lnurlScheme = "https";
        private int lnurlPort;
        private boolean refundAfterSettlement;
        private int holdExpiryWarningBlocks = 36;
        private Duration callTimeout = Duration.ofSeconds(10);
        private Duration retryBackoff = Duration.ofMillis(200);

        private Builder() {}

        /** @param railId the rail's name @return this builder */
        public Builder railId(RailId railId) {
            this.railId = railId;
            return this;
        }

        /** @param host LND's gRPC host @param port its port @return this builder */
        public Builder node(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** @param path LND's tls.cert @return this builder */
        public Builder tlsCertPath(Path path) {
            this.tlsCertPath = path;
            return this;
        }

        /** @param pem LND's certificate as PEM @return this builder */
        public Builder tlsCertPem(String pem) {
            this.tlsCertPem = pem;
            return this;
        }

        /** @param path a macaroon file @return this builder */
        public Builder macaroonPath(Path path) {
            this.macaroonPath = path;
            return this;
        }

        /** @param hex a macaroon as hex @return this builder */
        public Builder macaroonHex(String hex) {
            this.macaroonHex = hex;
            return this;
        }

        /** @param key the preimage key, at least 32 bytes @return this builder */
        public Builder preimageKey(byte[] key) {
            this.preimageKey = key.clone();
            return this;
        }

        /** @param hex the preimage key as hex, at least 64 digits @return this builder */
        public Builder preimageKeyHex(String hex) {
            this.preimageKey = HexFormat.of().parseHex(hex);
            return this;
        }

        /** @param blocks the hold invoices' cltv_expiry @return this builder */
        public Builder cltvExpiry(int blocks) {
            this.cltvExpiry = blocks;
            return this;
        }

        /** @param msat the routing fee limit per payout @return this builder */
        public Builder feeLimitMsat(long msat) {
            this.feeLimitMsat = msat;
            return this;
        }

        /** @param timeout LND's routing timeout per payout @return this builder */
        public Builder paymentTimeout(Duration timeout) {
            this.paymentTimeout = timeout;
            return this;
        }

        /** @param min smallest funding @param max largest funding, in msat @return this builder */
        public Builder limitsMsat(long min, long max) {
            this.minMsat = min;
            this.maxMsat = max;
            return this;
        }

        /** @param scheme http or https @param port 0 for the default @return this builder */
        public Builder lnurl(String scheme, int port) {
            this.lnurlScheme = scheme;
            this.lnurlPort = port;
            return this;
        }

        /** @param enabled whether the host collects buyers' refund addresses @return this builder */
        public Builder refundAfterSettlement(boolean enabled) {
            this.refundAfterSettlement = enabled;
            return this;
        }

        /** @param blocks warn this many blocks before the hold lapses @return this builder */
        public Builder holdExpiryWarningBlocks(int blocks) {
            this.holdExpiryWarningBlocks = blocks;
            return this;
        }

        /** @param timeout unary call deadline @return this builder */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout;
            return this;
        }

        /** @param backoff first retry delay @return this builder */
        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = backoff;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException when a value is invalid (see the record's constructor)
         */
        public LightningRailConfig build() {
            return new LightningRailConfig(
                    railId,
                    host,
                    port,
                    tlsCertPath,
                    tlsCertPem,
                    macaroonPath,
                    macaroonHex,
                    Objects.requireNonNull(preimageKey, "preimageKey"),
                    cltvExpiry,
                    feeLimitMsat,
                    paymentTimeout,
                    minMsat,
                    maxMsat,
                    lnurlScheme,
                    lnurlPort,
                    refundAfterSettlement,
                    holdExpiryWarningBlocks,
                    callTimeout,
                    retryBackoff);
        }
    }
}
