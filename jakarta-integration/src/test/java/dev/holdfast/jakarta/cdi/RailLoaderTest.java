package dev.holdfast.jakarta.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.RailId;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailConfigurationException;
import dev.holdfast.spi.RailNotification;
import dev.holdfast.spi.RailSettings;
import dev.holdfast.spi.RailStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RailLoaderTest {
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void buildsTheEnabledRailsFromTheProvidersOnTheClassPath() {
        Map<RailId, PaymentRail> rails = RailLoader.load(
                List.of("sandbox"), name -> RailSettings.of(name, Map.of("id", "sbx"), Clock.systemUTC()), loader);
        assertThat(rails).containsOnlyKeys(RailId.of("sbx"));
        assertThat(rails.get(RailId.of("sbx"))).isInstanceOf(SandboxRail.class);
    }

    @Test
    void anUnknownRailNameIsRefusedNamingWhatWasFound() {
        assertThatThrownBy(() -> RailLoader.load(
                        List.of("sandbox", "lightning"),
                        name -> RailSettings.of(name, Map.of(), Clock.systemUTC()),
                        loader))
                .isInstanceOf(RailConfigurationException.class)
                .hasMessageContaining("holdfast.rails.enabled")
                .hasMessageContaining("'lightning'")
                .hasMessageContaining("[sandbox]");
    }

    @Test
    void theMeteredRailTimesEachCallAndTracksTransfersAwaitingAnOutcome() {
        SandboxRail sandbox = SandboxRail.builder().build();
        List<String> calls = new CopyOnWriteArrayList<>();
        MeteredPaymentRail rail =
                new MeteredPaymentRail(sandbox, (id, op, elapsed, status) -> calls.add(id + "/" + op + "/" + status));
        List<RailNotification> seen = new CopyOnWriteArrayList<>();
        rail.setListener(seen::add);
        TransferId transfer = TransferId.of("t-1");
        FundingRequest request = new FundingRequest(
                transfer,
                EscrowId.of("e-1"),
                Money.of(1_000, Asset.USD),
                PartyId.of("alice"),
                PartyId.of("bob"),
                Instant.now().plus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofHours(2)),
                Map.of());

        assertThat(rail.openFunding(request).status()).isEqualTo(RailStatus.PENDING);
        assertThat(rail.awaitingOutcome()).isEqualTo(1);
        assertThat(sandbox.fund(transfer)).isTrue();
        assertThat(seen).singleElement().isInstanceOf(RailNotification.Funded.class);
        assertThat(rail.awaitingOutcome()).isZero();
        assertThat(rail.query(transfer).status()).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(calls).containsExactly("sandbox/openFunding/PENDING", "sandbox/query/SUCCEEDED");
    }
}
