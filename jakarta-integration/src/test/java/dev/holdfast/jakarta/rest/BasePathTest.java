package dev.holdfast.jakarta.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.PartyId;
import dev.holdfast.jakarta.rest.Http.Resp;
import dev.holdfast.jakarta.rest.Http.User;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A host may serve the API under a base path of its own; the canonical one then answers 404. */
class BasePathTest {

    @Test
    void aConfiguredBasePathServesTheApiAndHidesTheCanonicalOne() {
        try (RestServer server = new RestServer(
                new RestSettings("market/escrow/v2/", RestSettings.DEFAULT_MAX_EVIDENCE_BYTES),
                List.of(PartyId.of("arbiter")))) {
            Http http = server.http();
            User alice = User.party("alice");
            Resp created = http.post(
                    alice,
                    "market/escrow/v2/escrows",
                    "k1",
                    Bodies.create("alice", "bob", server.clock.instant(), 500));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().get("id").toString();
            assertThat(created.header("Location")).endsWith("/api/market/escrow/v2/escrows/" + id);

            Resp read = http.get(alice, "market/escrow/v2/escrows/" + id + "?unused=1");
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().get("id")).isEqualTo(id);

            Resp canonical = http.get(alice, "holdfast/v1/escrows/" + id);
            assertThat(canonical.status()).isEqualTo(404);
            assertThat(canonical.code()).isEqualTo("RESOURCE_NOT_FOUND");
            assertThat(canonical.json().get("instance")).isEqualTo("/api/holdfast/v1/escrows/" + id);

            Resp page = http.get(alice, "market/escrow/v2/escrows?limit=1");
            assertThat(page.status()).isEqualTo(200);
            assertThat(http.get(alice, "market/escrow/v2/nothing").code()).isEqualTo("RESOURCE_NOT_FOUND");
        }
    }

    @Test
    void theBasePathMustBeAPlainPath() {
        assertThat(new RestSettings("/a/b/", 1).basePath()).isEqualTo("/a/b");
        assertThat(RestSettings.defaults().basePath()).isEqualTo("/holdfast/v1");
        for (String bad : List.of("", "/", "a//b", "../x", "a b", "a?b")) {
            assertThatThrownBy(() -> new RestSettings(bad, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new RestSettings("/x", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
