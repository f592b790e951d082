package dev.holdfast.stellar;

import dev.holdfast.api.Asset;
import dev.holdfast.api.RailId;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailConfigurationException;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailRecords;
import dev.holdfast.spi.RailSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;

/**
 * Builds a {@link StellarPaymentRail} from {@code holdfast.rails.stellar.*}:
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>{@code horizon-url}</td><td>required: Horizon's http(s) base URL</td></tr>
 *   <tr><td>{@code network-passphrase}</td><td>required: the passphrase, or {@code testnet} / {@code public}</td></tr>
 *   <tr><td>{@code platform-secret-seed}</td><td>required: the platform's S... seed, a secret</td></tr>
 *   <tr><td>{@code issued-assets}</td><td>none: {@code CODE:G...issuer} pairs, comma-separated (XLM is always
 *       accepted)</td></tr>
 *   <tr><td>{@code id}</td><td>{@code stellar}</td></tr>
 *   <tr><td>{@code min-minor}, {@code max-minor}</td><td>1, 10^15 stroops</td></tr>
 *   <tr><td>{@code fee-buffer-stroops}</td><td>10000000 (1 XLM)</td></tr>
 *   <tr><td>{@code signature-ttl}, {@code submit-wait}, {@code http-timeout}, {@code poll-interval}</td><td>1d, 2s,
 *       10s, 1s</td></tr>
 * </table>
 *
 * <p>Components the host may supply ({@link RailSettings#component}): a {@link StellarAccountDirectory} (the parties'
 * accounts; without one, an empty in-memory directory, so payouts to parties fail until the host gives one) and a
 * durable {@link StellarTransferLog}; without one, a {@link RecordedStellarTransferLog} over the host's {@link
 * RailRecords} (the Jakarta plugin supplies its durable one), else an in-memory log, lost at restart. Stateless and
 * thread-safe.
 *
 * @since 0.5
 */
public final class StellarRailProvider implements RailProvider {
    /** The provider's name. */
    public static final String NAME = "stellar";

    private static final System.Logger LOG = System.getLogger(StellarRailProvider.class.getName());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PaymentRail create(RailSettings settings) {
        StellarRailConfig config = config(settings);
        StellarAccountDirectory directory = settings.component(StellarAccountDirectory.class)
                .orElseGet(() -> {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "no StellarAccountDirectory supplied: parties have no accounts");
                    return new InMemoryStellarAccountDirectory();
                });
        StellarTransferLog log = settings.component(StellarTransferLog.class)
                .or(() -> settings.component(RailRecords.class)
                        .map(records -> new RecordedStellarTransferLog(records, config.railId())))
                .orElseGet(() -> {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "no StellarTransferLog or RailRecords supplied: using an in-memory log, lost at restart"
                                    + " (not for production)");
                    return new InMemoryStellarTransferLog();
                });
        return new StellarPaymentRail(config, directory, log, settings.clock());
    }

    /**
     * Reads and checks the configuration without contacting Horizon.
     *
     * @param settings the rail's settings
     * @return the configuration
     * @throws RailConfigurationException naming the key at fault; never echoes the seed
     */
    public static StellarRailConfig config(RailSettings settings) {
        String horizon = settings.require("horizon-url");
        try {
            URI uri = URI.create(horizon);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new RailConfigurationException(
                    settings.fullKey("horizon-url"), "expected an http(s) URL, got '" + horizon + "'");
        }
        String passphrase =
                switch (settings.require("network-passphrase").toLowerCase(Locale.ROOT)) {
                    case "testnet" -> Network.TESTNET.getNetworkPassphrase();
                    case "public", "pubnet", "mainnet" -> Network.PUBLIC.getNetworkPassphrase();
                    default -> settings.require("network-passphrase");
                };
        String seed = settings.require("platform-secret-seed");
        try {
            KeyPair.fromSecretSeed(seed);
        } catch (RuntimeException e) {
            throw new RailConfigurationException(
                    settings.fullKey("platform-secret-seed"), "not a valid Stellar secret seed (S..., 56 characters)");
        }
        Map<Asset, String> issued = new LinkedHashMap<>();
        settings.get("issued-assets").ifPresent(text -> {
            for (String pair : text.split(",")) {
                String[] parts = pair.trim().split(":");
                if (parts.length != 2 || !parts[0].matches("[A-Za-z0-9]{1,12}") || !isAccount(parts[1])) {
                    throw new RailConfigurationException(
                            settings.fullKey("issued-assets"),
                            "expected CODE:G...issuer pairs separated by commas, got '" + pair.trim() + "'");
                }
                issued.put(new Asset(parts[0], StellarRailConfig.SCALE), parts[1]);
            }
        });
        try {
            return new StellarRailConfig(
                    RailId.of(settings.get("id").orElse(NAME)),
                    horizon,
                    passphrase,
                    seed,
                    issued,
                    settings.getLong("min-minor", 1),
                    settings.getLong("max-minor", 1_000_000_000_000_000L),
                    settings.getLong("fee-buffer-stroops", 10_000_000L),
                    settings.getDuration("signature-ttl", Duration.ofDays(1)),
                    settings.getDuration("submit-wait", Duration.ofSeconds(2)),
                    settings.getDuration("http-timeout", Duration.ofSeconds(10)),
                    settings.getDuration("poll-interval", Duration.ofSeconds(1)));
        } catch (IllegalArgumentException e) {
            if (e instanceof RailConfigurationException r) {
                throw r;
            }
            throw new RailConfigurationException("holdfast.rails." + settings.railName(), e.getMessage(), e);
        }
    }

    private static boolean isAccount(String id) {
        try {
            return id.startsWith("G") && KeyPair.fromAccountId(id) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
