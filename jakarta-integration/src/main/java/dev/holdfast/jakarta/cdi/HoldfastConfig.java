package dev.holdfast.jakarta.cdi;

import dev.holdfast.spi.RailSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The plugin's settings, read from MicroProfile Config (system properties, environment, {@code
 * META-INF/microprofile-config.properties}, the server's {@code <variable>}s). Immutable and thread-safe.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code holdfast.node-id}</td><td>{@code node-<random>}</td><td>this node's name in leases</td></tr>
 *   <tr><td>{@code holdfast.store}</td><td>{@code jpa}</td><td>{@code jpa} (durable) or {@code memory}</td></tr>
 *   <tr><td>{@code holdfast.datasource}</td><td>{@code jdbc/holdfast}</td><td>JNDI name of the DataSource</td></tr>
 *   <tr><td>{@code holdfast.migrate-at-start}</td><td>{@code true}</td><td>run the Flyway migrations at
 *       start-up</td></tr>
 *   <tr><td>{@code holdfast.work-interval}</td><td>{@code PT1S}</td><td>time between background work passes
 *       (timers, reconciliation, outbox)</td></tr>
 *   <tr><td>{@code holdfast.rails.enabled}</td><td>{@code sandbox}</td><td>comma-separated rail provider
 *       names</td></tr>
 *   <tr><td>{@code holdfast.rails.<name>.<key>}</td><td></td><td>each rail's own keys, see its provider</td></tr>
 *   <tr><td>{@code holdfast.rest.base-path}</td><td>{@code holdfast/v1}</td><td>the REST API's path under the
 *       host's application path</td></tr>
 *   <tr><td>{@code holdfast.security.operator-role}</td><td>{@code holdfast-operator}</td><td>the role that may
 *       see and do everything</td></tr>
 * </table>
 *
 * @param nodeId this node's name in leases
 * @param store which store backs the engine
 * @param dataSource JNDI name of the DataSource for {@link StoreKind#JPA}
 * @param migrateAtStart whether the migrations run when the application starts
 * @param workInterval time between background work passes
 * @param enabledRails the rail provider names to build, in order
 * @param restBasePath the REST API's path, without leading or trailing slash
 * @param operatorRole the operator role name
 */
public record HoldfastConfig(
        String nodeId,
        StoreKind store,
        String dataSource,
        boolean migrateAtStart,
        Duration workInterval,
        List<String> enabledRails,
        String restBasePath,
        String operatorRole) {

    /** Key of {@link #nodeId()}. */
    public static final String NODE_ID = "holdfast.node-id";
    /** Key of {@link #store()}. */
    public static final String STORE = "holdfast.store";
    /** Key of {@link #dataSource()}. */
    public static final String DATASOURCE = "holdfast.datasource";
    /** Key of {@link #migrateAtStart()}. */
    public static final String MIGRATE_AT_START = "holdfast.migrate-at-start";
    /** Key of {@link #workInterval()}. */
    public static final String WORK_INTERVAL = "holdfast.work-interval";
    /** Key of {@link #enabledRails()}. */
    public static final String RAILS_ENABLED = "holdfast.rails.enabled";
    /** Key of {@link #restBasePath()}. */
    public static final String REST_BASE_PATH = "holdfast.rest.base-path";
    /** Key of {@link #operatorRole()}. */
    public static final String OPERATOR_ROLE = "holdfast.security.operator-role";

    /** Which store backs the engine. */
    public enum StoreKind {
        /** The JPA store on the configured DataSource: durable, shared by all nodes. */
        JPA,
        /** The in-memory store: lost at restart, one node only; for tests and demos. */
        MEMORY
    }

    public HoldfastConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(workInterval, "workInterval");
        enabledRails = List.copyOf(enabledRails);
        if (enabledRails.isEmpty()) {
            throw new IllegalArgumentException(RAILS_ENABLED + ": name at least one rail");
        }
        Objects.requireNonNull(restBasePath, "restBasePath");
        Objects.requireNonNull(operatorRole, "operatorRole");
    }

    /**
     * Reads the settings through a lookup (MicroProfile Config's {@code getOptionalValue}, a {@code Properties}, a
     * map).
     *
     * @param lookup a full key to its value, empty when absent
     * @return the settings, defaults filled in
     * @throws IllegalArgumentException naming the key when a value is invalid
     */
    public static HoldfastConfig from(Function<String, Optional<String>> lookup) {
        Function<String, Optional<String>> get =
                k -> lookup.apply(k).map(String::trim).filter(v -> !v.isEmpty());
        String storeText = get.apply(STORE).orElse("jpa").toUpperCase(Locale.ROOT);
        StoreKind store;
        try {
            store = StoreKind.valueOf(storeText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(STORE + ": expected jpa or memory, got '" + storeText + "'");
        }
        Duration interval;
        try {
            interval = get.apply(WORK_INTERVAL).map(RailSettings::parseDuration).orElse(Duration.ofSeconds(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(WORK_INTERVAL + ": " + e.getMessage());
        }
        String migrate = get.apply(MIGRATE_AT_START).orElse("true").toLowerCase(Locale.ROOT);
        if (!migrate.equals("true") && !migrate.equals("false")) {
            throw new IllegalArgumentException(MIGRATE_AT_START + ": expected true or false, got '" + migrate + "'");
        }
        List<String> rails = Arrays.stream(
                        get.apply(RAILS_ENABLED).orElse("sandbox").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
        return new HoldfastConfig(
                get.apply(NODE_ID).orElseGet(() -> "node-" + UUID.randomUUID()),
                store,
                get.apply(DATASOURCE).orElse("jdbc/holdfast"),
                Boolean.parseBoolean(migrate),
                interval,
                rails,
                trimSlashes(get.apply(REST_BASE_PATH).orElse("holdfast/v1")),
                get.apply(OPERATOR_ROLE).orElse("holdfast-operator"));
    }

    private static String trimSlashes(String path) {
        return path.replaceAll("^/+", "").replaceAll("/+$", "");
    }
}
