package dev.holdfast.openpayments;

import dev.holdfast.api.Asset;
import dev.holdfast.api.RailId;
import dev.holdfast.openpayments.internal.WalletAddresses;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailConfigurationException;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailRecords;
import dev.holdfast.spi.RailSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Builds an {@link OpenPaymentsPaymentRail} from {@code holdfast.rails.openpayments.*}:
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th></tr>
 *   <tr><td>{@code escrow-wallet-address}</td><td>required: the platform's escrow wallet (URL or $pointer); also the
 *       client identity whose JWKS publishes the key</td></tr>
 *   <tr><td>{@code platform-wallet-address}</td><td>required</td></tr>
 *   <tr><td>{@code asset-code}, {@code asset-scale}</td><td>required: exactly as the escrow wallet states them</td></tr>
 *   <tr><td>{@code key-id}</td><td>required: the {@code kid} in the wallet's JWKS</td></tr>
 *   <tr><td>{@code private-key} or {@code private-key-path}</td><td>exactly one required: Ed25519 PKCS#8, PEM or
 *       base64 DER; a secret</td></tr>
 *   <tr><td>{@code public-key} or {@code public-key-path}</td><td>exactly one required: X.509 SubjectPublicKeyInfo,
 *       PEM or base64 DER</td></tr>
 *   <tr><td>{@code finish-uri-base}</td><td>required: the host's callback endpoint, e.g. {@code
 *       https://shop.example/api/holdfast/v1/rails/openpayments/callback}</td></tr>
 *   <tr><td>{@code escrow-grant-debit-limit}</td><td>required: minor units</td></tr>
 *   <tr><td>{@code id}</td><td>{@code openpayments}</td></tr>
 *   <tr><td>{@code min-minor}, {@code max-minor}</td><td>1, 10^15</td></tr>
 *   <tr><td>{@code call-timeout}, {@code poll-interval}</td><td>10s, 2s</td></tr>
 *   <tr><td>{@code allow-insecure-http}</td><td>false (local simulators only)</td></tr>
 * </table>
 *
 * <p>Components the host may supply ({@link RailSettings#component}): a {@link WalletAddressDirectory} (the parties'
 * wallets; without one, an empty in-memory directory) and a durable {@link OpenPaymentsTransferLog}; without one, a
 * {@link RecordedOpenPaymentsTransferLog} over the host's {@link RailRecords} (the Jakarta plugin supplies its durable
 * one), else an in-memory log, lost at restart. The escrow grant still needs the operator's approval once: the host calls {@link
 * OpenPaymentsPaymentRail#requestEscrowGrant()} and the redirect comes back to {@code finish-uri-base/escrow-grant}.
 * Stateless and thread-safe.
 *
 * @since 0.5
 */
public final class OpenPaymentsRailProvider implements RailProvider {
    /** The provider's name. */
    public static final String NAME = "openpayments";

    private static final System.Logger LOG = System.getLogger(OpenPaymentsRailProvider.class.getName());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PaymentRail create(RailSettings settings) {
        OpenPaymentsRailConfig config = config(settings);
        OpenPaymentsKeys keys = keys(settings);
        WalletAddressDirectory directory = settings.component(WalletAddressDirectory.class)
                .orElseGet(() -> {
                    LOG.log(System.Logger.Level.WARNING, "no WalletAddressDirectory supplied: parties have no wallets");
                    return new InMemoryWalletAddressDirectory();
                });
        OpenPaymentsTransferLog log = settings.component(OpenPaymentsTransferLog.class)
                .or(() -> settings.component(RailRecords.class)
                        .map(records -> new RecordedOpenPaymentsTransferLog(records, config.railId())))
                .orElseGet(() -> {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "no OpenPaymentsTransferLog or RailRecords supplied: using an in-memory log, lost at restart"
                                    + " (not for production)");
                    return new InMemoryOpenPaymentsTransferLog();
                });
        return new OpenPaymentsPaymentRail(config, keys, log, directory, settings.clock());
    }

    /**
     * Reads and checks the configuration (not the keys) without contacting any wallet.
     *
     * @param settings the rail's settings
     * @return the configuration
     * @throws RailConfigurationException naming the key at fault
     */
    public static OpenPaymentsRailConfig config(RailSettings settings) {
        boolean insecure = settings.getBoolean("allow-insecure-http", false);
        String escrow = wallet(settings, "escrow-wallet-address", insecure);
        String platform = wallet(settings, "platform-wallet-address", insecure);
        String code = settings.require("asset-code");
        if (!code.matches("[A-Z0-9]{1,12}")) {
            throw new RailConfigurationException(
                    settings.fullKey("asset-code"), "expected an upper-case asset code, got '" + code + "'");
        }
        settings.require("asset-scale");
        int scale = settings.getInt("asset-scale", 0);
        if (scale < 0 || scale > 18) {
            throw new RailConfigurationException(settings.fullKey("asset-scale"), "expected 0..18, got " + scale);
        }
        String finish = settings.require("finish-uri-base");
        URI finishUri;
        try {
            finishUri = URI.create(finish);
        } catch (IllegalArgumentException e) {
            finishUri = null;
        }
        if (finishUri == null
                || finishUri.getHost() == null
                || !("https".equals(finishUri.getScheme()) || insecure && "http".equals(finishUri.getScheme()))) {
            throw new RailConfigurationException(
                    settings.fullKey("finish-uri-base"),
                    "expected an https URL (http only with allow-insecure-http), got '" + finish + "'");
        }
        settings.require("escrow-grant-debit-limit");
        try {
            return new OpenPaymentsRailConfig(
                    RailId.of(settings.get("id").orElse(NAME)),
                    escrow,
                    platform,
                    new Asset(code, scale),
                    settings.getLong("min-minor", 1),
                    settings.getLong("max-minor", 1_000_000_000_000_000L),
                    finish.replaceAll("/+$", ""),
                    settings.getLong("escrow-grant-debit-limit", 0),
                    settings.getDuration("call-timeout", Duration.ofSeconds(10)),
                    settings.getDuration("poll-interval", Duration.ofSeconds(2)),
                    insecure);
        } catch (IllegalArgumentException e) {
            if (e instanceof RailConfigurationException r) {
                throw r;
            }
            throw new RailConfigurationException("holdfast.rails." + settings.railName(), e.getMessage(), e);
        }
    }

    /**
     * Reads the client key pair.
     *
     * @param settings the rail's settings
     * @return the keys
     * @throws RailConfigurationException naming the key at fault; never echoes key material
     */
    public static OpenPaymentsKeys keys(RailSettings settings) {
        String keyId = settings.require("key-id");
        byte[] pkcs8 = der(settings, "private-key", "private-key-path", "PRIVATE KEY");
        byte[] x509 = der(settings, "public-key", "public-key-path", "PUBLIC KEY");
        try {
            return OpenPaymentsKeys.of(keyId, pkcs8, x509);
        } catch (IllegalArgumentException e) {
            throw new RailConfigurationException(
                    settings.fullKey(e.getMessage().startsWith("key id") ? "key-id" : "private-key"), e.getMessage());
        }
    }

    private static String wallet(RailSettings settings, String key, boolean insecure) {
        String text = settings.require(key);
        try {
            return WalletAddresses.parse(text, insecure);
        } catch (IllegalArgumentException e) {
            throw new RailConfigurationException(settings.fullKey(key), e.getMessage());
        }
    }

    private static byte[] der(RailSettings settings, String inlineKey, String pathKey, String pemLabel) {
        Optional<String> inline = settings.get(inlineKey);
        Optional<String> path = settings.get(pathKey);
        if (inline.isPresent() == path.isPresent()) {
            throw new RailConfigurationException(
                    settings.fullKey(inlineKey),
                    "give exactly one of " + settings.fullKey(inlineKey) + " and " + settings.fullKey(pathKey));
        }
        String text;
        String at = inline.isPresent() ? inlineKey : pathKey;
        if (path.isPresent()) {
            try {
                text = Files.readString(Path.of(path.get()), StandardCharsets.US_ASCII);
            } catch (IOException | RuntimeException e) {
                throw new RailConfigurationException(settings.fullKey(pathKey), "no readable file at " + path.get());
            }
        } else {
            text = inline.get();
        }
        String body = text.replace("-----BEGIN " + pemLabel + "-----", "")
                .replace("-----END " + pemLabel + "-----", "")
                .replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new RailConfigurationException(
                    settings.fullKey(at), "expected a PEM (" + pemLabel + ") or base64 DER key");
        }
    }
}
