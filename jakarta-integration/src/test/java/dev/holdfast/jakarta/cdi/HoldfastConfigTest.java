package dev.holdfast.jakarta.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HoldfastConfigTest {
    private static HoldfastConfig read(Map<String, String> values) {
        return HoldfastConfig.from(k -> Optional.ofNullable(values.get(k)));
    }

    @Test
    void defaultsSuitAJpaHostWithTheSandboxRail() {
        HoldfastConfig c = read(Map.of());
        assertThat(c.store()).isEqualTo(HoldfastConfig.StoreKind.JPA);
        assertThat(c.dataSource()).isEqualTo("jdbc/holdfast");
        assertThat(c.migrateAtStart()).isTrue();
        assertThat(c.workInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.enabledRails()).containsExactly("sandbox");
        assertThat(c.restBasePath()).isEqualTo("holdfast/v1");
        assertThat(c.operatorRole()).isEqualTo("holdfast-operator");
        assertThat(c.nodeId()).startsWith("node-");
    }

    @Test
    void readsEveryKey() {
        HoldfastConfig c = read(Map.of(
                "holdfast.node-id", "n1",
                "holdfast.store", "memory",
                "holdfast.datasource", "jdbc/other",
                "holdfast.migrate-at-start", "false",
                "holdfast.work-interval", "250ms",
                "holdfast.rails.enabled", " sandbox , lightning,sandbox",
                "holdfast.rest.base-path", "/api/escrow/",
                "holdfast.security.operator-role", "ops"));
        assertThat(c)
                .isEqualTo(new HoldfastConfig(
                        "n1",
                        HoldfastConfig.StoreKind.MEMORY,
                        "jdbc/other",
                        false,
                        Duration.ofMillis(250),
                        List.of("sandbox", "lightning"),
                        "api/escrow",
                        "ops"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> read(Map.of("holdfast.store", "redis"))).hasMessageStartingWith("holdfast.store:");
        assertThatThrownBy(() -> read(Map.of("holdfast.work-interval", "soon")))
                .hasMessageStartingWith("holdfast.work-interval:");
        assertThatThrownBy(() -> read(Map.of("holdfast.migrate-at-start", "yes")))
                .hasMessageStartingWith("holdfast.migrate-at-start:");
        assertThatThrownBy(() -> read(Map.of("holdfast.rails.enabled", " , ")))
                .hasMessageStartingWith("holdfast.rails.enabled:");
    }
}
