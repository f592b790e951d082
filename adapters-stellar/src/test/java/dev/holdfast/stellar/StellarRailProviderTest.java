package dev.holdfast.stellar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.RailId;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailConfigurationException;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;

class StellarRailProviderTest {
    private final String seed = new String(KeyPair.random().getSecretSeed());
    private final String issuer = KeyPair.random().getAccountId();

    private Map<String, String> good() {
        Map<String, String> m = new HashMap<>();
        m.put("horizon-url", "http://127.0.0.1:1");
        m.put("network-passphrase", "testnet");
        m.put("platform-secret-seed", seed);
        return m;
    }

    private static RailSettings settings(Map<String, String> values) {
        return RailSettings.of("stellar", values, Clock.systemUTC());
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(RailProvider.class).stream()
                        .map(p -> p.get().name()))
                .contains("stellar");
    }

    @Test
    void aGoodConfigurationBuildsTheRail() throws Exception {
        Map<String, String> values = good();
        values.put("issued-assets", "USDC:" + issuer);
        values.put("submit-wait", "5s");
        StellarRailConfig config = StellarRailProvider.config(settings(values));
        assertThat(config.networkPassphrase()).isEqualTo(Network.TESTNET.getNetworkPassphrase());
        assertThat(config.issuedAssets()).containsEntry(new Asset("USDC", 7), issuer);
        assertThat(config.submitWait()).isEqualTo(Duration.ofSeconds(5));

        PaymentRail rail = new StellarRailProvider().create(settings(values));
        try {
            assertThat(rail.id()).isEqualTo(RailId.of("stellar"));
            assertThat(rail.capabilities().limits(new Asset("USDC", 7))).isPresent();
        } finally {
            ((AutoCloseable) rail).close();
        }
    }

    @Test
    void missingOrBadKeysAreRefusedNamingTheKeyAndNeverTheSeed() {
        Map<String, String> noHorizon = good();
        noHorizon.remove("horizon-url");
        assertThatThrownBy(() -> StellarRailProvider.config(settings(noHorizon)))
                .isInstanceOf(RailConfigurationException.class)
                .hasMessage("holdfast.rails.stellar.horizon-url: is required");

        Map<String, String> badUrl = good();
        badUrl.put("horizon-url", "horizon.example");
        assertThatThrownBy(() -> StellarRailProvider.config(settings(badUrl)))
                .hasMessageStartingWith("holdfast.rails.stellar.horizon-url: expected an http(s) URL");

        Map<String, String> noPassphrase = good();
        noPassphrase.remove("network-passphrase");
        assertThatThrownBy(() -> StellarRailProvider.config(settings(noPassphrase)))
                .hasMessage("holdfast.rails.stellar.network-passphrase: is required");

        Map<String, String> badSeed = good();
        badSeed.put("platform-secret-seed", "SBADSEED" + seed.substring(8, 20));
        assertThatThrownBy(() -> StellarRailProvider.config(settings(badSeed)))
                .hasMessageStartingWith("holdfast.rails.stellar.platform-secret-seed: not a valid Stellar secret seed")
                .hasMessageNotContaining(seed.substring(8, 20));

        Map<String, String> badAssets = good();
        badAssets.put("issued-assets", "USDC");
        assertThatThrownBy(() -> StellarRailProvider.config(settings(badAssets)))
                .hasMessageStartingWith("holdfast.rails.stellar.issued-assets: expected CODE:G...issuer");

        Map<String, String> badLimits = good();
        badLimits.put("min-minor", "0");
        assertThatThrownBy(() -> StellarRailProvider.config(settings(badLimits)))
                .hasMessageContaining("limits must satisfy");
    }

    private static RailSettings withComponents(Map<String, String> values, Object... components) {
        RailSettings plain = settings(values);
        return new RailSettings() {
            @Override
            public String railName() {
                return plain.railName();
            }

            @Override
            public java.util.Optional<String> get(String key) {
                return plain.get(key);
            }

            @Override
            public Clock clock() {
                return plain.clock();
            }

            @Override
            public <T> java.util.Optional<T> component(Class<T> type) {
                return java.util.Arrays.stream(components)
                        .filter(type::isInstance)
                        .map(type::cast)
                        .findFirst();
            }
        };
    }

    @Test
    void theTransferLogIsTheHostsOwnThenOneOverRailRecordsThenInMemory() throws Exception {
        var records = new dev.holdfast.core.memory.InMemoryRailRecords();
        var own = new InMemoryStellarTransferLog();
        Map<String, String> values = good();
        values.put("id", "xlm-main");

        StellarPaymentRail explicit =
                (StellarPaymentRail) new StellarRailProvider().create(withComponents(values, own, records));
        StellarPaymentRail recorded =
                (StellarPaymentRail) new StellarRailProvider().create(withComponents(values, records));
        StellarPaymentRail memory = (StellarPaymentRail) new StellarRailProvider().create(settings(values));
        try {
            assertThat(explicit.transferLog()).isSameAs(own);
            assertThat(recorded.transferLog()).isInstanceOf(RecordedStellarTransferLog.class);
            assertThat(memory.transferLog()).isInstanceOf(InMemoryStellarTransferLog.class);

            StellarTransferLog.Entry.Builder b = StellarTransferLog.Entry.builder();
            b.transferId = dev.holdfast.api.TransferId.of("t-1");
            StellarTransferLog.Entry e = b.build();
            recorded.transferLog().insertIfAbsent(e);
            assertThat(records.find(RailId.of("xlm-main"), "transfer:t-1"))
                    .as("kept under the configured rail id")
                    .isPresent();
        } finally {
            ((AutoCloseable) explicit).close();
            ((AutoCloseable) recorded).close();
            ((AutoCloseable) memory).close();
        }
    }
}
