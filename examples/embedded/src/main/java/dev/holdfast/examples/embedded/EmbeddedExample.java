package dev.holdfast.examples.embedded;

import dev.holdfast.api.EscrowEngine;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.jakarta.persistence.HoldfastMigrations;
import dev.holdfast.jakarta.persistence.HoldfastPersistence;
import dev.holdfast.jakarta.persistence.JpaEvidenceStore;
import dev.holdfast.jakarta.persistence.JpaHoldfastStore;
import jakarta.persistence.EntityManagerFactory;
import java.io.PrintStream;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Holdfast in a plain Java SE program: durable escrows in an H2 file database through the JPA store, money moved by
 * the sandbox rail, no container. This class is the wiring a team on another framework copies; {@link
 * MarketplaceStory} is what a marketplace then does with the engine.
 *
 * <p>Run it twice on the same database: the second run lists the first run's escrows and adds a new order.
 */
public final class EmbeddedExample {
    /** Used when no JDBC URL is given: a file database under the working directory's {@code target/}. */
    static final String DEFAULT_URL = "jdbc:h2:file:./target/embedded-db/holdfast";

    // Flyway logs each step at INFO through java.util.logging; warnings are enough here. Held in a field: the
    // logging framework keeps loggers weakly, and a collected logger forgets its level.
    private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

    private EmbeddedExample() {}

    /**
     * @param args optional: the H2 JDBC URL, e.g. {@code jdbc:h2:mem:holdfast} for a database that lives only as long
     *     as the program
     */
    public static void main(String[] args) {
        FLYWAY_LOG.setLevel(Level.WARNING);
        run(args.length > 0 ? args[0] : DEFAULT_URL, System.out);
    }

    static void run(String jdbcUrl, PrintStream out) {
        // Any pooling DataSource will do (HikariCP, the application server's); H2 ships a small one.
        JdbcConnectionPool dataSource = JdbcConnectionPool.create(jdbcUrl, "sa", "");
        try {
            int applied = HoldfastMigrations.migrate(dataSource); // creates or upgrades the holdfast_* tables
            out.println("Database " + jdbcUrl + ": " + applied + " migration(s) applied");
            SandboxRail rail = SandboxRail.builder().build();
            try (EntityManagerFactory emf = HoldfastPersistence.entityManagerFactory(dataSource)) {
                JpaEvidenceStore evidence = new JpaEvidenceStore(emf);
                try (EscrowEngine engine = Holdfast.builder()
                        .store(new JpaHoldfastStore(emf))
                        .evidenceStore(evidence)
                        .rail(rail)
                        .build()) {
                    new MarketplaceStory(engine, rail, evidence, out).run();
                }
            }
        } finally {
            dataSource.dispose();
        }
    }
}
