package dev.holdfast.openpayments.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenPaymentsSimulatorTest {
    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-01-05T09:00:00Z"));
    private OpenPaymentsSimulator sim;
    private TestClient platform;
    private String escrow;
    private String alice;
    private String bob;

    @BeforeEach
    void start() throws Exception {
        sim = OpenPaymentsSimulator.builder()
                .clock(clock)
                .quoteFee(5, 100)
                .build()
                .start();
        escrow = sim.createWallet("escrow", "USD", 2, 0);
        alice = sim.createWallet("alice", "USD", 2, 100_000);
        bob = sim.createWallet("bob", "USD", 2, 0);
        platform = new TestClient(sim, "escrow", "holdfast-1", clock);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void servesWalletAddressesAndTheirKeys() {
        TestClient.Answer wa = platform.send("GET", alice, null, null, false);
        assertThat(wa.status()).isEqualTo(200);
        assertThat(wa.json().getString("id")).isEqualTo(alice);
        assertThat(wa.json().getString("assetCode")).isEqualTo("USD");
        assertThat(wa.json().getInt("assetScale")).isEqualTo(2);
        assertThat(wa.json().getString("authServer")).isEqualTo(sim.authServerUrl());
        assertThat(wa.json().getString("resourceServer")).isEqualTo(sim.baseUrl());
        TestClient.Answer jwks = platform.send("GET", escrow + "/jwks.json", null, null, false);
        assertThat(jwks.json().getJsonArray("keys").getJsonObject(0).getString("kid"))
                .isEqualTo("holdfast-1");
    }

    @Test
    void refusesAGrantRequestWithoutASignature() {
        TestClient.Answer answer = platform.send(
                "POST",
                sim.authServerUrl(),
                null,
                Json.createObjectBuilder()
                        .add("access_token", Json.createObjectBuilder().add("access", incomingAccess()))
                        .add("client", escrow)
                        .build(),
                false);
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("invalid_signature");
    }

    @Test
    void refusesARequestWhoseBodyWasTamperedWithAfterSigning() {
        String token = TestClient.token(platform.grant(sim.authServerUrl(), incomingAccess()));
        JsonObject body = incomingBody(bob, 500);
        platform.tamperedBody = body.toString().replace("500", "900").getBytes(StandardCharsets.UTF_8);

        TestClient.Answer answer = platform.send("POST", sim.baseUrl() + "/incoming-payments", token, body);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("invalid_signature");
        assertThat(sim.incomingPayments("bob")).isEmpty();
    }

    @Test
    void refusesATokenPresentedWithAnotherKeyThanTheOneThatObtainedIt() {
        String token = TestClient.token(platform.grant(sim.authServerUrl(), incomingAccess()));
        TestClient other = new TestClient(sim, "escrow", "holdfast-2", clock);

        TestClient.Answer answer =
                other.send("POST", sim.baseUrl() + "/incoming-payments", token, incomingBody(bob, 500));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("invalid_signature");
        assertThat(platform.send("POST", sim.baseUrl() + "/incoming-payments", token, incomingBody(bob, 500))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void refusesAKeyThatIsNoLongerInTheClientsJwks() {
        String token = TestClient.token(platform.grant(sim.authServerUrl(), incomingAccess()));
        sim.removeKeys("escrow");

        TestClient.Answer answer =
                platform.send("POST", sim.baseUrl() + "/incoming-payments", token, incomingBody(bob, 1));

        assertThat(answer.status()).isEqualTo(401);
    }

    @Test
    void refusesAnActionTheGrantDoesNotAllow() {
        String token = TestClient.token(
                platform.grant(sim.authServerUrl(), TestClient.access("incoming-payment", null, "read")));

        TestClient.Answer answer =
                platform.send("POST", sim.baseUrl() + "/incoming-payments", token, incomingBody(bob, 1));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.errorCode()).isEqualTo("insufficient_grant");
    }

    @Test
    void refusesAnOutgoingPaymentGrantWithoutInteraction() {
        TestClient.Answer answer =
                platform.grant(sim.authServerUrl(), TestClient.access("outgoing-payment", alice, "create", "read"));
        assertThat(answer.status()).isEqualTo(400);
    }

    @Test
    void redirectsToTheFinishUriWithTheInteractionHashAndIssuesTheTokenOnContinue() throws Exception {
        Interaction i = startInteraction(alice, 10_000);
        sim.approveNext();

        Map<String, String> finish = browse(i.redirect);

        assertThat(finish.get("hash"))
                .isEqualTo(OpenPaymentsSimulator.interactionHash(
                        "client-nonce-1", i.asNonce, finish.get("interact_ref"), sim.authServerUrl()));
        TestClient.Answer tooEarly = platform.send(
                "POST",
                i.continueUri,
                "GNAP " + i.continueToken,
                Json.createObjectBuilder().add("interact_ref", "x").build());
        assertThat(tooEarly.status()).isEqualTo(400);
        TestClient.Answer token = platform.send(
                "POST",
                i.continueUri,
                "GNAP " + i.continueToken,
                Json.createObjectBuilder()
                        .add("interact_ref", finish.get("interact_ref"))
                        .build());
        assertThat(token.status()).isEqualTo(200);
        assertThat(token.json().getJsonObject("access_token").getString("value"))
                .isNotBlank();
    }

    @Test
    void aDeniedInteractionRedirectsWithGrantRejectedAndContinueAnswersUserDenied() throws Exception {
        Interaction i = startInteraction(alice, 10_000);
        sim.denyNext();

        Map<String, String> finish = browse(i.redirect);

        assertThat(finish).containsEntry("result", "grant_rejected").doesNotContainKey("hash");
        TestClient.Answer cont = platform.send(
                "POST",
                i.continueUri,
                "GNAP " + i.continueToken,
                Json.createObjectBuilder().add("interact_ref", "x").build());
        assertThat(cont.status()).isEqualTo(401);
        assertThat(cont.errorCode()).isEqualTo("user_denied");
    }

    @Test
    void movesMoneyWhenAnOutgoingPaymentPaysAnIncomingPaymentAndKeepsTheQuoteFee() throws Exception {
        String ip = createIncoming(bob, 10_000);
        String outToken = approvedOutgoingToken(alice, 10_105);
        JsonObject quote = createQuote(alice, ip);
        assertThat(quote.getJsonObject("debitAmount").getString("value")).isEqualTo("10105");
        assertThat(quote.getJsonObject("receiveAmount").getString("value")).isEqualTo("10000");

        TestClient.Answer paid = platform.send(
                "POST",
                sim.baseUrl() + "/outgoing-payments",
                outToken,
                Json.createObjectBuilder()
                        .add("walletAddress", alice)
                        .add("quoteId", quote.getString("id"))
                        .build());

        assertThat(paid.status()).as("%s", paid.json()).isEqualTo(201);
        assertThat(paid.json().getBoolean("failed")).isFalse();
        assertThat(sim.balance("alice")).isEqualTo(100_000 - 10_105);
        assertThat(sim.balance("bob")).isEqualTo(10_000);
        assertThat(sim.feesCollected()).isEqualTo(105);
        assertThat(sim.incomingPayments("bob").get(0).completed()).isTrue();
        assertThat(sim.incomingPayments("bob").get(0).receivedAmount()).isEqualTo(10_000);
    }

    @Test
    void refusesAnOutgoingPaymentBeyondTheGrantsDebitLimitAcrossPayments() throws Exception {
        String outToken = approvedOutgoingToken(alice, 2_000);
        JsonObject first = createQuote(alice, createIncoming(bob, 1_000));
        JsonObject second = createQuote(alice, createIncoming(bob, 1_000));

        assertThat(pay(outToken, alice, first).status()).isEqualTo(201);
        TestClient.Answer over = pay(outToken, alice, second);

        assertThat(over.status()).isEqualTo(403);
        assertThat(over.errorCode()).isEqualTo("insufficient_grant");
        assertThat(sim.balance("bob")).isEqualTo(1_000);
    }

    @Test
    void aRotatedTokenReplacesTheOldOneAndARevokedTokenIsRefused() {
        TestClient.Answer grant = platform.grant(sim.authServerUrl(), incomingAccess());
        String old = TestClient.token(grant);
        String manage = grant.json().getJsonObject("access_token").getString("manage");

        TestClient.Answer rotated = platform.send("POST", manage, old, null);
        assertThat(rotated.status()).isEqualTo(200);
        String fresh = "GNAP " + rotated.json().getJsonObject("access_token").getString("value");
        assertThat(platform.send("POST", sim.baseUrl() + "/incoming-payments", old, incomingBody(bob, 1))
                        .status())
                .isEqualTo(401);
        assertThat(platform.send("POST", sim.baseUrl() + "/incoming-payments", fresh, incomingBody(bob, 1))
                        .status())
                .isEqualTo(201);

        String freshManage = rotated.json().getJsonObject("access_token").getString("manage");
        assertThat(platform.send("DELETE", freshManage, fresh, null).status()).isEqualTo(204);
        assertThat(platform.send("POST", sim.baseUrl() + "/incoming-payments", fresh, incomingBody(bob, 1))
                        .status())
                .isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefusedUntilRotated() {
        TestClient.Answer grant = platform.grant(sim.authServerUrl(), incomingAccess());
        clock.advance(Duration.ofMinutes(11));

        TestClient.Answer answer = platform.send(
                "POST", sim.baseUrl() + "/incoming-payments", TestClient.token(grant), incomingBody(bob, 1));
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("invalid_token");
        TestClient.Answer rotated = platform.send(
                "POST", grant.json().getJsonObject("access_token").getString("manage"), TestClient.token(grant), null);
        assertThat(rotated.status()).isEqualTo(200);
    }

    @Test
    void aStalledPaymentMovesNothingUntilReleased() throws Exception {
        String ip = createIncoming(bob, 1_000);
        String outToken = approvedOutgoingToken(alice, 5_000);
        sim.stallNext(Duration.ofMinutes(1));

        assertThat(pay(outToken, alice, createQuote(alice, ip)).status()).isEqualTo(201);
        assertThat(sim.balance("bob")).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(sim.balance("bob")).isEqualTo(1_000);
    }

    @Test
    void aFailNextRefusesTheNextPostAndALostAnswerStillTakesEffect() {
        String token = TestClient.token(platform.grant(sim.authServerUrl(), incomingAccess()));
        sim.failNext(503);
        assertThat(platform.send("POST", sim.baseUrl() + "/incoming-payments", token, incomingBody(bob, 1))
                        .status())
                .isEqualTo(503);
        assertThat(sim.incomingPayments("bob")).isEmpty();

        sim.loseNextAnswer("POST", "/incoming-payments");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> platform.send("POST", sim.baseUrl() + "/incoming-payments", token, incomingBody(bob, 1)))
                .isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(sim.incomingPayments("bob")).hasSize(1);
    }

    @Test
    void aPaymentToAnExpiredIncomingPaymentFailsAndMovesNothing() throws Exception {
        String ip = createIncoming(bob, 1_000);
        String outToken = approvedOutgoingToken(alice, 5_000);
        JsonObject quote = createQuote(alice, ip);
        clock.advance(Duration.ofMinutes(4)); // quote still valid, incoming payment (3 min) expired
        TestClient.Answer paid = pay(outToken, alice, quote);
        assertThat(paid.json().getBoolean("failed")).isTrue();
        assertThat(sim.balance("alice")).isEqualTo(100_000);
    }

    // ------------------------------------------------------------------------------------------ helpers

    record Interaction(String redirect, String asNonce, String continueUri, String continueToken) {}

    private static JsonArray incomingAccess() {
        return TestClient.access("incoming-payment", null, "create", "read", "complete");
    }

    private JsonObject incomingBody(String wallet, long value) {
        return Json.createObjectBuilder()
                .add("walletAddress", wallet)
                .add("incomingAmount", TestClient.amount(value, "USD", 2))
                .add("expiresAt", clock.instant().plus(Duration.ofMinutes(3)).toString())
                .add("metadata", Json.createObjectBuilder().add("holdfast.transfer", "t-1"))
                .build();
    }

    private String createIncoming(String wallet, long value) {
        String token = TestClient.token(platform.grant(sim.authServerUrl(), incomingAccess()));
        TestClient.Answer a =
                platform.send("POST", sim.baseUrl() + "/incoming-payments", token, incomingBody(wallet, value));
        assertThat(a.status()).as("%s", a.json()).isEqualTo(201);
        return a.json().getString("id");
    }

    private JsonObject createQuote(String wallet, String receiver) {
        String token = TestClient.token(
                platform.grant(sim.authServerUrl(), TestClient.access("quote", wallet, "create", "read")));
        TestClient.Answer a = platform.send(
                "POST",
                sim.baseUrl() + "/quotes",
                token,
                Json.createObjectBuilder()
                        .add("walletAddress", wallet)
                        .add("receiver", receiver)
                        .add("method", "ilp")
                        .build());
        assertThat(a.status()).as("%s", a.json()).isEqualTo(201);
        return a.json();
    }

    private TestClient.Answer pay(String token, String wallet, JsonObject quote) {
        return platform.send(
                "POST",
                sim.baseUrl() + "/outgoing-payments",
                token,
                Json.createObjectBuilder()
                        .add("walletAddress", wallet)
                        .add("quoteId", quote.getString("id"))
                        .build());
    }

    private Interaction startInteraction(String wallet, long debitLimit) {
        JsonObject access = Json.createObjectBuilder()
                .add("type", "outgoing-payment")
                .add("actions", Json.createArrayBuilder().add("create").add("read"))
                .add("identifier", wallet)
                .add("limits", Json.createObjectBuilder().add("debitAmount", TestClient.amount(debitLimit, "USD", 2)))
                .build();
        TestClient.Answer a = platform.send(
                "POST",
                sim.authServerUrl(),
                null,
                Json.createObjectBuilder()
                        .add(
                                "access_token",
                                Json.createObjectBuilder()
                                        .add("access", Json.createArrayBuilder().add(access)))
                        .add("client", escrow)
                        .add(
                                "interact",
                                Json.createObjectBuilder()
                                        .add("start", Json.createArrayBuilder().add("redirect"))
                                        .add(
                                                "finish",
                                                Json.createObjectBuilder()
                                                        .add("method", "redirect")
                                                        .add("uri", "https://platform.example/finish/t-1")
                                                        .add("nonce", "client-nonce-1")))
                        .build());
        assertThat(a.status()).as("%s", a.json()).isEqualTo(200);
        JsonObject interact = a.json().getJsonObject("interact");
        JsonObject cont = a.json().getJsonObject("continue");
        return new Interaction(
                interact.getString("redirect"),
                interact.getString("finish"),
                cont.getString("uri"),
                cont.getJsonObject("access_token").getString("value"));
    }

    private String approvedOutgoingToken(String wallet, long debitLimit) throws Exception {
        Interaction i = startInteraction(wallet, debitLimit);
        sim.approveNext();
        Map<String, String> finish = browse(i.redirect);
        TestClient.Answer token = platform.send(
                "POST",
                i.continueUri,
                "GNAP " + i.continueToken,
                Json.createObjectBuilder()
                        .add("interact_ref", finish.get("interact_ref"))
                        .build());
        return TestClient.token(token);
    }

    /** The account holder's browser: opens the interaction page and answers the finish redirect's parameters. */
    static Map<String, String> browse(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("interaction page").isEqualTo(302);
        String location = r.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("https://platform.example/finish/t-1?");
        Map<String, String> params = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return params;
    }
}
