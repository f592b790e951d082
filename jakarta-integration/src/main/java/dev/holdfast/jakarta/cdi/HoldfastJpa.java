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
            factory = HoldfastPersistence.entityManagerFactory(dataSource.get());
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
