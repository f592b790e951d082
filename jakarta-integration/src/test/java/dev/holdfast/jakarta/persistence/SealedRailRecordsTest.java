package dev.holdfast.jakarta.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.RailId;
import dev.holdfast.jakarta.secrets.SecretCipher;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Rail documents hold bearer tokens: what reaches the database is sealed, and a sealed row opens only in place. */
class SealedRailRecordsTest {
    private static final RailId RAIL = RailId.of("openpayments");

    static SecretCipher cipher() {
        return new SecretCipher(
                Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)), "k1");
    }

    @Test
    void documentsAreSealedAtRestAndReadBackExactly() throws SQLException {
        DataSource ds = RailRecordsDatabases.h2("holdfast_sealed_rail_records");
        RailRecordsDatabases.clean(ds);
        JdbcRailRecords records = new JdbcRailRecords(ds, cipher());
        String document = "continueToken=GNAP-SECRET-123\\nstage=OPEN";

        records.insertIfAbsent(RAIL, "transfer:t1", document, Set.of("unresolved"));
        records.update(RAIL, "transfer:t1", 1, document + "\\nmore", Set.of());

        assertThat(stored(ds, "transfer:t1")).doesNotContain("GNAP-SECRET").startsWith("k1:");
        assertThat(records.find(RAIL, "transfer:t1").orElseThrow().document()).isEqualTo(document + "\\nmore");
        // in clear, the same rows are unreadable as documents: nobody reads a sealed store without its keys
        assertThat(new JdbcRailRecords(ds)
                        .find(RAIL, "transfer:t1")
                        .orElseThrow()
                        .document())
                .doesNotContain("GNAP-SECRET");
    }

    @Test
    void aSealedDocumentCopiedOntoAnotherRecordDoesNotOpen() throws SQLException {
        DataSource ds = RailRecordsDatabases.h2("holdfast_sealed_rail_records_copy");
        RailRecordsDatabases.clean(ds);
        JdbcRailRecords records = new JdbcRailRecords(ds, cipher());
        records.insertIfAbsent(RAIL, "transfer:a", "continueToken=A", Set.of());
        records.insertIfAbsent(RAIL, "transfer:b", "continueToken=B", Set.of());
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE holdfast_rail_record SET document = ? WHERE record_key = 'transfer:b'")) {
            ps.setString(1, stored(ds, "transfer:a"));
            ps.executeUpdate();
        }

        assertThatThrownBy(() -> records.find(RAIL, "transfer:b")).isInstanceOf(RuntimeException.class);
    }

    private static String stored(DataSource ds, String key) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT document FROM holdfast_rail_record WHERE record_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
