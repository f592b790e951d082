package dev.holdfast.lightning;

import dev.holdfast.api.RailId;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailConfigurationException;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailRecords;
import dev.holdfast.spi.RailSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Builds a {@link LightningPaymentRail} from {@code holdfast.rails.lightning.*}:
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>{@code host}</td><td>required: LND's gRPC host</td></tr>
 *   <tr><td>{@code port}</td><td>10009</td></tr>
 *   <tr><td>{@code tls-cert-path} or {@code tls-cert-pem}</td><td>exactly one required</td></tr>
 *   <tr><td>{@code macaroon-path} or {@code macaroon-hex}</td><td>exactly one required</td></tr>
 *   <tr><td>{@code preimage-key-hex}</td><td>required: at least 64 hex digits (32 bytes), a secret</td></tr>
 *   <tr><td>{@code id}</td><td>{@code lightning}</td></tr>
 *   <tr><td>{@code cltv-expiry}</td><td>144 blocks</td></tr>
 *   <tr><td>{@code fee-limit-msat}</td><td>10000000</td></tr>
 *   <tr><td>{@code payment-timeout}</td><td>60s</td></tr>
 *   <tr><td>{@code min-msat}, {@code max-msat}</td><td>1000, 10000000000</td></tr>
 *   <tr><td>{@code lnurl-scheme}, {@code lnurl-port}</td><td>https, 0</td></tr>
 *   <tr><td>{@code refund-after-settlement}</td><td>false</td></tr>
 *   <tr><td>{@code hold-expiry-warning-blocks}</td><td>36</td></tr>
 *   <tr><td>{@code call-timeout}, {@code retry-backoff}</td><td>10s, 200ms</td></tr>
 * </table>
 *
 * <p>The transfer log is the host's {@link LightningTransferLog} component when it supplies one ({@link
 * RailSettings#component}); else a {@link RecordedLightningTransferLog} over the host's {@link RailRecords}
 * component (the Jakarta plugin supplies its durable one); otherwise an in-memory log, with a warning: fine for
 * tests, not for production. The rail
 * reads time from the system clock, as LND does. Stateless and thread-safe.
 *
 * @since 0.5
 */
public final class LightningRailProvider implements RailProvider {
    /** The provider's name. */
    public static final String NAME = "lightning";

    private static final System.Logger LOG = System.getLogger(LightningRailProvider.class.getName());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PaymentRail create(RailSettings settings) {
        LightningRailConfig config = config(settings);
        LightningTransferLog log = settings.component(LightningTransferLog.class)
                .or(() -> settings.component(RailRecords.class)
                        .map(records -> new RecordedLightningTransferLog(records, config.railId())))
                .orElseGet(() -> {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "no LightningTransferLog or RailRecords supplied: using an in-memory log, lost at restart"
                                    + " (not for production)");
                    return new InMemoryLightningTransferLog();
                });
        try {
            return new LightningPaymentRail(config, log);
        } catch (IOException e) {
            throw new RailConfigurationException(
                    settings.fullKey(config.tlsCertPath() != null ? "tls-cert-path" : "macaroon-path"),
                    "cannot be read: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Reads and checks the configuration without connecting.
     *
     * @param settings the rail's settings
     * @return the configuration
     * @throws RailConfigurationException naming the key at fault
     */
    public static LightningRailConfig config(RailSettings settings) {
        LightningRailConfig.Builder b = LightningRailConfig.builder()
                .railId(RailId.of(settings.get("id").orElse(NAME)))
                .node(settings.require("host"), port(settings, "port", 10_009));
        one(settings, "tls-cert-path", "tls-cert-pem");
        settings.get("tls-cert-path")
                .map(p -> readable(settings, "tls-cert-path", p))
                .ifPresent(b::tlsCertPath);
        settings.get("tls-cert-pem").ifPresent(pem -> {
            if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
                throw new RailConfigurationException(settings.fullKey("tls-cert-pem"), "not a PEM certificate");
            }
            b.tlsCertPem(pem);
        });
        one(settings, "macaroon-path", "macaroon-hex");
        settings.get("macaroon-path")
                .map(p -> readable(settings, "macaroon-path", p))
                .ifPresent(b::macaroonPath);
        settings.get("macaroon-hex").ifPresent(hex -> b.macaroonHex(hex(settings, "macaroon-hex", hex, 1)));
        String key = settings.require("preimage-key-hex");
        b.preimageKey(
                HexFormat.of().parseHex(hex(settings, "preimage-key-hex", key, LightningRailConfig.MIN_KEY_BYTES)));
        b.cltvExpiry(settings.getInt("cltv-expiry", 144))
                .feeLimitMsat(settings.getLong("fee-limit-msat", 10_000_000))
                .paymentTimeout(settings.getDuration("payment-timeout", Duration.ofSeconds(60)))
                .limitsMsat(settings.getLong("min-msat", 1_000), settings.getLong("max-msat", 10_000_000_000L))
                .lnurl(settings.get("lnurl-scheme").orElse("https"), port(settings, "lnurl-port", 0))
                .refundAfterSettlement(settings.getBoolean("refund-after-settlement", false))
                .holdExpiryWarningBlocks(settings.getInt("hold-expiry-warning-blocks", 36))
                .callTimeout(settings.getDuration("call-timeout", Duration.ofSeconds(10)))
                .retryBackoff(settings.getDuration("retry-backoff", Duration.ofMillis(200)));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // The record's own checks (cltv-expiry, limits, lnurl-scheme, ...): its message names the setting.
            throw new RailConfigurationException("holdfast.rails." + settings.railName(), e.getMessage(), e);
        }
    }

    private static int port(RailSettings settings, String key, int fallback) {
        int port = settings.getInt(key, fallback);
        if (port < 0 || port > 65_535) {
            throw new RailConfigurationException(settings.fullKey(key), "a port is 0..65535, got " + port);
        }
        return port;
    }

    private static void one(RailSettings settings, String a, String b) {
        Optional<String> x = settings.get(a);
        Optional<String> y = settings.get(b);
        if (x.isPresent() == y.isPresent()) {
            throw new RailConfigurationException(
                    settings.fullKey(a), "give exactly one of " + settings.fullKey(a) + " and " + settings.fullKey(b));
        }
    }

    private static Path readable(RailSettings settings, String key, String path) {
        Path p = Path.of(path);
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            throw new RailConfigurationException(settings.fullKey(key), "no readable file at " + p);
        }
        return p;
    }

    private static String hex(RailSettings settings, String key, String hex, int minBytes) {
        // Never echo the value: it is a secret (preimage key) or a credential (macaroon).
        if (hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]*") || hex.length() / 2 < minBytes) {
            throw new RailConfigurationException(
                    settings.fullKey(key), "expected at least " + minBytes * 2 + " hex digits (even count)");
        }
        return hex;
    }
}
