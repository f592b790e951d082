package dev.holdfast.jakarta.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.core.memory.InMemoryRailRecords;
import dev.holdfast.spi.RailRecords;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a rail's settings answer when it asks for a component: the host's bean, then the plugin's rail records. */
class HoldfastRailsComponentTest {
    private final RailRecords plugin = new InMemoryRailRecords();
    private final RailRecords host = new InMemoryRailRecords();

    @Test
    void railRecordsComeFromThePluginWhenTheHostHasNone() {
        assertThat(HoldfastRails.component(RailRecords.class, t -> Optional.empty(), () -> Optional.of(plugin)))
                .containsSame(plugin);
    }

    @Test
    void theHostsOwnRailRecordsWinOverThePlugins() {
        AtomicInteger pluginAsked = new AtomicInteger();
        Optional<RailRecords> answer = HoldfastRails.component(RailRecords.class, t -> Optional.of(host), () -> {
            pluginAsked.incrementAndGet();
            return Optional.of(plugin);
        });

        assertThat(answer).containsSame(host);
        assertThat(pluginAsked).as("the plugin's DataSource is not touched").hasValue(0);
    }

    @Test
    void withoutADurableStoreThereAreNoRailRecords() {
        assertThat(HoldfastRails.component(RailRecords.class, t -> Optional.empty(), Optional::empty))
                .isEmpty();
    }

    @Test
    void otherComponentsAreTheHostsOnly() {
        assertThat(HoldfastRails.component(String.class, t -> Optional.empty(), () -> Optional.of(plugin)))
                .isEmpty();
        assertThat(HoldfastRails.component(String.class, t -> Optional.of("host"), () -> Optional.of(plugin)))
                .contains("host");
    }
}
