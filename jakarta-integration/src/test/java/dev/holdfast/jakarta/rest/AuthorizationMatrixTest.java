package dev.holdfast.jakarta.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.TransferId;
import dev.holdfast.jakarta.rest.AuthorizationMatrix.Row;
import dev.holdfast.jakarta.rest.AuthorizationMatrix.World;
import dev.holdfast.jakarta.rest.Http.Resp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays {@code authorization-matrix.csv} over HTTP: every endpoint × role × own/foreign escrow, each row in a world
 * of its own so that no row depends on another. A row missing from the table, or a table row for an endpoint that
 * does not exist, fails.
 */
class AuthorizationMatrixTest {
    static RestServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = new RestServer();
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theTableHasExactlyOneRowForEveryEndpointRoleAndScope() {
        List<Row> rows = AuthorizationMatrix.rows();
        TreeSet<String> declared = AuthorizationMatrix.declaredEndpoints();
        assertThat(declared).hasSizeGreaterThanOrEqualTo(29);
        Map<String, Integer> cells = new HashMap<>();
        for (Row row : rows) {
            assertThat(AuthorizationMatrix.ROLES).as("line " + row.line()).contains(row.role());
            assertThat(AuthorizationMatrix.SCOPES).as("line " + row.line()).contains(row.scope());
            cells.merge(row.endpoint() + " " + row.role() + " " + row.scope(), 1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        for (String endpoint : declared) {
            for (String role : AuthorizationMatrix.ROLES) {
                for (String scope : AuthorizationMatrix.SCOPES) {
                    if (cells.getOrDefault(endpoint + " " + role + " " + scope, 0) != 1) {
                        missing.add(endpoint + " " + role + " " + scope);
                    }
                }
            }
        }
        assertThat(missing).as("cells without exactly one row").isEmpty();
        assertThat(rows).extracting(Row::endpoint).allMatch(declared::contains, "an endpoint the resources declare");
        assertThat(rows).hasSize(declared.size() * AuthorizationMatrix.ROLES.size() * 2);
    }

    private World shared;

    /**
     * A row that changes something (a POST expected to succeed) runs in a world of its own; every other row shares
     * one world, since a GET or a refused request changes nothing, which each such row checks by comparing both
     * escrows' versions before and after.
     */
    @TestFactory
    Stream<DynamicTest> everyRowAnswersItsStatus() {
        return AuthorizationMatrix.rows().stream()
                .map(row -> DynamicTest.dynamicTest(row.toString(), () -> {
                    boolean changes = row.endpoint().startsWith("POST ") && row.status() < 300;
                    World world = changes ? world() : shared();
                    Map<String, Object> before = versions(world);
                    Resp r = AuthorizationMatrix.send(http, world, row, server.clock.instant());
                    assertThat(r.status())
                            .as(row + " (line " + row.line() + "): " + r)
                            .isEqualTo(row.status());
                    if (!row.code().isEmpty()) {
                        assertThat(r.contentType()).as(row.toString()).startsWith(Problems.PROBLEM_JSON);
                        assertThat(r.code()).as(row + ": " + r).isEqualTo(row.code());
                    }
                    if (!changes) {
                        assertThat(versions(world)).as(row + " changed nothing").isEqualTo(before);
                    }
                }));
    }

    private World world() {
        return World.build(http, server.clock.instant(), t -> server.rail.fund(TransferId.of(t)));
    }

    private World shared() {
        if (shared == null) {
            shared = world();
        }
        return shared;
    }

    private static Map<String, Object> versions(World w) {
        Map<String, Object> out = new HashMap<>();
        for (Map<String, String> ids : List.of(w.own, w.foreign)) {
            String id = ids.get("escrow");
            out.put(id, server.engine.get(dev.holdfast.api.EscrowId.of(id)).version());
        }
        return out;
    }
}
