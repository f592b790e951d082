package dev.holdfast.lightning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.RailId;
import dev.holdfast.lightning.simulator.LndSimulator;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailConfigurationException;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LightningRailProviderTest {
    private static final String KEY = "11".repeat(32);
    private LndSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        simulator = LndSimulator.builder().tcp(0).build().start();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private Map<String, String> good() {
        Map<String, String> m = new HashMap<>();
        m.put("host", "localhost");
        m.put("port", String.valueOf(simulator.port()));
        m.put("tls-cert-path", simulator.tlsCertPath().toString());
        m.put("macaroon-path", simulator.adminMacaroonPath().toString());
        m.put("preimage-key-hex", KEY);
        return m;
    }

    private static RailSettings settings(Map<String, String> values) {
        return RailSettings.of("lightning", values, Clock.systemUTC());
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(RailProvider.class).stream()
                        .map(p -> p.get().name()))
                .contains("lightning");
    }

    @Test
    void aGoodConfigurationBuildsARailThatReachesTheNode() throws Exception {
        Map<String, String> values = good();
        values.put("cltv-expiry", "72");
        values.put("payment-timeout", "30s");
        values.put("min-msat", "5000");
        LightningRailConfig config = LightningRailProvider.config(settings(values));
        assertThat(config.cltvExpiry()).isEqualTo(72);
        assertThat(config.paymentTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.minMsat()).isEqualTo(5000);
        assertThat(config.maxHold()).isEqualTo(Duration.ofMinutes(10 * 60));

        PaymentRail rail = new LightningRailProvider().create(settings(values));
        try {
            assertThat(rail.id()).isEqualTo(RailId.of("lightning"));
            assertThat(rail.query(dev.holdfast.api.TransferId.of("never-seen"))
                            .error()
                            .isNotFound())
                    .isTrue();
        } finally {
            ((AutoCloseable) rail).close();
        }
    }

    @Test
    void theMacaroonAndCertificateMayBeGivenInline() {
        Map<String, String> values = good();
        values.remove("macaroon-path");
        values.put("macaroon-hex", simulator.adminMacaroonHex());
        assertThat(LightningRailProvider.config(settings(values)).macaroonHex())
                .isEqualTo(simulator.adminMacaroonHex());
    }

    @Test
    void missingOrBadKeysAreRefusedNamingTheKeyAndNeverTheSecret() {
        Map<String, String> noHost = good();
        noHost.remove("host");
        assertThatThrownBy(() -> LightningRailProvider.config(settings(noHost)))
                .isInstanceOf(RailConfigurationException.class)
                .hasMessage("holdfast.rails.lightning.host: is required");

        Map<String, String> both = good();
        both.put("macaroon-hex", "abcd");
        assertThatThrownBy(() -> LightningRailProvider.config(settings(both)))
                .hasMessageContaining("give exactly one of holdfast.rails.lightning.macaroon-path and")
                .hasMessageContaining("macaroon-hex");

        Map<String, String> noCert = good();
        noCert.remove("tls-cert-path");
        assertThatThrownBy(() -> LightningRailProvider.config(settings(noCert))).hasMessageContaining("tls-cert-path");

        Map<String, String> missingFile = good();
        missingFile.put("macaroon-path", "/nonexistent/admin.macaroon");
        assertThatThrownBy(() -> LightningRailProvider.config(settings(missingFile)))
                .hasMessage("holdfast.rails.lightning.macaroon-path: no readable file at /nonexistent/admin.macaroon");

        Map<String, String> shortKey = good();
        shortKey.put("preimage-key-hex", "abcdef");
        assertThatThrownBy(() -> LightningRailProvider.config(settings(shortKey)))
                .hasMessageStartingWith("holdfast.rails.lightning.preimage-key-hex: expected at least 64 hex digits")
                .hasMessageNotContaining("abcdef");

        Map<String, String> badPort = good();
        badPort.put("port", "70000");
        assertThatThrownBy(() -> LightningRailProvider.config(settings(badPort)))
                .hasMessageStartingWith("holdfast.rails.lightning.port:");

        Map<String, String> lowCltv = good();
        lowCltv.put("cltv-expiry", "10");
        assertThatThrownBy(() -> LightningRailProvider.config(settings(lowCltv)))
                .hasMessageContaining("cltvExpiry must exceed");
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
        var own = new InMemoryLightningTransferLog();
        Map<String, String> values = good();
        values.put("id", "ln-main");

        LightningPaymentRail explicit =
                (LightningPaymentRail) new LightningRailProvider().create(withComponents(values, own, records));
        LightningPaymentRail recorded =
                (LightningPaymentRail) new LightningRailProvider().create(withComponents(values, records));
        LightningPaymentRail memory = (LightningPaymentRail) new LightningRailProvider().create(settings(values));
        try {
            assertThat(explicit.transferLog()).isSameAs(own);
            assertThat(recorded.transferLog()).isInstanceOf(RecordedLightningTransferLog.class);
            assertThat(memory.transferLog()).isInstanceOf(InMemoryLightningTransferLog.class);

            LightningTransferLog.Entry e = new LightningTransferLog.Entry(
                    dev.holdfast.api.TransferId.of("t-1"),
                    LightningTransferLog.Kind.TOMBSTONE,
                    LightningTransferLog.Stage.FAILED,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    0,
                    false,
                    null,
                    null);
            recorded.transferLog().insertIfAbsent(e);
            assertThat(records.find(RailId.of("ln-main"), "transfer:t-1"))
                    .as("kept under the configured rail id")
                    .isPresent();
        } finally {
            explicit.close();
            recorded.close();
            memory.close();
        }
    }
}
