package dev.holdfast.jakarta.persistence;

import java.io.PrintStream;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The store's schema as versioned Flyway migrations: location {@value #LOCATION}, history table {@value
 * #HISTORY_TABLE}, every table prefixed {@code holdfast_}. The same SQL runs on PostgreSQL 15 and H2 2.5.
 *
 * <p>At start-up: {@code HoldfastMigrations.migrate(dataSource)} (a no-op when the schema is current). From the
 * command line, with this jar, Flyway, and the JDBC driver on the class path:
 *
 * <pre>
 * java -cp jakarta-integration.jar:flyway-core.jar:flyway-database-postgresql.jar:postgresql.jar:... \
 *     dev.holdfast.jakarta.persistence.HoldfastMigrations [migrate|info] &lt;jdbc-url&gt; &lt;user&gt; [password]
 * </pre>
 *
 * {@code migrate} (the default when the first argument is the URL) applies pending versions; {@code info} lists
 * every version with its state. Versions 1 to 99 are the store's; 100 and above belong to other parts of the plugin.
 * Migrations apply out of order, so a new store version below 100 still runs on a database that has 100 already.
 * Stateless and thread-safe.
 *
 * @since 0.5
 */
public final class HoldfastMigrations {
    /** Where the migrations are. */
    public static final String LOCATION = "classpath:db/migration/holdfast";

    /** Flyway's history table. */
    public static final String HISTORY_TABLE = "holdfast_schema_history";

    private HoldfastMigrations() {}

    /**
     * Applies pending migrations.
     *
     * @param dataSource the database
     * @return how many migrations ran (0 when the schema was current)
     */
    public static int migrate(DataSource dataSource) {
        return migrate(configure().dataSource(dataSource).load());
    }

    /**
     * @param jdbcUrl the database
     * @param user user
     * @param password password, or {@code null}
     * @return how many migrations ran
     */
    public static int migrate(String jdbcUrl, String user, String password) {
        return migrate(configure().dataSource(jdbcUrl, user, password).load());
    }

    /**
     * @param dataSource the database
     * @return every known migration (applied and pending), oldest first
     */
    public static MigrationInfo[] info(DataSource dataSource) {
        return configure().dataSource(dataSource).load().info().all();
    }

    private static int migrate(Flyway flyway) {
        MigrateResult result = flyway.migrate();
        return result.migrationsExecuted;
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration configure() {
        return Flyway.configure(HoldfastMigrations.class.getClassLoader())
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // a host's database may already hold its own tables: start the history there, at version 0
                .baselineOnMigrate(true)
                .baselineVersion("0")
                // store versions (1 to 99) keep coming after the plugin's 100+: a database at 1 and 100 still takes 2
                .outOfOrder(true);
    }

    /**
     * Command line: {@code [migrate|info] <jdbc-url> <user> [password]}.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        int i = 0;
        String command = "migrate";
        if (args.length > 0 && (args[0].equals("migrate") || args[0].equals("info"))) {
            command = args[0];
            i = 1;
        }
        if (args.length - i < 2 || args.length - i > 3) {
            err.println("usage: HoldfastMigrations [migrate|info] <jdbc-url> <user> [password]");
            return 2;
        }
        String url = args[i];
        String user = args[i + 1];
        String password = args.length - i == 3 ? args[i + 2] : null;
        Flyway flyway = configure().dataSource(url, user, password).load();
        if (command.equals("info")) {
            for (MigrationInfo m : flyway.info().all()) {
                out.println(Objects.toString(m.getVersion(), "") + "\t"
                        + m.getState().getDisplayName() + "\t" + m.getDescription());
            }
        } else {
            out.println("applied " + migrate(flyway) + " migration(s)");
        }
        return 0;
    }
}
