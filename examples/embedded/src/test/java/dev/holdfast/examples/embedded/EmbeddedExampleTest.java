package dev.holdfast.examples.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the example twice on one fresh H2 file database, as a developer would, and reads the database in between. */
class EmbeddedExampleTest {
    private static final Pattern CREATED =
            Pattern.compile("created (esc_[0-9a-f]+); a retry with the same key returns (\\S+)");
    private static final Pattern AUDIT = Pattern.compile("Audit log: (\\d+) hash-chained entries, intact: (\\w+)");

    @TempDir
    Path dir;

    @Test
    void aSecondRunFindsTheFirstRunsEscrowAndAddsANewOrder() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("holdfast").toAbsolutePath();

        String first = run(url);
        assertThat(first)
                .contains(": 3 migration(s) applied")
                .contains("Escrows already in the database: 0")
                .contains("order-1001: a website from ben for ana")
                .contains("funded: FUNDED, held 1000.00 USD")
                .contains("build disputed by ana, settled: 450.00 USD to ben, the rest back: RESOLVED")
                // design 400.00 and the settled 450.00 of build, less the seller's 5 % fee
                .contains("ben withdraws 807.50 USD: SUCCEEDED")
                .contains("REFUND of build, 150.00 USD to the buyer")
                .contains("ana: reserved 0.00 USD, pending 0.00 USD, available 0.00 USD, paid out 150.00 USD")
                .contains("Escrows in the database now: 1");
        String escrow = createdEscrow(first);
        long firstAudit = auditEntries(first);

        // what the first run left behind, read without the library
        assertThat(rows(url, "SELECT escrow_id FROM holdfast_escrow ORDER BY creation_order"))
                .containsExactly(escrow);
        assertThat(rows(url, "SELECT idempotency_key FROM holdfast_idempotency ORDER BY idempotency_key"))
                .containsExactly(
                        "order-1001/accept-design",
                        "order-1001/create",
                        "order-1001/deliver-build",
                        "order-1001/deliver-design",
                        "order-1001/dispute-build",
                        "order-1001/evidence-build",
                        "order-1001/offer-build",
                        "order-1001/settle-build",
                        "order-1001/withdraw");
        assertThat(rows(url, "SELECT COUNT(*) FROM holdfast_audit")).containsExactly(String.valueOf(firstAudit));

        String second = run(url);
        assertThat(second)
                .contains(": 0 migration(s) applied")
                .contains("Escrows already in the database: 1")
                .contains("  " + escrow + " order-1001 RELEASED, amount 1000.00 USD, held 0.00 USD")
                .contains("order-1002: a website from ben for ana")
                .contains("ben withdraws 807.50 USD: SUCCEEDED")
                // balances span both orders: they were read back from the database, not from this run's memory
                .contains("ana: reserved 0.00 USD, pending 0.00 USD, available 0.00 USD, paid out 300.00 USD")
                .contains("ben: reserved 0.00 USD, pending 0.00 USD, available 0.00 USD, paid out 1615.00 USD")
                .contains("Escrows in the database now: 2");
        String secondEscrow = createdEscrow(second);
        assertThat(secondEscrow).isNotEqualTo(escrow);
        // the same story appends as many entries again, to one chain that still verifies
        assertThat(auditEntries(second)).isEqualTo(2 * firstAudit);

        assertThat(rows(url, "SELECT escrow_id FROM holdfast_escrow ORDER BY creation_order"))
                .containsExactly(escrow, secondEscrow);
        assertThat(rows(url, "SELECT COUNT(*) FROM holdfast_idempotency WHERE idempotency_key LIKE 'order-1002/%'"))
                .containsExactly("9");
        // the evidence store is content-addressed: the same screenshot bytes are stored once for both disputes
        assertThat(rows(url, "SELECT COUNT(*) FROM holdfast_evidence")).containsExactly("1");
    }

    private static String run(String url) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EmbeddedExample.run(url, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String createdEscrow(String output) {
        Matcher m = CREATED.matcher(output);
        assertThat(m.find()).as("the created line in%n%s", output).isTrue();
        assertThat(m.group(2)).as("the retried create").isEqualTo(m.group(1));
        return m.group(1);
    }

    private static long auditEntries(String output) {
        Matcher m = AUDIT.matcher(output);
        assertThat(m.find()).as("the audit line in%n%s", output).isTrue();
        assertThat(m.group(2)).as("audit intact").isEqualTo("true");
        return Long.parseLong(m.group(1));
    }

    private static List<String> rows(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }
}
