package dev.holdfast.jakarta.cdi;

import dev.holdfast.jakarta.persistence.HoldfastMigrations;
import dev.holdfast.jakarta.persistence.HoldfastPersistence;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import java.lang.System.Logger.Level;

/**
 * The {@code holdfast} persistence unit on the configured DataSource, created on first use after running the Flyway
 * migrations (when {@code holdfast.migrate-at-start}), shared by the store and the evidence store, closed with the
 * application.
 */
@ApplicationScoped
public class HoldfastJpa {
    private static final System.Logger LOG = System.getLogger(HoldfastJpa.class.getName());

    /**
     * A Jakarta EE server may weave the entity classes (Open Liberty does, for every persistence unit of the
     * application). Woven change tracking only sees field writes made inside the entity class, while the store sets
     * counters from outside: deferred change detection (what Java SE gets without weaving) compares at commit
     * instead. No shared cache either, whatever the server defaults to: several nodes write the same rows.
     */
    static final java.util.Map<String, String> CONTAINER_OVERRIDES = java.util.Map.of(
            "eclipselink.weaving",
            "false",
            "eclipselink.weaving.changetracking",
            "false",
            "eclipselink.cache.shared.default",
            "false");

    @Inject
    HoldfastConfig config;

    @Inject
    HoldfastDataSource dataSource;

    private EntityManagerFactory factory;

    /** @return the factory, migrated and created on first call */
    public synchronized EntityManagerFactory entityManagerFactory() {
        if (factory == null) {
            if (config.migrateAtStart()) {
                int applied = HoldfastMigrations.migrate(dataSource.get());
                LOG.log(Level.INFO, "Holdfast migrations applied: {0}", applied);
            }
            factory = HoldfastPersistence.entityManagerFactory(dataSource.get(), CONTAINER_OVERRIDES);
        }
        return factory;
    }

    @PreDestroy
    synchronized void close() {
        if (factory != null && factory.isOpen()) {
            factory.close();
        }
    }
}
