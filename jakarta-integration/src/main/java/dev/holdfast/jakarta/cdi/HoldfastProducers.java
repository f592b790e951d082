package dev.holdfast.jakarta.cdi;

import dev.holdfast.api.EscrowEngine;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryEvidenceStore;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.jakarta.events.EventStreamConfig;
import dev.holdfast.jakarta.persistence.JpaEvidenceStore;
import dev.holdfast.jakarta.persistence.JpaHoldfastStore;
import dev.holdfast.jakarta.secrets.SecretCipher;
import dev.holdfast.jakarta.webhooks.WebhookConfig;
import dev.holdfast.spi.EvidenceStore;
import dev.holdfast.spi.HoldfastStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;

/**
 * Produces the engine and what it is built from. Every bean here is a default the host can replace: declare a bean
 * (or a producer) of the same type annotated {@code @Alternative @Priority(Interceptor.Priority.APPLICATION + 10)}
 * and it wins everywhere, including inside the engine:
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class MyClock {
 *     @Produces @Alternative @Priority(Interceptor.Priority.APPLICATION + 10) @Singleton
 *     Clock clock() { return Clock.tickMillis(ZoneOffset.UTC); }
 * }
 * }</pre>
 *
 * <p>Replaceable this way: {@link HoldfastConfig}, {@link Clock}, {@link HoldfastStore}, {@link EvidenceStore},
 * {@link EscrowEngine}, the {@link DataSource} (also used by the webhook tables), {@link WebhookConfig}, {@link
 * EventStreamConfig} and {@link SecretCipher}. A {@link DisputePolicy} bean, when the host declares one, is used as is. Event sinks are not
 * replaced but added: every {@link dev.holdfast.spi.EventSink} bean receives the outbox (see {@link
 * HoldfastEventSinks}).
 */
@ApplicationScoped
public class HoldfastProducers {
    @Inject
    Instance<DisputePolicy> disputePolicy;

    /**
     * @param config MicroProfile Config
     * @return the plugin's settings
     */
    @Produces
    @Singleton
    public HoldfastConfig holdfastConfig(Config config) {
        return HoldfastConfig.from(key -> config.getOptionalValue(key, String.class));
    }

    /** @return the system clock in UTC */
    @Produces
    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * @param config the settings
     * @param jpa the persistence unit, for {@code jpa}
     * @return the store {@code holdfast.store} names, migrated first when {@code holdfast.migrate-at-start}
     */
    @Produces
    @ApplicationScoped
    public HoldfastStore store(HoldfastConfig config, HoldfastJpa jpa) {
        return switch (config.store()) {
            case MEMORY -> new InMemoryStore();
            case JPA -> new JpaHoldfastStore(jpa.entityManagerFactory());
        };
    }

    /**
     * @param config the settings
     * @param jpa the persistence unit, for {@code jpa}
     * @param clock the clock
     * @return the evidence store matching {@code holdfast.store}
     */
    @Produces
    @ApplicationScoped
    public EvidenceStore evidenceStore(HoldfastConfig config, HoldfastJpa jpa, Clock clock) {
        return switch (config.store()) {
            case MEMORY -> new InMemoryEvidenceStore();
            case JPA -> new JpaEvidenceStore(jpa.entityManagerFactory(), clock);
        };
    }

    /**
     * @param config the settings
     * @param store the store
     * @param evidence the evidence store
     * @param clock the clock
     * @param rails the enabled rails
     * @param sinks the composed event sink
     * @return the engine; closed with the application
     */
    @Produces
    @ApplicationScoped
    public EscrowEngine engine(
            HoldfastConfig config,
            HoldfastStore store,
            EvidenceStore evidence,
            Clock clock,
            HoldfastRails rails,
            HoldfastEventSinks sinks) {
        Holdfast.Builder b = Holdfast.builder()
                .store(store)
                .clock(clock)
                .eventSink(sinks)
                .evidenceStore(evidence)
                .config(EngineConfig.defaults().withNodeId(config.nodeId()));
        if (disputePolicy.isResolvable()) {
            b.disputes(disputePolicy.get());
        }
        rails.all().forEach(b::rail);
        return b.build();
    }

    /**
     * @param dataSources finds {@code holdfast.datasource}
     * @return the plugin's DataSource as a bean, for the webhook tables
     */
    @Produces
    @ApplicationScoped
    public DataSource dataSource(HoldfastDataSource dataSources) {
        return dataSources.get();
    }

    /**
     * @param config MicroProfile Config
     * @param holdfast the settings
     * @return {@code holdfast.webhooks.*}, node id defaulting to {@code holdfast.node-id}
     */
    @Produces
    @Singleton
    public WebhookConfig webhookConfig(Config config, HoldfastConfig holdfast) {
        WebhookConfig c = WebhookConfig.fromConfig(key -> config.getOptionalValue(key, String.class));
        return config.getOptionalValue(WebhookConfig.PREFIX + "node-id", String.class)
                        .isPresent()
                ? c
                : c.withNodeId(holdfast.nodeId());
    }

    /**
     * @param config MicroProfile Config
     * @return {@code holdfast.events.*}
     */
    @Produces
    @Singleton
    public EventStreamConfig eventStreamConfig(Config config) {
        return EventStreamConfig.fromConfig(key -> config.getOptionalValue(key, String.class));
    }

    /**
     * @param config MicroProfile Config
     * @return the cipher of {@code holdfast.secrets.keys}; fails, when first used, if none are configured
     */
    @Produces
    @Singleton
    public SecretCipher secretCipher(Config config) {
        return SecretCipher.fromConfig(key -> config.getOptionalValue(key, String.class));
    }

    void close(@Disposes EscrowEngine engine) {
        engine.close();
    }
}
