package dev.holdfast.openpayments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.openpayments.internal.OpenPaymentsClient;
import dev.holdfast.openpayments.internal.WalletAddresses;
import dev.holdfast.openpayments.simulator.OpenPaymentsSimulator;
import org.junit.jupiter.api.Test;

class WalletAddressesTest {
    @Test
    void aPaymentPointerBecomesAnHttpsWalletAddress() {
        assertThat(WalletAddresses.parse("$wallet.example/alice", false)).isEqualTo("https://wallet.example/alice");
        assertThat(WalletAddresses.parse("$wallet.example", false)).isEqualTo("https://wallet.example/.well-known/pay");
        assertThat(WalletAddresses.parse("https://wallet.example/alice/", false))
                .isEqualTo("https://wallet.example/alice");
    }

    @Test
    void badWalletAddressesAreRefusedWithAClearReason() {
        assertThatThrownBy(() -> WalletAddresses.parse("http://wallet.example/alice", false))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> WalletAddresses.parse("$https://wallet.example/a", false))
                .hasMessageContaining("$host/path");
        assertThatThrownBy(() -> WalletAddresses.parse("https://wallet.example/a?x=1", false))
                .hasMessageContaining("query");
        assertThatThrownBy(() -> WalletAddresses.parse("https://wallet.example", false))
                .hasMessageContaining("path");
        assertThatThrownBy(() -> WalletAddresses.parse(" $w.example/a", false)).hasMessageContaining("spaces");
        assertThatThrownBy(() -> WalletAddresses.parse("https://u@wallet.example/a", false))
                .hasMessageContaining("user info");
    }

    @Test
    void theClientComputesTheSameInteractionHashAsTheAuthorizationServer() {
        assertThat(OpenPaymentsClient.interactionHash("c", "a", "r", "https://auth.example"))
                .isEqualTo(OpenPaymentsSimulator.interactionHash("c", "a", "r", "https://auth.example"));
    }
}
