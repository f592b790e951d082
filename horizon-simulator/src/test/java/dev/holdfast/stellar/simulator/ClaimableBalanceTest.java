package dev.holdfast.stellar.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.ClaimClaimableBalanceOperation;
import org.stellar.sdk.Claimant;
import org.stellar.sdk.CreateClaimableBalanceOperation;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Predicate;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.requests.ErrorResponse;
import org.stellar.sdk.responses.ClaimableBalanceResponse;
import org.stellar.sdk.responses.SubmitTransactionResponse;
import org.stellar.sdk.xdr.TransactionResult;

/** "Seller may claim before T, buyer reclaims after T", with predicates evaluated at ledger close time. */
class ClaimableBalanceTest extends SimulatorTestBase {
    private static final long T = EPOCH.plus(Duration.ofDays(2)).getEpochSecond();

    KeyPair buyer;
    KeyPair seller;

    @BeforeEach
    void parties() {
        buyer = sim.createFundedAccount();
        seller = sim.createFundedAccount();
    }

    private Transaction create(String amount, Claimant... claimants) throws Exception {
        return signed(buyer, new CreateClaimableBalanceOperation.Builder(amount, XLM, List.of(claimants)).build());
    }

    private Transaction sellerBeforeTBuyerAfter() throws Exception {
        return create(
                "100",
                new Claimant(seller.getAccountId(), new Predicate.AbsBefore(T)),
                new Claimant(buyer.getAccountId(), new Predicate.Not(new Predicate.AbsBefore(T))));
    }

    private String claim(KeyPair who, String id) throws Exception {
        return codes(submit(who, new ClaimClaimableBalanceOperation.Builder(id).build()));
    }

    @Test
    void theBalanceIdIsTheSdksAndHorizonListsTheBalanceForEachClaimant() throws Exception {
        Transaction tx = sellerBeforeTBuyerAfter();
        String id = tx.getClaimableBalanceId(0);

        SubmitTransactionResponse r = submit(tx);

        assertThat(codes(r)).isEqualTo("success");
        TransactionResult result =
                TransactionResult.fromXdrBase64(r.getResultXdr().orElseThrow());
        String fromResult = Codec.hex(result.getResult()
                .getResults()[0]
                .getTr()
                .getCreateClaimableBalanceResult()
                .getBalanceID()
                .toXdrByteArray());
        assertThat(fromResult).isEqualTo(id);
        ClaimableBalanceResponse cb = server.claimableBalances().claimableBalance(id);
        assertThat(cb.getAmount()).isEqualTo("100.0000000");
        assertThat(cb.getSponsor()).contains(buyer.getAccountId());
        assertThat(cb.getClaimants()).hasSize(2);
        assertThat(server.claimableBalances()
                        .forClaimant(seller.getAccountId())
                        .execute()
                        .getRecords())
                .extracting(ClaimableBalanceResponse::getId)
                .containsExactly(id);
        // The creator sponsors one base reserve per claimant.
        assertThat(server.accounts().account(buyer.getAccountId()).getNumSponsoring())
                .isEqualTo(2);
    }

    @Test
    void theSellerMayClaimBeforeTheDeadlineButTheBuyerMayNot() throws Exception {
        Transaction tx = sellerBeforeTBuyerAfter();
        String id = tx.getClaimableBalanceId(0);
        submit(tx);
        long sellerBefore = balance(seller.getAccountId());

        assertThat(claim(buyer, id)).isEqualTo("tx_failed [op_cannot_claim]");
        assertThat(claim(seller, id)).isEqualTo("success");

        assertThat(balance(seller.getAccountId())).isEqualTo(sellerBefore + 1_000_000_000L - 100);
        assertThat(server.accounts().account(buyer.getAccountId()).getNumSponsoring())
                .isZero();
        assertThatThrownBy(() -> server.claimableBalances().claimableBalance(id))
                .isInstanceOf(ErrorResponse.class);
        assertThat(claim(seller, id)).isEqualTo("tx_failed [op_does_not_exist]");
    }

    @Test
    void afterTheDeadlineOnlyTheBuyerMayReclaim() throws Exception {
        Transaction tx = sellerBeforeTBuyerAfter();
        String id = tx.getClaimableBalanceId(0);
        submit(tx);

        sim.advance(Duration.ofDays(2));

        assertThat(claim(seller, id)).isEqualTo("tx_failed [op_cannot_claim]");
        assertThat(claim(buyer, id)).isEqualTo("success");
    }

    @Test
    void aRelativePredicateCountsFromTheCreatingLedgersCloseTime() throws Exception {
        Transaction tx = create(
                "10",
                new Claimant(
                        seller.getAccountId(),
                        new Predicate.And(List.of(new Predicate.RelBefore(60), new Predicate.Unconditional()))));
        String id = tx.getClaimableBalanceId(0);
        long createdAt = sim.now().getEpochSecond();
        submit(tx);

        Predicate stored = server.claimableBalances()
                .claimableBalance(id)
                .getClaimants()
                .get(0)
                .getPredicate();
        assertThat(((Predicate.And) stored).getInner().get(0))
                .isEqualTo(new Predicate.AbsBefore(BigInteger.valueOf(createdAt + 60)));

        sim.advance(Duration.ofSeconds(61));
        assertThat(claim(seller, id)).isEqualTo("tx_failed [op_cannot_claim]");
    }

    @Test
    void anOrOfTwoWindowsLetsTheClaimantInDuringEither() throws Exception {
        Transaction tx = create(
                "10",
                new Claimant(
                        seller.getAccountId(),
                        new Predicate.Or(List.of(
                                new Predicate.AbsBefore(EPOCH.getEpochSecond() + 10),
                                new Predicate.Not(new Predicate.AbsBefore(T))))));
        String id = tx.getClaimableBalanceId(0);
        submit(tx);
        sim.advance(Duration.ofHours(1));
        assertThat(claim(seller, id)).isEqualTo("tx_failed [op_cannot_claim]");

        sim.advance(Duration.ofDays(2));
        assertThat(claim(seller, id)).isEqualTo("success");
    }

    @Test
    void theClaimantReservesMustBeAffordable() throws Exception {
        KeyPair poor = sim.createFundedAccount(15_000_000L); // 1.5 XLM
        Transaction tx = signed(
                poor,
                new CreateClaimableBalanceOperation.Builder(
                                "0.4",
                                XLM,
                                List.of(
                                        new Claimant(seller.getAccountId(), new Predicate.Unconditional()),
                                        new Claimant(buyer.getAccountId(), new Predicate.Unconditional())))
                        .build());

        assertThat(codes(submit(tx))).isEqualTo("tx_failed [op_low_reserve]");
    }
}
