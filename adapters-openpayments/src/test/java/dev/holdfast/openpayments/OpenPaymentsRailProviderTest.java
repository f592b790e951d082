package dev.holdfast.openpayments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.RailId;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailConfigurationException;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenPaymentsRailProviderTest {
    private final KeyPair pair;

    OpenPaymentsRailProviderTest() throws Exception {
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + label
                + "-----\n";
    }

    private Map<String, String> good() {
        Map<String, String> m = new HashMap<>();
        m.put("escrow-wallet-address", "https://wallet.example/escrow");
        m.put("platform-wallet-address", "$wallet.example/platform");
        m.put("asset-code", "USD");
        m.put("asset-scale", "2");
        m.put("key-id", "holdfast-1");
        m.put("private-key", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        m.put("public-key", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        m.put("finish-uri-base", "https://shop.example/api/holdfast/v1/rails/openpayments/callback/");
        m.put("escrow-grant-debit-limit", "100000000");
        return m;
    }

    private static RailSettings settings(Map<String, String> values) {
        return RailSettings.of("openpayments", values, Clock.systemUTC());
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(RailProvider.class).stream()
                        .map(p -> p.get().name()))
                .contains("openpayments");
    }

    @Test
    void aGoodConfigurationBuildsTheRail(@TempDir Path dir) throws Exception {
        Map<String, String> values = good();
        Path key = dir.resolve("client.pem");
        Files.writeString(key, values.remove("private-key"));
        values.put("private-key-path", key.toString());
        values.put("poll-interval", "1s");
        OpenPaymentsRailConfig config = OpenPaymentsRailProvider.config(settings(values));
        assertThat(config.asset()).isEqualTo(new Asset("USD", 2));
        assertThat(config.platformWalletAddress()).isEqualTo("https://wallet.example/platform");
        assertThat(config.finishUriBase())
                .isEqualTo("https://shop.example/api/holdfast/v1/rails/openpayments/callback");
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(OpenPaymentsRailProvider.keys(settings(values)).jwk()).contains("\"kid\":\"holdfast-1\"");

        PaymentRail rail = new OpenPaymentsRailProvider().create(settings(values));
        try {
            assertThat(rail.id()).isEqualTo(RailId.of("openpayments"));
            assertThat(rail.capabilities().custodial()).isTrue();
        } finally {
            ((AutoCloseable) rail).close();
        }
    }

    @Test
    void missingOrBadKeysAreRefusedNamingTheKeyAndNeverTheKeyMaterial() {
        Map<String, String> noWallet = good();
        noWallet.remove("escrow-wallet-address");
        assertThatThrownBy(() -> OpenPaymentsRailProvider.config(settings(noWallet)))
                .isInstanceOf(RailConfigurationException.class)
                .hasMessage("holdfast.rails.openpayments.escrow-wallet-address: is required");

        Map<String, String> httpWallet = good();
        httpWallet.put("escrow-wallet-address", "http://wallet.example/escrow");
        assertThatThrownBy(() -> OpenPaymentsRailProvider.config(settings(httpWallet)))
                .hasMessageStartingWith("holdfast.rails.openpayments.escrow-wallet-address:");

        Map<String, String> badScale = good();
        badScale.put("asset-scale", "40");
        assertThatThrownBy(() -> OpenPaymentsRailProvider.config(settings(badScale)))
                .hasMessage("holdfast.rails.openpayments.asset-scale: expected 0..18, got 40");

        Map<String, String> httpFinish = good();
        httpFinish.put("finish-uri-base", "http://shop.example/cb");
        assertThatThrownBy(() -> OpenPaymentsRailProvider.config(settings(httpFinish)))
                .hasMessageStartingWith("holdfast.rails.openpayments.finish-uri-base: expected an https URL");

        Map<String, String> noLimit = good();
        noLimit.remove("escrow-grant-debit-limit");
        assertThatThrownBy(() -> OpenPaymentsRailProvider.config(settings(noLimit)))
                .hasMessage("holdfast.rails.openpayments.escrow-grant-debit-limit: is required");

        Map<String, String> twoKeys = good();
        twoKeys.put("private-key-path", "/tmp/x.pem");
        assertThatThrownBy(() -> OpenPaymentsRailProvider.keys(settings(twoKeys)))
                .hasMessageContaining("give exactly one of holdfast.rails.openpayments.private-key and");

        Map<String, String> notAKey = good();
        notAKey.put("private-key", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> OpenPaymentsRailProvider.keys(settings(notAKey)))
                .hasMessage("holdfast.rails.openpayments.private-key: not an Ed25519 key pair");

        Map<String, String> garbage = good();
        garbage.put("public-key", "not base64 !");
        assertThatThrownBy(() -> OpenPaymentsRailProvider.keys(settings(garbage)))
                .hasMessageStartingWith("holdfast.rails.openpayments.public-key: expected a PEM")
                .hasMessageNotContaining("not base64");

        Map<String, String> noKeyId = good();
        noKeyId.remove("key-id");
        assertThatThrownBy(() -> OpenPaymentsRailProvider.keys(settings(noKeyId)))
                .hasMessage("holdfast.rails.openpayments.key-id: is required");
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
        var own = new InMemoryOpenPaymentsTransferLog();
        Map<String, String> values = good();
        values.put("id", "op-main");

        OpenPaymentsPaymentRail explicit =
                (OpenPaymentsPaymentRail) new OpenPaymentsRailProvider().create(withComponents(values, own, records));
        OpenPaymentsPaymentRail recorded =
                (OpenPaymentsPaymentRail) new OpenPaymentsRailProvider().create(withComponents(values, records));
        OpenPaymentsPaymentRail memory =
                (OpenPaymentsPaymentRail) new OpenPaymentsRailProvider().create(settings(values));
        try {
            assertThat(explicit.transferLog()).isSameAs(own);
            assertThat(recorded.transferLog()).isInstanceOf(RecordedOpenPaymentsTransferLog.class);
            assertThat(memory.transferLog()).isInstanceOf(InMemoryOpenPaymentsTransferLog.class);

            recorded.transferLog()
                    .insertIfAbsent(new OpenPaymentsTransferLog.Entry.Builder(
                                    dev.holdfast.api.TransferId.of("t-1"),
                                    OpenPaymentsTransferLog.Kind.TOMBSTONE,
                                    OpenPaymentsTransferLog.Stage.FAILED)
                            .build());
            assertThat(records.find(RailId.of("op-main"), "transfer:t-1"))
                    .as("kept under the configured rail id")
                    .isPresent();
        } finally {
            ((AutoCloseable) explicit).close();
            ((AutoCloseable) recorded).close();
            ((AutoCloseable) memory).close();
        }
    }
}
