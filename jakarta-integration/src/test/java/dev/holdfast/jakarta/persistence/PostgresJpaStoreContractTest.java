package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.tck.store.StoreContractTest;
import jakarta.persistence.EntityManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The JPA store on PostgreSQL (a fresh database, migrated by Flyway) against the store contract. */
class PostgresJpaStoreContractTest extends StoreContractTest {
    private static String url;
    private static EntityManagerFactory emf;

    @BeforeAll
    static void migrate() {
        url = TestDatabases.freshPostgres("holdfast_jpa_test");
        HoldfastMigrations.migrate(url, TestDatabases.ROLE, TestDatabases.PASSWORD);
        emf = HoldfastPersistence.entityManagerFactory(
                url, TestDatabases.ROLE, TestDatabases.PASSWORD, TestDatabases.QUIET);
    }

    @AfterAll
    static void close() {
        emf.close();
    }

    @Override
    protected HoldfastStore newStore() {
        TestDatabases.clean(url, TestDatabases.ROLE, TestDatabases.PASSWORD);
        return new JpaHoldfastStore(emf);
    }
}
