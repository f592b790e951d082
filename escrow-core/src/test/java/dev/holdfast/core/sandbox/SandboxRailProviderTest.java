package dev.holdfast.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.RailId;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailConfigurationException;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SandboxRailProviderTest {
    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(RailProvider.class).stream()
                        .map(p -> p.get().name()))
                .contains("sandbox");
    }

    @Test
    void buildsTheSandboxRailFromItsKeys() {
        PaymentRail rail = new SandboxRailProvider()
                .create(RailSettings.of(
                        "sandbox",
                        Map.of("id", "test-sandbox", "max-hold", "22h", "party-signatures", "true"),
                        Clock.systemUTC()));
        assertThat(rail).isInstanceOf(SandboxRail.class);
        assertThat(rail.id()).isEqualTo(RailId.of("test-sandbox"));
        assertThat(rail.capabilities().maxHold()).isEqualTo(Duration.ofHours(22));
        assertThat(rail.capabilities().partySignatures()).isTrue();
    }

    @Test
    void defaultsNeedNoKeys() {
        PaymentRail rail = new SandboxRailProvider().create(RailSettings.of("sandbox", Map.of(), Clock.systemUTC()));
        assertThat(rail.id()).isEqualTo(RailId.of("sandbox"));
        assertThat(rail.capabilities().maxHold()).isNull();
    }

    @Test
    void aBadValueIsRefusedWithTheFullKey() {
        assertThatThrownBy(() -> new SandboxRailProvider()
                        .create(RailSettings.of("sandbox", Map.of("auto-fund", "yes"), Clock.systemUTC())))
                .isInstanceOf(RailConfigurationException.class)
                .hasMessageStartingWith("holdfast.rails.sandbox.auto-fund: expected true or false");
    }
}
