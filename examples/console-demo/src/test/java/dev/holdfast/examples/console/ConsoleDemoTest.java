package dev.holdfast.examples.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleDemoTest {
    @Test
    void theThreeStoriesEndAsTheyShould() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ConsoleDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("=> RELEASED, still held 0.00 USD");
        assertThat(out).contains("=> REFUNDED, still held 0.00 USD");
        assertThat(out).contains("=> EXPIRED, still held 0.00 USD");
        assertThat(out).contains("same result true, rail paid 1 payout(s)");
        assertThat(out).contains("INVALID_STATE");
        assertThat(out).contains("system:system (inspection period ended)");
        assertThat(out).contains("bob's balance: available 0.00 USD, paid out 250.00 USD");
        assertThat(out).contains("intact: true");
    }
}
