package dev.holdfast.examples.simrails;

import dev.holdfast.api.Asset;
import dev.holdfast.api.RailId;
import dev.holdfast.lightning.LightningRailConfig;
import dev.holdfast.openpayments.OpenPaymentsKeys;
import dev.holdfast.openpayments.OpenPaymentsRailConfig;
import dev.holdfast.stellar.StellarRailConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the three rails' configurations from flat {@code holdfast.rails.<name>.<key>} properties, so that a host
 * switches between the simulators and real networks by configuration only: {@link SimulatedRails#properties()} writes
 * these keys for the simulators, and a host's own properties file (or MicroProfile Config source) holds the same keys
 * for real nodes. {@code <name>} is {@code lightning}, {@code stellar} or {@code openpayments}.
 *
 * <p>Keys (optional ones show their default):
 *
 * <ul>
 *   <li>{@code lightning.}: {@code host}, {@code port}, {@code tlsCertPath}, {@code macaroonPath}, {@code
 *       preimageKeyHex} (a secret), {@code cltvExpiry=144}, {@code feeLimitMsat=10000000}, {@code minMsat=1000},
 *       {@code maxMsat=10000000000}, {@code lnurlScheme=https}, {@code lnurlPort=0}, {@code
 *       refundAfterSettlement=false}, {@code callTimeoutMillis=10000}
 *   <li>{@code stellar.}: {@code horizonUrl}, {@code networkPassphrase}, {@code platformSecretSeed} (a secret), and
 *       issued assets as {@code issuedAsset.<CODE>=<issuer G... account>}
 *   <li>{@code openpayments.}: {@code escrowWalletAddress}, {@code platformWalletAddress}, {@code assetCode}, {@code
 *       assetScale}, {@code finishUriBase}, {@code keyId}, {@code privateKeyPkcs8} and {@code publicKeyX509} (base64
 *       DER; the private key is a secret), {@code minMinor=1}, {@code maxMinor=100000000000}, {@code
 *       escrowGrantDebitLimit=100000000000}, {@code callTimeoutMillis=10000}, {@code pollIntervalMillis=1000}, {@code
 *       allowInsecureHttp=false} (true only for a local simulator)
 * </ul>
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class RailProperties {
    /** The common prefix of every key. */
    public static final String PREFIX = "holdfast.rails.";

    private RailProperties() {}

    /**
     * @param properties flat properties
     * @return whether they configure a Lightning rail (they have its {@code host})
     */
    public static boolean hasLightning(Map<String, String> properties) {
        return properties.containsKey(PREFIX + "lightning.host");
    }

    /**
     * @param properties flat properties
     * @return whether they configure a Stellar rail (they have its {@code horizonUrl})
     */
    public static boolean hasStellar(Map<String, String> properties) {
        return properties.containsKey(PREFIX + "stellar.horizonUrl");
    }

    /**
     * @param properties flat properties
     * @return whether they configure an Open Payments rail (they have its {@code escrowWalletAddress})
     */
    public static boolean hasOpenPayments(Map<String, String> properties) {
        return properties.containsKey(PREFIX + "openpayments.escrowWalletAddress");
    }

    /**
     * @param properties flat properties with the {@code holdfast.rails.lightning.*} keys
     * @return the Lightning rail's configuration, rail id {@code lightning}
     * @throws IllegalArgumentException when a required key is missing or a value is invalid
     */
    public static LightningRailConfig lightning(Map<String, String> properties) {
        Reader r = new Reader(properties, "lightning");
        LightningRailConfig.Builder b = LightningRailConfig.builder()
                .railId(RailId.of("lightning"))
                .node(r.required("host"), r.integer("port", 10_009))
                .preimageKeyHex(r.required("preimageKeyHex"))
                .cltvExpiry(r.integer("cltvExpiry", 144))
                .feeLimitMsat(r.number("feeLimitMsat", 10_000_000L))
                .limitsMsat(r.number("minMsat", 1_000L), r.number("maxMsat", 10_000_000_000L))
                .lnurl(r.optional("lnurlScheme").orElse("https"), r.integer("lnurlPort", 0))
                .refundAfterSettlement(
                        Boolean.parseBoolean(r.optional("refundAfterSettlement").orElse("false")))
                .callTimeout(Duration.ofMillis(r.number("callTimeoutMillis", 10_000L)));
        r.optional("tlsCertPath").map(Path::of).ifPresent(b::tlsCertPath);
        r.optional("macaroonPath").map(Path::of).ifPresent(b::macaroonPath);
        return b.build();
    }

    /**
     * @param properties flat properties with the {@code holdfast.rails.stellar.*} keys
     * @return the Stellar rail's configuration, rail id {@code stellar}, with the usual defaults
     * @throws IllegalArgumentException when a required key is missing
     */
    public static StellarRailConfig stellar(Map<String, String> properties) {
        Reader r = new Reader(properties, "stellar");
        Map<Asset, String> issued = new HashMap<>();
        String assetPrefix = PREFIX + "stellar.issuedAsset.";
        properties.forEach((k, v) -> {
            if (k.startsWith(assetPrefix)) {
                issued.put(new Asset(k.substring(assetPrefix.length()), StellarRailConfig.SCALE), v);
            }
        });
        return StellarRailConfig.of(
                r.required("horizonUrl"), r.required("networkPassphrase"), r.required("platformSecretSeed"), issued);
    }

    /**
     * @param properties flat properties with the {@code holdfast.rails.openpayments.*} keys
     * @return the Open Payments rail's configuration, rail id {@code openpayments}
     * @throws IllegalArgumentException when a required key is missing or a value is invalid
     */
    public static OpenPaymentsRailConfig openPayments(Map<String, String> properties) {
        Reader r = new Reader(properties, "openpayments");
        return new OpenPaymentsRailConfig(
                RailId.of("openpayments"),
                r.required("escrowWalletAddress"),
                r.required("platformWalletAddress"),
                new Asset(r.required("assetCode"), r.integer("assetScale", 2)),
                r.number("minMinor", 1L),
                r.number("maxMinor", 100_000_000_000L),
                r.required("finishUriBase"),
                r.number("escrowGrantDebitLimit", 100_000_000_000L),
                Duration.ofMillis(r.number("callTimeoutMillis", 10_000L)),
                Duration.ofMillis(r.number("pollIntervalMillis", 1_000L)),
                Boolean.parseBoolean(r.optional("allowInsecureHttp").orElse("false")));
    }

    /**
     * @param properties flat properties with the Open Payments key entries
     * @return the platform's Open Payments client key
     * @throws IllegalArgumentException when a key entry is missing or not an Ed25519 key pair
     */
    public static OpenPaymentsKeys openPaymentsKeys(Map<String, String> properties) {
        Reader r = new Reader(properties, "openpayments");
        Base64.Decoder b64 = Base64.getDecoder();
        return OpenPaymentsKeys.of(
                r.required("keyId"),
                b64.decode(r.required("privateKeyPkcs8")),
                b64.decode(r.required("publicKeyX509")));
    }

    private record Reader(Map<String, String> properties, String rail) {
        Reader {
            Objects.requireNonNull(properties, "properties");
        }

        Optional<String> optional(String key) {
            String v = properties.get(PREFIX + rail + "." + key);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String required(String key) {
            return optional(key)
                    .orElseThrow(() -> new IllegalArgumentException("missing property " + PREFIX + rail + "." + key));
        }

        long number(String key, long fallback) {
            return optional(key).map(Long::parseLong).orElse(fallback);
        }

        int integer(String key, int fallback) {
            return optional(key).map(Integer::parseInt).orElse(fallback);
        }
    }
}
