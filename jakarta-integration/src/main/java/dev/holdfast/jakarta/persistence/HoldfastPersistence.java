package dev.holdfast.jakarta.persistence;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Creates the {@code holdfast} persistence unit (META-INF/persistence.xml: RESOURCE_LOCAL, entity classes listed,
 * no DDL generation) on a data source or a JDBC URL, for Java SE hosts and for CDI wiring. Run {@link
 * HoldfastMigrations#migrate(DataSource)} first. Stateless and thread-safe.
 *
 * @since 0.5
 */
public final class HoldfastPersistence {
    /** The persistence unit's name in META-INF/persistence.xml. */
    public static final String UNIT = "holdfast";

    private static final String H2_PLATFORM = "org.eclipse.persistence.platform.database.H2Platform";
    private static final String POSTGRES_PLATFORM = "org.eclipse.persistence.platform.database.PostgreSQLPlatform";

    private HoldfastPersistence() {}

    /**
     * @param dataSource a (pooling) data source; passed as {@code jakarta.persistence.nonJtaDataSource}, so the
     *     store's own resource-local transactions work inside a Jakarta EE server as well
     * @return a new factory; the caller closes it
     */
    public static EntityManagerFactory entityManagerFactory(DataSource dataSource) {
        return entityManagerFactory(dataSource, Map.of());
    }

    /**
     * @param dataSource a (pooling) data source
     * @param overrides further persistence properties (EclipseLink logging, pool sizes), applied last
     * @return a new factory; the caller closes it
     */
    public static EntityManagerFactory entityManagerFactory(DataSource dataSource, Map<String, ?> overrides) {
        Objects.requireNonNull(dataSource, "dataSource");
        Map<String, Object> properties = common();
        properties.put("jakarta.persistence.nonJtaDataSource", dataSource);
        try (Connection c = dataSource.getConnection()) {
            putTarget(properties, c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to read the database product", e);
        }
        properties.putAll(overrides);
        return Persistence.createEntityManagerFactory(UNIT, properties);
    }

    /**
     * @param jdbcUrl a JDBC URL, e.g. {@code jdbc:postgresql://db/holdfast} or {@code jdbc:h2:file:./holdfast}
     * @param user the user
     * @param password the password, or {@code null}
     * @return a new factory with EclipseLink's own connection pool; the caller closes it
     */
    public static EntityManagerFactory entityManagerFactory(String jdbcUrl, String user, String password) {
        return entityManagerFactory(jdbcUrl, user, password, Map.of());
    }

    /**
     * @param jdbcUrl a JDBC URL
     * @param user the user
     * @param password the password, or {@code null}
     * @param overrides further persistence properties, applied last
     * @return a new factory with EclipseLink's own connection pool; the caller closes it
     */
    public static EntityManagerFactory entityManagerFactory(
            String jdbcUrl, String user, String password, Map<String, ?> overrides) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Map<String, Object> properties = common();
        properties.put("jakarta.persistence.jdbc.url", jdbcUrl);
        properties.put("jakarta.persistence.jdbc.user", user);
        properties.put("jakarta.persistence.jdbc.password", password == null ? "" : password);
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            properties.put("jakarta.persistence.jdbc.driver", "org.postgresql.Driver");
            properties.put("eclipselink.target-database", POSTGRES_PLATFORM);
        } else if (lower.startsWith("jdbc:h2:")) {
            properties.put("jakarta.persistence.jdbc.driver", "org.h2.Driver");
            properties.put("eclipselink.target-database", H2_PLATFORM);
        }
        properties.putAll(overrides);
        return Persistence.createEntityManagerFactory(UNIT, properties);
    }

    private static void putTarget(Map<String, Object> properties, String product) {
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgres")) {
            properties.put("eclipselink.target-database", POSTGRES_PLATFORM);
        } else if (p.equals("h2")) {
            properties.put("eclipselink.target-database", H2_PLATFORM);
        }
        // anything else: EclipseLink detects the platform from the connection itself
    }

    private static Map<String, Object> common() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
        return properties;
    }
}
