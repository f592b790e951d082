package dev.holdfast.jakarta.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.jakarta.rest.Http.Resp;
import dev.holdfast.jakarta.rest.Http.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bonds, balances, withdrawals, cancellation and a party's co-signature, over HTTP. */
class MoneyApiTest {
    static final String API = "holdfast/v1/";
    static final User BUYER = User.party("buyer");
    static final User SELLER = User.party("seller");
    static final User OPERATOR = User.operator("ops");

    static String key() {
        return UUID.randomUUID().toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRequiredBondShowsInTheViewWithItsInstructionForThatPartyOnly() {
        try (RestServer server = new RestServer()) {
            Http http = server.http();
            Map<String, Object> e = http.post(
                            BUYER,
                            API + "escrows",
                            key(),
                            Bodies.create("buyer", "seller", server.clock.instant(), 10_000))
                    .json();
            String id = e.get("id").toString();
            Resp bonded = http.post(
                    OPERATOR,
                    API + "escrows/" + id + "/bonds",
                    key(),
                    Map.of("party", "SELLER", "fixedMinor", 500, "forfeitToPlatformBasisPoints", 2_000));
            assertThat(bonded.status()).as(bonded.toString()).isEqualTo(200);
            Map<String, Object> bond =
                    ((List<Map<String, Object>>) bonded.json().get("bonds")).get(0);
            assertThat(bond.get("party")).isEqualTo("SELLER");
            assertThat(bond.get("partyId")).isEqualTo("seller");
            assertThat(bond.get("status")).isEqualTo("REQUESTED");
            assertThat(((Map<String, Object>) bond.get("amount")).get("minor").toString())
                    .isEqualTo("500");
            assertThat(bond.get("forfeitToPlatformBasisPoints").toString()).isEqualTo("2000");

            List<Map<String, Object>> sellers = (List<Map<String, Object>>)
                    http.get(SELLER, API + "escrows/" + id + "/funding").json().get("instructions");
            assertThat(sellers).extracting(i -> i.get("party")).containsOnly("SELLER");
            assertThat(sellers).extracting(i -> i.get("transferId")).contains(bond.get("fundingTransfer"));
            List<Map<String, Object>> buyers = (List<Map<String, Object>>)
                    http.get(BUYER, API + "escrows/" + id + "/funding").json().get("instructions");
            assertThat(buyers).extracting(i -> i.get("party")).containsOnly("BUYER");
            assertThat((List<?>) http.get(OPERATOR, API + "escrows/" + id + "/funding")
                            .json()
                            .get("instructions"))
                    .hasSize(sellers.size() + buyers.size());
            assertThat(http.post(
                                    OPERATOR,
                                    API + "escrows/" + id + "/bonds",
                                    key(),
                                    Map.of("party", "SELLER", "basisPoints", 100))
                            .code())
                    .isEqualTo("BOND_ALREADY_REQUIRED");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void releasedMoneyOnTheInternalBalanceIsWithdrawnAndReadBack() {
        try (RestServer server = new RestServer()) {
            Http http = server.http();
            Map<String, Object> e = http.post(
                            BUYER,
                            API + "escrows",
                            key(),
                            Bodies.create(
                                    "buyer", "seller", server.clock.instant(), Bodies.INTERNAL_BALANCE, null, 4_000))
                    .json();
            String id = e.get("id").toString();
            server.rail.fund(TransferId.of(e.get("fundingTransfer").toString()));
            assertThat(http.get(SELLER, API + "parties/seller/balances?asset=USD")
                            .json()
                            .get("pendingAsSeller"))
                    .isEqualTo(Map.of("minor", EscrowApiTest.bd(4_000), "asset", "USD", "scale", EscrowApiTest.bd(2)));
            http.post(BUYER, API + "escrows/" + id + "/release", key(), null);

            Map<String, Object> balance = http.get(SELLER, API + "parties/seller/balances?asset=USD&scale=2")
                    .json();
            assertThat(((Map<String, Object>) balance.get("available"))
                            .get("minor")
                            .toString())
                    .isEqualTo("4000");
            assertThat(http.get(BUYER, API + "parties/seller/balances?asset=USD")
                            .code())
                    .isEqualTo("PARTY_NOT_ALLOWED");
            assertThat(http.get(SELLER, API + "parties/seller/balances").code()).isEqualTo("INVALID_REQUEST");
            assertThat(http.get(SELLER, API + "parties/seller/balances?asset=DOGE")
                            .code())
                    .isEqualTo("INVALID_REQUEST");

            String k = key();
            Map<String, Object> body =
                    Map.of("amount", Bodies.money(1_500), "rail", "sandbox", "destination", "sandbox:seller-bank");
            Resp withdrawn = http.post(SELLER, API + "parties/seller/withdrawals", k, body);
            assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(201);
            String transfer = withdrawn.json().get("transferId").toString();
            assertThat(withdrawn.header("Location")).endsWith("/holdfast/v1/parties/seller/withdrawals/" + transfer);
            assertThat(withdrawn.json().get("status")).isEqualTo("SUCCEEDED");
            assertThat(http.post(SELLER, API + "parties/seller/withdrawals", k, body)
                            .body())
                    .isEqualTo(withdrawn.body());

            Resp read = http.get(SELLER, API + "parties/seller/withdrawals/" + transfer);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().get("destination")).isEqualTo("sandbox:seller-bank");
            assertThat(http.get(OPERATOR, API + "parties/seller/withdrawals/" + transfer)
                            .status())
                    .isEqualTo(200);
            assertThat(http.get(BUYER, API + "parties/buyer/withdrawals/" + transfer)
                            .code())
                    .isEqualTo("WITHDRAWAL_NOT_FOUND");
            assertThat(server.rail.paidTo("sandbox:seller-bank", dev.holdfast.api.Asset.USD))
                    .isEqualTo(1_500);
            Map<String, Object> after =
                    http.get(SELLER, API + "parties/seller/balances?asset=USD").json();
            assertThat(((Map<String, Object>) after.get("available"))
                            .get("minor")
                            .toString())
                    .isEqualTo("2500");
            assertThat(http.post(
                                    SELLER,
                                    API + "parties/seller/withdrawals",
                                    key(),
                                    Map.of("amount", Bodies.money(9_999), "rail", "sandbox", "destination", "x"))
                            .code())
                    .isEqualTo("INSUFFICIENT_BALANCE");
        }
    }

    @Test
    void anUnfundedEscrowIsCancelled() {
        try (RestServer server = new RestServer()) {
            Http http = server.http();
            String id = http.post(
                            BUYER,
                            API + "escrows",
                            key(),
                            Bodies.create("buyer", "seller", server.clock.instant(), 900))
                    .json()
                    .get("id")
                    .toString();
            Resp cancelled = http.post(SELLER, API + "escrows/" + id + "/cancel", key(), Map.of("reason", "sold out"));
            assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
            assertThat(cancelled.json().get("status")).isEqualTo("CANCELLED");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReleaseWaitsForTheBuyersSignatureGivenThroughTheApi() {
        try (RestServer server =
                new RestServer(RestSettings.defaults(), List.of(PartyId.of("arbiter")), b -> b.partySignatures(true))) {
            Http http = server.http();
            Map<String, Object> e = http.post(
                            BUYER,
                            API + "escrows",
                            key(),
                            Bodies.create("buyer", "seller", server.clock.instant(), 2_000))
                    .json();
            String id = e.get("id").toString();
            server.rail.fund(TransferId.of(e.get("fundingTransfer").toString()));
            Resp releasing = http.post(BUYER, API + "escrows/" + id + "/release", key(), null);
            assertThat(EscrowApiTest.milestone(releasing.json(), "m1").get("status"))
                    .isEqualTo("RELEASING");

            List<Map<String, Object>> toSign = (List<Map<String, Object>>)
                    http.get(BUYER, API + "escrows/" + id + "/funding").json().get("instructions");
            assertThat(toSign).hasSize(1);
            Map<String, Object> i = toSign.get(0);
            assertThat(i.get("type")).isEqualTo("SIGN_TRANSACTION");
            String signed = SandboxRail.sign(new PartyInstruction.SignTransaction(
                    Role.BUYER,
                    i.get("format").toString(),
                    i.get("transaction").toString(),
                    i.get("network").toString(),
                    Instant.parse(i.get("expiresAt").toString())));
            Resp answered = http.post(
                    BUYER,
                    API + "escrows/" + id + "/party-responses",
                    key(),
                    Map.of("transferId", i.get("transferId"), "payload", signed));
            assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
            assertThat(http.get(SELLER, API + "escrows/" + id).json().get("status"))
                    .isEqualTo("RELEASED");
            assertThat(server.rail.paidTo("sandbox:seller", dev.holdfast.api.Asset.USD))
                    .isEqualTo(2_000);
        }
    }
}
