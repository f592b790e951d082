package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.tck.store.StoreContractTest;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The JPA store on H2 (in memory, migrated by Flyway) against the store contract. */
class H2JpaStoreContractTest extends StoreContractTest {
    private static final String URL = TestDatabases.h2("holdfast_contract");
    private static EntityManagerFactory emf;

    @BeforeAll
    static void migrate() {
        HoldfastMigrations.migrate(URL, "sa", "");
        emf = HoldfastPersistence.entityManagerFactory(URL, "sa", "", TestDatabases.QUIET);
    }

    @AfterAll
    static void close() {
        emf.close();
    }

    @Override
    protected HoldfastStore newStore() {
        TestDatabases.clean(URL, "sa", "");
        return new JpaHoldfastStore(emf);
    }
}
