package dev.holdfast.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RailSettingsTest {
    private final RailSettings settings = RailSettings.of(
            "lightning",
            Map.of("port", "10009", "bad-port", "ten", "timeout", "500ms", "iso", "PT2M", "flag", "TRUE", "blank", " "),
            Clock.systemUTC());

    @Test
    void typedGettersParseValuesAndFallBackWhenAbsentOrBlank() {
        assertThat(settings.getInt("port", 1)).isEqualTo(10009);
        assertThat(settings.getInt("absent", 7)).isEqualTo(7);
        assertThat(settings.getDuration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.getDuration("iso", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.getBoolean("flag", false)).isTrue();
        assertThat(settings.get("blank")).isEmpty();
    }

    @Test
    void errorsNameTheFullKeyAndWhatIsExpected() {
        assertThatThrownBy(() -> settings.require("host"))
                .isInstanceOf(RailConfigurationException.class)
                .hasMessage("holdfast.rails.lightning.host: is required");
        assertThatThrownBy(() -> settings.getInt("bad-port", 1))
                .isInstanceOfSatisfying(RailConfigurationException.class, e -> assertThat(e.key())
                        .isEqualTo("holdfast.rails.lightning.bad-port"))
                .hasMessageContaining("not a whole number: 'ten'");
        assertThatThrownBy(() -> settings.getDuration("port", Duration.ZERO))
                .hasMessageContaining("expected a positive duration");
        assertThatThrownBy(() -> settings.getBoolean("port", false)).hasMessageContaining("expected true or false");
    }

    @Test
    void aRailWithoutCallbacksSaysSoAndCountsAsUpWithoutAProbe() {
        PaymentRail rail = (PaymentRail) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {PaymentRail.class}, (proxy, method, args) -> {
                    if (method.isDefault()) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    return dev.holdfast.api.RailId.of("plain");
                });
        RailResult r = rail.onCallback(new RailCallback("", Map.of("a", List.of("b"))));
        assertThat(r.status()).isEqualTo(RailStatus.FAILED);
        assertThat(r.error().code()).isEqualTo(RailError.CALLBACK_UNSUPPORTED);
        assertThat(rail.checkHealth().up()).isTrue();
    }
}
