package dev.holdfast.jakarta.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.TransferId;
import dev.holdfast.jakarta.rest.Http.Resp;
import dev.holdfast.jakarta.rest.Http.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API over real HTTP: lifecycles, milestones, disputes, idempotency and paging. */
class EscrowApiTest {
    static final String API = "holdfast/v1/";
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

    static String key() {
        return UUID.randomUUID().toString();
    }

    static User party(String name) {
        return User.party(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> milestone(Map<String, Object> escrow, String id) {
        return ((List<Map<String, Object>>) escrow.get("milestones"))
                .stream().filter(m -> m.get("id").equals(id)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static long minor(Map<String, Object> holder, String member) {
        return ((Number) ((Map<String, Object>) holder.get(member)).get("minor")).longValue();
    }

    /** Creates and funds an escrow through the API and the sandbox rail; answers its id. */
    static String funded(String buyer, String seller, long... milestones) {
        Resp created = http.post(
                party(buyer), API + "escrows", key(), Bodies.create(buyer, seller, server.clock.instant(), milestones));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("id").toString();
        assertThat(server.rail.fund(
                        TransferId.of(created.json().get("fundingTransfer").toString())))
                .isTrue();
        assertThat(http.get(party(buyer), API + "escrows/" + id).json().get("status"))
                .isEqualTo("FUNDED");
        return id;
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEscrowRunsItsWholeLifeOverHttpAndTheSellerIsPaid() {
        Resp created = http.post(
                party("alice"), API + "escrows", key(), Bodies.create("alice", "bob", server.clock.instant(), 10_000));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Map<String, Object> escrow = created.json();
        String id = escrow.get("id").toString();
        assertThat(created.header("Location")).endsWith("/api/holdfast/v1/escrows/" + id);
        assertThat(escrow.get("status")).isEqualTo("AWAITING_FUNDING");
        assertThat(escrow.get("amount")).isEqualTo(Map.of("minor", bd(10_000), "asset", "USD", "scale", bd(2)));
        assertThat((List<String>) escrow.get("yourRoles")).containsExactly("BUYER");
        assertThat(escrow.get("metadata")).isEqualTo(Map.of("listing", "42"));

        Resp funding = http.get(party("alice"), API + "escrows/" + id + "/funding");
        assertThat(funding.status()).isEqualTo(200);
        List<Map<String, Object>> instructions =
                (List<Map<String, Object>>) funding.json().get("instructions");
        assertThat(instructions).hasSize(1);
        assertThat(instructions.get(0).get("type")).isEqualTo("SEND_PAYMENT");
        assertThat(instructions.get(0).get("party")).isEqualTo("BUYER");
        assertThat(minor(instructions.get(0), "amount")).isEqualTo(10_000);

        server.rail.fund(TransferId.of(funding.json().get("fundingTransfer").toString()));
        assertThat(http.get(party("bob"), API + "escrows/" + id).json().get("status"))
                .isEqualTo("FUNDED");

        Resp delivered = http.post(party("bob"), API + "escrows/" + id + "/delivered", key(), null);
        assertThat(delivered.status()).as(delivered.toString()).isEqualTo(200);
        assertThat(milestone(delivered.json(), "m1").get("status")).isEqualTo("DELIVERED");

        Resp accepted = http.post(party("alice"), API + "escrows/" + id + "/accept?milestone=m1", key(), null);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().get("status")).isEqualTo("RELEASED");
        assertThat(minor(milestone(accepted.json(), "m1"), "released")).isEqualTo(10_000);
        assertThat(server.rail.paidTo("sandbox:bob", Asset.USD)).isEqualTo(10_000);

        Resp history = http.get(party("alice"), API + "escrows/" + id + "/history");
        assertThat(history.status()).isEqualTo(200);
        List<Map<String, Object>> events = history.jsonList();
        assertThat(events)
                .extracting(e -> e.get("type"))
                .contains("EscrowCreated", "EscrowFunded", "MilestoneDelivered", "PayoutRequested", "EscrowClosed");
        assertThat(events.get(0).get("sequence")).isEqualTo(bd(1));
        Map<String, Object> createdData = (Map<String, Object>) events.get(0).get("data");
        assertThat(createdData.get("buyer")).isEqualTo("alice");
        assertThat(createdData.get("amount")).isEqualTo(Map.of("minor", bd(10_000), "asset", "USD", "scale", bd(2)));
    }

    @Test
    void aMilestoneIsReleasedAndAnotherPartlyRefunded() {
        String id = funded("carol", "dave", 3_000, 7_000);
        Resp released = http.post(party("carol"), API + "escrows/" + id + "/release?milestone=m1", key(), null);
        assertThat(released.status()).as(released.toString()).isEqualTo(200);
        assertThat(milestone(released.json(), "m1").get("status")).isEqualTo("RELEASED");
        assertThat(milestone(released.json(), "m2").get("status")).isEqualTo("FUNDED");

        Resp refunded = http.post(
                party("dave"),
                API + "escrows/" + id + "/refund",
                key(),
                Map.of("milestone", "m2", "amountMinor", 2_000, "reason", "one item missing"));
        assertThat(refunded.status()).as(refunded.toString()).isEqualTo(200);
        Map<String, Object> m2 = milestone(refunded.json(), "m2");
        assertThat(minor(m2, "refunded")).isEqualTo(2_000);
        assertThat(minor(m2, "held")).isEqualTo(5_000);
        assertThat(server.rail.paidTo("sandbox:dave", Asset.USD)).isEqualTo(3_000);
        assertThat(server.rail.returnedToBuyers(Asset.USD)).isGreaterThanOrEqualTo(2_000);
        assertThat(minor(refunded.json(), "held")).isEqualTo(5_000);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDisputeCarriesEvidenceAndEndsInAnAcceptedOffer() {
        String id = funded("erin", "frank", 10_000);
        Resp opened = http.post(
                party("erin"),
                API + "escrows/" + id + "/disputes",
                key(),
                Map.of("milestone", "m1", "reason", "the item is broken"));
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        List<Map<String, Object>> disputes =
                (List<Map<String, Object>>) opened.json().get("disputes");
        String dispute = disputes.get(0).get("id").toString();
        assertThat(opened.header("Location")).endsWith("/escrows/" + id + "/disputes/" + dispute);
        String disputePath = API + "escrows/" + id + "/disputes/" + dispute;

        byte[] photo = "\u0089PNG not really a png".getBytes(StandardCharsets.UTF_8);
        Resp upload = http.postRaw(
                party("erin"),
                disputePath + "/attachments",
                key(),
                "image/png",
                photo,
                Map.of(DisputeResource.FILENAME_HEADER, "broken.png"));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(201);
        Map<String, Object> stored = upload.json();
        assertThat(stored.get("sha256")).isEqualTo(DisputeResource.sha256(photo));
        assertThat(stored.get("filename")).isEqualTo("broken.png");
        assertThat(stored.get("mediaType")).isEqualTo("image/png");

        Map<String, Object> attachment = Map.of(
                "reference", stored.get("reference"),
                "mediaType", "image/png",
                "size", stored.get("size"),
                "sha256", stored.get("sha256"));
        Resp evidence = http.post(
                party("erin"),
                disputePath + "/evidence",
                key(),
                Map.of("statement", "see the photo", "attachments", List.of(attachment)));
        assertThat(evidence.status()).as(evidence.toString()).isEqualTo(200);

        Resp download = http.get(party("frank"), disputePath + "/attachments/" + stored.get("sha256"));
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.bytes()).isEqualTo(photo);
        assertThat(download.contentType()).startsWith("image/png");
        assertThat(download.header("Content-Disposition")).startsWith("attachment");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(http.get(party("mallory"), disputePath + "/attachments/" + stored.get("sha256"))
                        .status())
                .isEqualTo(404);
        assertThat(http.get(party("frank"), disputePath + "/attachments/" + "0".repeat(64))
                        .code())
                .isEqualTo("EVIDENCE_NOT_FOUND");

        Resp offered = http.post(
                party("frank"),
                disputePath + "/offers",
                key(),
                Map.of("outcome", Map.of("kind", "SPLIT_AMOUNT", "toSellerMinor", 6_000)));
        assertThat(offered.status()).as(offered.toString()).isEqualTo(200);
        Map<String, Object> d = http.get(party("erin"), disputePath).json();
        List<Map<String, Object>> offers = (List<Map<String, Object>>) d.get("openOffers");
        assertThat(offers).hasSize(1);
        assertThat(((Map<String, Object>) offers.get(0).get("outcome")).get("kind"))
                .isEqualTo("SPLIT_AMOUNT");
        assertThat(((List<?>) d.get("evidence"))).hasSize(1);
        String offer = offers.get(0).get("offer").toString();

        Resp settled = http.post(party("erin"), disputePath + "/offers/" + offer + "/accept", key(), null);
        assertThat(settled.status()).as(settled.toString()).isEqualTo(200);
        Map<String, Object> after = http.get(party("erin"), disputePath).json();
        assertThat(after.get("status")).isEqualTo("RESOLVED");
        assertThat(((Map<String, Object>) after.get("resolution")).get("tier")).isEqualTo("SETTLEMENT");
        assertThat(server.rail.paidTo("sandbox:frank", Asset.USD)).isEqualTo(6_000);
        Map<String, Object> m1 =
                milestone(http.get(party("erin"), API + "escrows/" + id).json(), "m1");
        assertThat(minor(m1, "released")).isEqualTo(6000);
        assertThat(minor(m1, "refunded")).isEqualTo(4000);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAssignedArbiterDecidesASplitThatBecomesFinal() {
        String id = funded("gina", "hank", 8_000);
        Resp opened = http.post(
                party("hank"),
                API + "escrows/" + id + "/disputes",
                key(),
                Map.of("reason", "the buyer will not accept"));
        String dispute = ((List<Map<String, Object>>) opened.json().get("disputes"))
                .get(0)
                .get("id")
                .toString();
        String disputePath = API + "escrows/" + id + "/disputes/" + dispute;
        Resp escalated = http.post(party("gina"), disputePath + "/escalate", key(), null);
        assertThat(escalated.status()).as(escalated.toString()).isEqualTo(200);
        Map<String, Object> d = http.get(party("gina"), disputePath).json();
        assertThat(d.get("status")).isEqualTo("ARBITRATION");
        String arbiter = d.get("arbiter").toString();
        String otherArbiter = arbiter.equals("arbiter") ? "other-arbiter" : "arbiter";

        Map<String, Object> decision = Map.of(
                "outcome",
                Map.of("kind", "SPLIT_BASIS_POINTS", "toSellerBasisPoints", 2_500),
                "reason",
                "both share the blame");
        assertThat(http.post(party("hank"), disputePath + "/decision", key(), decision)
                        .code())
                .isEqualTo("PARTY_NOT_ALLOWED");
        assertThat(http.post(party(otherArbiter), disputePath + "/decision", key(), decision)
                        .code())
                .isEqualTo("ESCROW_NOT_FOUND");
        Resp decided = http.post(party(arbiter), disputePath + "/decision", key(), decision);
        assertThat(decided.status()).as(decided.toString()).isEqualTo(200);
        assertThat((List<String>) decided.json().get("yourRoles")).containsExactly("ARBITER");
        Map<String, Object> afterDecision =
                http.get(party(arbiter), disputePath).json();
        assertThat(afterDecision.get("status")).isEqualTo("DECIDED");
        assertThat(((Map<String, Object>) ((Map<String, Object>) afterDecision.get("decision")).get("outcome"))
                        .get("toSellerBasisPoints"))
                .isEqualTo(bd(2_500));

        server.engine.advanceTime(EscrowId.of(id), Duration.ofDays(3));
        Map<String, Object> resolved = http.get(party("gina"), disputePath).json();
        assertThat(resolved.get("status")).isEqualTo("RESOLVED");
        assertThat(server.rail.paidTo("sandbox:hank", Asset.USD)).isEqualTo(2_000);
        Map<String, Object> m1 =
                milestone(http.get(party("gina"), API + "escrows/" + id).json(), "m1");
        assertThat(minor(m1, "released")).isEqualTo(2000);
        assertThat(minor(m1, "refunded")).isEqualTo(6000);
    }

    @Test
    void aRetryWithTheSameKeyAnswersTheSameAndAnotherBodyIsAConflict() {
        String k = key();
        Map<String, Object> body = Bodies.create("ivan", "judy", server.clock.instant(), 1_000);
        Resp first = http.post(party("ivan"), API + "escrows", k, body);
        assertThat(first.status()).isEqualTo(201);
        int escrows = server.engine
                .list(dev.holdfast.api.EscrowQuery.firstPage(null, 200))
                .items()
                .size();

        Resp replay = http.post(party("ivan"), API + "escrows", k, body);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.header("Location")).isEqualTo(first.header("Location"));

        Map<String, Object> other = new HashMap<>(body);
        other.put("reference", "order-2");
        Resp conflict = http.post(party("ivan"), API + "escrows", k, other);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).startsWith(Problems.PROBLEM_JSON);
        assertThat(conflict.code()).isEqualTo("IDEMPOTENCY_CONFLICT");

        // the same key from another caller is another request: keys are namespaced by caller
        Resp someoneElse = http.post(
                party("judy"), API + "escrows", k, Bodies.create("judy", "ivan", server.clock.instant(), 1_000));
        assertThat(someoneElse.status()).isEqualTo(201);
        assertThat(someoneElse.json().get("id")).isNotEqualTo(first.json().get("id"));
        assertThat(server.engine
                        .list(dev.holdfast.api.EscrowQuery.firstPage(null, 200))
                        .items()
                        .size())
                .isEqualTo(escrows + 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void listsPageWithAnOpaqueCursorAndFilters() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(http.post(
                            party("pager"),
                            API + "escrows",
                            key(),
                            Bodies.create("pager", "pager-seller", server.clock.instant(), 100 + i))
                    .json()
                    .get("id")
                    .toString());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Resp page = http.get(party("pager"), API + "escrows?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            List<Map<String, Object>> items =
                    (List<Map<String, Object>>) page.json().get("items");
            assertThat(items.size()).isLessThanOrEqualTo(2);
            items.forEach(e -> seen.add(e.get("id").toString()));
            cursor = (String) page.json().get("nextCursor");
            assertThat(cursor == null || !cursor.matches("[0-9]+"))
                    .as("cursor is opaque")
                    .isTrue();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(pages).isEqualTo(3);

        assertThat((List<?>)
                        http.get(party("pager-seller"), API + "escrows").json().get("items"))
                .hasSize(5);
        assertThat((List<?>) http.get(User.operator("ops"), API + "escrows?party=pager&limit=200")
                        .json()
                        .get("items"))
                .hasSize(5);
        assertThat((List<?>) http.get(party("pager"), API + "escrows?status=FUNDED")
                        .json()
                        .get("items"))
                .isEmpty();
        assertThat((List<?>) http.get(party("pager"), API + "escrows?status=AWAITING_FUNDING,FUNDED")
                        .json()
                        .get("items"))
                .hasSize(5);
        assertThat(http.get(party("pager"), API + "escrows?party=someone").code())
                .isEqualTo("PARTY_NOT_ALLOWED");
        for (String bad : List.of("limit=0", "limit=201", "limit=abc", "cursor=bogus", "cursor=MTIz", "status=NOPE")) {
            Resp r = http.get(party("pager"), API + "escrows?" + bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.code()).as(bad).isEqualTo("INVALID_REQUEST");
        }
    }

    static java.math.BigDecimal bd(long n) {
        return java.math.BigDecimal.valueOf(n);
    }
}
