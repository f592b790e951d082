package dev.holdfast.jakarta.cdi;

import dev.holdfast.api.RailId;
import dev.holdfast.jakarta.persistence.JdbcRailRecords;
import dev.holdfast.jakarta.secrets.SecretCipher;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailRecords;
import dev.holdfast.spi.RailSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.Config;

/**
 * The enabled rails, built once from {@code holdfast.rails.*} by the {@link dev.holdfast.spi.RailProvider}s on the
 * class path, each wrapped in a {@link MeteredPaymentRail}. A rail's {@link RailSettings#component} answers with the
 * host's CDI bean of the asked type (a durable transfer log, a directory of accounts) when there is exactly one.
 * Asked for {@link RailRecords} without such a bean, it answers with the plugin's own {@link JdbcRailRecords} on the
 * Holdfast DataSource when {@code holdfast.store} is {@code jpa}, so the rail adapters keep their transfer logs in the
 * same durable database as the engine (with the {@code memory} store, nothing: adapters fall back to their in-memory
 * logs and say so). Closed with the application. Thread-safe after start-up.
 */
@ApplicationScoped
public class HoldfastRails {
    @Inject
    Config config;

    @Inject
    HoldfastConfig holdfast;

    @Inject
    Clock clock;

    @Inject
    @Any
    Instance<Object> beans;

    @Inject
    Instance<RailCallObserver> observers;

    @Inject
    HoldfastJpa jpa;

    @Inject
    HoldfastDataSource dataSource;

    private Map<RailId, PaymentRail> rails;

    private RailRecords railRecords;

    @PostConstruct
    void start() {
        RailCallObserver observer = observers.isResolvable() ? observers.get() : RailCallObserver.NONE;
        Map<RailId, PaymentRail> built = RailLoader.load(holdfast.enabledRails(), this::settings, loader());
        Map<RailId, PaymentRail> metered = new java.util.LinkedHashMap<>();
        built.forEach((id, rail) -> metered.put(id, new MeteredPaymentRail(rail, observer)));
        rails = java.util.Collections.unmodifiableMap(metered);
    }

    @PreDestroy
    void stop() {
        rails.values().forEach(RailLoader::close);
    }

    private static ClassLoader loader() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        return tccl != null ? tccl : HoldfastRails.class.getClassLoader();
    }

    private RailSettings settings(String name) {
        Function<String, Optional<String>> get =
                key -> config.getOptionalValue("holdfast.rails." + name + "." + key, String.class)
                        .map(String::trim)
                        .filter(v -> !v.isEmpty());
        Clock railClock = clock;
        return new RailSettings() {
            @Override
            public String railName() {
                return name;
            }

            @Override
            public Optional<String> get(String key) {
                return get.apply(key);
            }

            @Override
            public Clock clock() {
                return railClock;
            }

            @Override
            public <T> Optional<T> component(Class<T> type) {
                return HoldfastRails.component(
                        type, HoldfastRails.this::hostBean, HoldfastRails.this::pluginRailRecords);
            }
        };
    }

    private <T> Optional<T> hostBean(Class<T> type) {
        Instance<T> candidates = beans.select(type);
        return candidates.isResolvable() ? Optional.of(candidates.get()) : Optional.empty();
    }

    /**
     * What a rail's {@link RailSettings#component} answers: the host's bean first; for {@link RailRecords} without
     * one, the plugin's own when it has one.
     *
     * @param type the asked type
     * @param hostBean the host's single bean of a type, if any
     * @param pluginRailRecords the plugin's durable rail records, if the store is durable
     * @param <T> the asked type
     * @return the component, or empty for the provider's default
     */
    static <T> Optional<T> component(
            Class<T> type,
            Function<Class<T>, Optional<T>> hostBean,
            Supplier<Optional<RailRecords>> pluginRailRecords) {
        Optional<T> host = hostBean.apply(type);
        if (host.isPresent() || type != RailRecords.class) {
            return host;
        }
        return pluginRailRecords.get().map(type::cast);
    }

    /**
     * The durable rail records of the {@code jpa} store, on the same DataSource: the schema is migrated with the
     * store's (V2), so the persistence unit is created first, which runs the migrations when configured to.
     */
    private synchronized Optional<RailRecords> pluginRailRecords() {
        if (holdfast.store() != HoldfastConfig.StoreKind.JPA) {
            return Optional.empty();
        }
        if (railRecords == null) {
            jpa.entityManagerFactory();
            // Rail documents hold bearer secrets: sealed with the plugin's cipher, whose keys the webhooks need too.
            railRecords = new JdbcRailRecords(
                    dataSource.get(), beans.select(SecretCipher.class).get());
        }
        return Optional.of(railRecords);
    }

    /** @return the rails, in the order enabled, each metered */
    public List<PaymentRail> all() {
        return List.copyOf(rails.values());
    }

    /**
     * @param id a rail id
     * @return the metered rail, if enabled
     */
    public Optional<PaymentRail> find(RailId id) {
        return Optional.ofNullable(rails.get(id));
    }

    /**
     * The rail itself, under the metering: for a test host that steers the sandbox, or a host calling an adapter's
     * own methods (e.g. the Open Payments escrow grant).
     *
     * @param id a rail id
     * @param type the rail's class
     * @param <T> the rail's class
     * @return the rail, if enabled and of that class
     */
    public <T> Optional<T> unwrap(RailId id, Class<T> type) {
        return find(id).map(r -> r instanceof MeteredPaymentRail m ? m.delegate() : r)
                .filter(type::isInstance)
                .map(type::cast);
    }
}
