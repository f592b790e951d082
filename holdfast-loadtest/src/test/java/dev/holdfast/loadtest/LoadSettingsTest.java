package dev.holdfast.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadSettingsTest {
    @Test
    void readsEveryOptionAndAcceptsSeveralDurationForms() {
        LoadSettings s = LoadSettings.parse(
                "--base-url",
                "http://127.0.0.1:1234/holdfast/",
                "--users",
                "8",
                "--rate",
                "12.5",
                "--duration",
                "2m",
                "--warmup",
                "PT15S",
                "--settle",
                "500ms",
                "--jdbc-url",
                "jdbc:postgresql://h/db");
        assertThat(s.baseUrl()).hasToString("http://127.0.0.1:1234/holdfast");
        assertThat(s.users()).isEqualTo(8);
        assertThat(s.rate()).isEqualTo(12.5);
        assertThat(s.closedLoop()).isFalse();
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.settle()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://h/db");
        assertThat(LoadSettings.parse("--duration", "30").duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoadSettings.parse().closedLoop()).isTrue();
    }

    @Test
    void refusesWhatCannotRun() {
        assertThatThrownBy(() -> LoadSettings.parse("--users", "0")).hasMessageContaining("--users");
        assertThatThrownBy(() -> LoadSettings.parse("--duration", "0")).hasMessageContaining("--duration");
        assertThatThrownBy(() -> LoadSettings.parse("--speed", "1")).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LoadSettings.parse("--users")).hasMessageContaining("needs a value");
    }
}
