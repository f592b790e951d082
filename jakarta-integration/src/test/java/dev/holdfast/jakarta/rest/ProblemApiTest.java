package dev.holdfast.jakarta.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowQuery;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.TransferId;
import dev.holdfast.jakarta.rest.Http.Resp;
import dev.holdfast.jakarta.rest.Http.User;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of error is an RFC 9457 problem with the right status and stable code, and changes nothing: the escrow's
 * version, its history, the number of escrows and the evidence stay as they were.
 */
class ProblemApiTest {
    static final String API = "holdfast/v1/";
    static final User ALICE = User.party("alice");
    static final User BOB = User.party("bob");
    static RestServer server;
    static Http http;
    String escrow;
    String dispute;

    @BeforeAll
    static void start() {
        server = new RestServer(new RestSettings("/holdfast/v1", 1024), List.of(PartyId.of("arbiter")));
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    @SuppressWarnings("unchecked")
    void fundedEscrowWithADispute() {
        Resp created = http.post(
                ALICE, API + "escrows", key(), Bodies.create("alice", "bob", server.clock.instant(), 4_000, 6_000));
        escrow = created.json().get("id").toString();
        server.rail.fund(TransferId.of(created.json().get("fundingTransfer").toString()));
        Resp opened = http.post(
                ALICE, API + "escrows/" + escrow + "/disputes", key(), Map.of("milestone", "m2", "reason", "late"));
        dispute = ((List<Map<String, Object>>) opened.json().get("disputes"))
                .get(0)
                .get("id")
                .toString();
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    record State(long version, int events, int escrows) {}

    State state() {
        return new State(
                server.engine.get(EscrowId.of(escrow)).version(),
                server.engine.history(EscrowId.of(escrow)).size(),
                server.engine.list(EscrowQuery.firstPage(null, 200)).items().size());
    }

    /** Runs the request, checks the problem document, and that nothing changed. */
    Map<String, Object> problem(int status, String code, Supplier<Resp> request) {
        State before = state();
        Resp r = request.get();
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith(Problems.PROBLEM_JSON);
        Map<String, Object> p = r.json();
        assertThat(p.get("code")).as(r.toString()).isEqualTo(code);
        assertThat(p.get("type"))
                .isEqualTo("urn:holdfast:problem:" + code.toLowerCase().replace('_', '-'));
        assertThat(((Number) p.get("status")).intValue()).isEqualTo(status);
        assertThat(p.get("title")).isNotNull();
        assertThat(p.get("detail")).isNotNull();
        assertThat(p.get("instance").toString()).startsWith("/api/");
        assertThat(state()).isEqualTo(before);
        return p;
    }

    String path(String rest) {
        return API + "escrows/" + escrow + rest;
    }

    @Test
    void aRefusedCommandAnswersItsCodesStatus() {
        problem(409, "INVALID_STATE", () -> http.post(ALICE, path("/accept?milestone=m1"), key(), null));
        problem(404, "MILESTONE_NOT_FOUND", () -> http.post(BOB, path("/delivered?milestone=m9"), key(), null));
        problem(400, "INVALID_ID", () -> http.post(BOB, path("/delivered?milestone=m%20x"), key(), null));
        problem(404, "ESCROW_NOT_FOUND", () -> http.get(ALICE, API + "escrows/esc_nope"));
        problem(
                404,
                "DISPUTE_NOT_FOUND",
                () -> http.post(ALICE, path("/disputes/dsp_nope/messages"), key(), Map.of("text", "hello")));
        problem(422, "ASSET_NOT_SUPPORTED", () -> {
            Map<String, Object> body = Bodies.create("alice", "bob", server.clock.instant(), 100);
            body.put("amount", Map.of("minor", 100, "asset", "JPY", "scale", 0));
            return http.post(ALICE, API + "escrows", key(), body);
        });
        problem(400, "DEADLINE_IN_PAST", () -> {
            Map<String, Object> body = Bodies.create("alice", "bob", server.clock.instant(), 100);
            body.put("fundBy", "2020-01-01T00:00:00Z");
            return http.post(ALICE, API + "escrows", key(), body);
        });
        problem(403, "PARTY_NOT_ALLOWED", () -> http.post(ALICE, path("/delivered"), key(), null));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBodyThatBreaksItsConstraintsListsEveryViolation() {
        Map<String, Object> body = Bodies.create("alice", "bob", server.clock.instant(), 100);
        body.remove("buyer");
        body.put("milestones", List.of());
        body.put("fee", Map.of("basisPoints", 20_000, "payer", "BUYER"));
        Map<String, Object> p = problem(400, "INVALID_REQUEST", () -> http.post(ALICE, API + "escrows", key(), body));
        List<Map<String, Object>> errors = (List<Map<String, Object>>) p.get("errors");
        assertThat(errors).extracting(e -> e.get("field")).contains("buyer", "milestones", "fee.basisPoints");

        problem(400, "INVALID_REQUEST", () -> http.post(BOB, path("/refund"), key(), Map.of("amountMinor", 100)));
        problem(
                400,
                "INVALID_REQUEST",
                () -> http.post(
                        ALICE,
                        path("/disputes/" + dispute + "/offers"),
                        key(),
                        Map.of("outcome", Map.of("kind", "SPLIT_AMOUNT"))));
        problem(400, "INVALID_REQUEST", () -> http.post(ALICE, path("/cancel"), key(), null));
    }

    @Test
    void malformedJsonAndWrongTypesAreBadRequests() {
        problem(400, "INVALID_REQUEST", () -> http.postJson(ALICE, API + "escrows", key(), "{not json"));
        problem(400, "INVALID_REQUEST", () -> http.postJson(ALICE, API + "escrows", key(), "[1,2]"));
        Map<String, Object> wrongType = Bodies.create("alice", "bob", server.clock.instant(), 100);
        wrongType.put("amount", Map.of("minor", "a lot", "asset", "USD", "scale", 2));
        problem(400, "INVALID_REQUEST", () -> http.post(ALICE, API + "escrows", key(), wrongType));
        Map<String, Object> badEnum = Bodies.create("alice", "bob", server.clock.instant(), 100);
        badEnum.put("fee", Map.of("basisPoints", 100, "payer", "NOBODY"));
        problem(400, "INVALID_REQUEST", () -> http.post(ALICE, API + "escrows", key(), badEnum));
        Map<String, Object> badInstant = Bodies.create("alice", "bob", server.clock.instant(), 100);
        badInstant.put("fundBy", "tomorrow");
        problem(400, "INVALID_REQUEST", () -> http.post(ALICE, API + "escrows", key(), badInstant));
    }

    @Test
    void theContainersOwnRefusalsAreProblemsToo() {
        problem(404, "RESOURCE_NOT_FOUND", () -> http.get(ALICE, API + "nothing/here"));
        Map<String, Object> p = problem(
                405,
                "METHOD_NOT_ALLOWED",
                () -> http.send(ALICE, "DELETE", API + "escrows/" + escrow, null, null, null, Map.of()));
        assertThat(p.get("detail").toString()).contains("DELETE");
        problem(406, "NOT_ACCEPTABLE", () -> http.get(ALICE, path(""), Map.of("Accept", "application/xml")));
        problem(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                () -> http.send(
                        ALICE,
                        "POST",
                        API + "escrows",
                        key(),
                        "text/plain",
                        "hello".getBytes(StandardCharsets.UTF_8),
                        Map.of()));
        Resp allow = http.send(ALICE, "DELETE", API + "escrows/" + escrow, null, null, null, Map.of());
        assertThat(allow.header("Allow")).contains("GET");
    }

    @Test
    void callersMustAuthenticateAndSendAnIdempotencyKey() {
        problem(401, "UNAUTHENTICATED", () -> http.get(User.ANONYMOUS, path("")));
        problem(401, "UNAUTHENTICATED", () -> http.post(User.ANONYMOUS, path("/release"), key(), null));
        problem(401, "UNAUTHENTICATED", () -> http.get(User.party("not a party id"), path("")));
        problem(400, "IDEMPOTENCY_KEY_MISSING", () -> http.post(ALICE, path("/release"), null, null));
        problem(400, "IDEMPOTENCY_KEY_MISSING", () -> http.post(ALICE, path("/release"), "   ", null));
        problem(400, "IDEMPOTENCY_KEY_INVALID", () -> http.post(ALICE, path("/release"), "k".repeat(129), null));
        problem(400, "IDEMPOTENCY_KEY_INVALID", () -> http.post(ALICE, path("/release"), "with space", null));
        problem(
                400,
                "IDEMPOTENCY_KEY_MISSING",
                () -> http.post(
                        BOB,
                        API + "parties/bob/withdrawals",
                        null,
                        Map.of("amount", Bodies.money(1), "rail", "sandbox", "destination", "sandbox:bob")));
        problem(
                400,
                "IDEMPOTENCY_KEY_MISSING",
                () -> http.postRaw(
                        ALICE,
                        path("/disputes/" + dispute + "/attachments"),
                        null,
                        "text/plain",
                        new byte[] {1},
                        Map.of()));
    }

    @Test
    void uploadsAreLimitedAndTyped() {
        String uploads = path("/disputes/" + dispute + "/attachments");
        problem(
                413,
                "PAYLOAD_TOO_LARGE",
                () -> http.postRaw(ALICE, uploads, key(), "image/png", new byte[1025], Map.of()));
        problem(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                () -> http.postRaw(ALICE, uploads, key(), "not-a-type", new byte[10], Map.of()));
        problem(400, "INVALID_EVIDENCE", () -> http.postRaw(ALICE, uploads, key(), "image/png", new byte[0], Map.of()));
        problem(
                400,
                "INVALID_EVIDENCE",
                () -> http.postRaw(
                        ALICE,
                        uploads,
                        key(),
                        "image/png",
                        new byte[10],
                        Map.of(DisputeResource.FILENAME_HEADER, "../../etc/passwd")));
        Map<String, Object> stored = http.postRaw(ALICE, uploads, key(), "image/png", new byte[] {7, 7, 7}, Map.of())
                .json();
        Map<String, Object> wrongHash = Map.of(
                "reference", stored.get("reference"), "mediaType", "image/png", "size", 3, "sha256", "a".repeat(64));
        problem(
                422,
                "EVIDENCE_MISMATCH",
                () -> http.post(
                        ALICE,
                        path("/disputes/" + dispute + "/evidence"),
                        key(),
                        Map.of("attachments", List.of(wrongHash))));
        Map<String, Object> nothingStored = Map.of(
                "reference", "mem:" + "b".repeat(64), "mediaType", "image/png", "size", 3, "sha256", "b".repeat(64));
        problem(
                404,
                "EVIDENCE_NOT_FOUND",
                () -> http.post(
                        ALICE,
                        path("/disputes/" + dispute + "/evidence"),
                        key(),
                        Map.of("attachments", List.of(nothingStored))));
        assertThat(http.postRaw(ALICE, uploads, key(), "image/png", new byte[1024], Map.of())
                        .status())
                .isEqualTo(201);
    }

    @Test
    void anUnexpectedFailureIsA500ThatShowsNothingInternal() {
        server.evidenceFailure.set(new IllegalStateException("jdbc:postgresql://db.internal/secret password=hunter2"));
        try {
            Map<String, Object> p = problem(
                    500,
                    "INTERNAL_ERROR",
                    () -> http.postRaw(
                            ALICE,
                            path("/disputes/" + dispute + "/attachments"),
                            key(),
                            "image/png",
                            new byte[] {1, 2},
                            Map.of()));
            assertThat(p.toString()).doesNotContain("secret", "hunter2", "IllegalStateException", "jdbc");
            assertThat(p.get("detail").toString()).contains("incident");
        } finally {
            server.evidenceFailure.set(null);
        }
    }

    @Test
    void operatorsOnlyReadTheAuditLog() {
        problem(403, "PARTY_NOT_ALLOWED", () -> http.get(ALICE, API + "audit"));
        Resp export = http.get(User.operator("ops"), API + "audit");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith(AuditResource.NDJSON);
        assertThat(export.header(AuditResource.INTACT_HEADER)).isEqualTo("true");
        long lines = export.body().lines().filter(l -> !l.isBlank()).count();
        assertThat(lines).isGreaterThan(0);
        assertThat(Long.parseLong(export.header(AuditResource.CHECKED_HEADER))).isLessThanOrEqualTo(lines);
        for (String line : export.body().lines().filter(l -> !l.isBlank()).toList()) {
            assertThat(Http.JSONB.fromJson(line, HashMap.class)).isNotEmpty();
        }
        Map<String, Object> v =
                http.get(User.operator("ops"), API + "audit/verification").json();
        assertThat(v.get("intact")).isEqualTo(true);
        assertThat(((Number) v.get("entriesChecked")).longValue()).isGreaterThan(0);
    }
}
