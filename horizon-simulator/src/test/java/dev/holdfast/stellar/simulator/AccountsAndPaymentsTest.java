package dev.holdfast.stellar.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.stellar.sdk.AbstractTransaction;
import org.stellar.sdk.CreateAccountOperation;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.TransactionBuilder;
import org.stellar.sdk.requests.ErrorResponse;
import org.stellar.sdk.responses.AccountResponse;
import org.stellar.sdk.responses.SubmitTransactionResponse;
import org.stellar.sdk.responses.TransactionResponse;
import org.stellar.sdk.xdr.TransactionResult;
import org.stellar.sdk.xdr.TransactionResultCode;

class AccountsAndPaymentsTest extends SimulatorTestBase {

    @Test
    void friendbotCreatesAnAccountHorizonShowsWithAStringSequence() throws Exception {
        KeyPair alice = sim.createFundedAccount();

        AccountResponse account = server.accounts().account(alice.getAccountId());

        assertThat(account.getAccountId()).isEqualTo(alice.getAccountId());
        // stellar-core starts a new account at (creating ledger) << 32.
        assertThat(account.getSequenceNumber()).isEqualTo((long) sim.latestLedger() << 32);
        assertThat(account.getBalances()).hasSize(1);
        assertThat(account.getBalances()[0].getBalance()).isEqualTo("10000.0000000");
        assertThat(account.getBalances()[0].getAssetType()).isEqualTo("native");
        assertThat(account.getThresholds().getMedThreshold()).isZero();
        assertThat(account.getSigners()).singleElement().satisfies(s -> {
            assertThat(s.getKey()).isEqualTo(alice.getAccountId());
            assertThat(s.getWeight()).isEqualTo(1);
        });
        assertThat(server.root().getNetworkPassphrase()).isEqualTo(network.getNetworkPassphrase());
        assertThat(server.root().getHistoryLatestLedger()).isEqualTo(sim.latestLedger());
    }

    @Test
    void unknownAccountIs404ProblemJson() {
        assertThatThrownBy(() -> server.accounts().account(KeyPair.random().getAccountId()))
                .isInstanceOf(ErrorResponse.class)
                .satisfies(e -> {
                    assertThat(((ErrorResponse) e).getCode()).isEqualTo(404);
                    assertThat(((ErrorResponse) e).getBody()).contains("horizon-errors/not_found");
                });
    }

    @Test
    void paymentMovesLumensAndChargesTheBaseFee() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();

        SubmitTransactionResponse r = submit(alice, pay(bob.getAccountId(), XLM, "12.5"));

        assertThat(codes(r)).isEqualTo("success");
        assertThat(balance(alice.getAccountId())).isEqualTo(100_000_000_000L - 125_000_000L - 100);
        assertThat(balance(bob.getAccountId())).isEqualTo(100_000_000_000L + 125_000_000L);
        TransactionResponse stored = server.transactions().transaction(r.getHash());
        assertThat(stored.getSuccessful()).isTrue();
        assertThat(stored.getFeeCharged()).isEqualTo(100L);
        assertThat(stored.getLedger()).isEqualTo(r.getLedger());
        TransactionResult result = TransactionResult.fromXdrBase64(stored.getResultXdr());
        assertThat(result.getResult().getDiscriminant()).isEqualTo(TransactionResultCode.txSUCCESS);
    }

    @Test
    void createAccountBelowTwoReservesIsLowReserve() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        String fresh = KeyPair.random().getAccountId();

        SubmitTransactionResponse r = submit(alice, new CreateAccountOperation.Builder(fresh, "0.9999999").build());

        assertThat(codes(r)).isEqualTo("tx_failed [op_low_reserve]");
        assertThat(sim.accountExists(fresh)).isFalse();
    }

    @Test
    void paymentToAMissingAccountIsNoDestination() throws Exception {
        KeyPair alice = sim.createFundedAccount();

        SubmitTransactionResponse r = submit(alice, pay(KeyPair.random().getAccountId(), XLM, "5"));

        assertThat(codes(r)).isEqualTo("tx_failed [op_no_destination]");
    }

    @Test
    void overspendingIsUnderfundedYetTheFeeAndSequenceAreConsumed() throws Exception {
        KeyPair alice = sim.createFundedAccount(50_000_000L); // 5 XLM
        KeyPair bob = sim.createFundedAccount();
        long seqBefore = sim.sequenceNumber(alice.getAccountId());

        // 5 XLM minus the 1 XLM minimum balance leaves 4 XLM spendable, less the fee.
        Transaction tx = signed(alice, pay(bob.getAccountId(), XLM, "4"));
        SubmitTransactionResponse r = submit(tx);

        assertThat(codes(r)).isEqualTo("tx_failed [op_underfunded]");
        assertThat(balance(alice.getAccountId())).isEqualTo(50_000_000L - 100);
        assertThat(sim.sequenceNumber(alice.getAccountId())).isEqualTo(seqBefore + 1);
        TransactionResult result = TransactionResult.fromXdrBase64(r.getExtras().getResultXdr());
        assertThat(result.getResult().getDiscriminant()).isEqualTo(TransactionResultCode.txFAILED);
        assertThat(result.getFeeCharged().getInt64()).isEqualTo(100);
        // Horizon's 400 body carries no hash; the client knows it from the envelope.
        assertThat(server.transactions().transaction(tx.hashHex()).getSuccessful())
                .isFalse();
    }

    @Test
    void aFailingOperationRollsBackTheOthersInTheTransaction() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();

        SubmitTransactionResponse r = submit(
                alice, pay(bob.getAccountId(), XLM, "1"), pay(KeyPair.random().getAccountId(), XLM, "1"));

        assertThat(codes(r)).isEqualTo("tx_failed [op_success, op_no_destination]");
        assertThat(balance(bob.getAccountId())).isEqualTo(100_000_000_000L);
        assertThat(balance(alice.getAccountId())).isEqualTo(100_000_000_000L - 200);
    }

    @Test
    void aReusedSequenceNumberIsBadSeqAndCostsNothing() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        Transaction first = signed(alice, pay(bob.getAccountId(), XLM, "1"));
        Transaction second = signed(alice, pay(bob.getAccountId(), XLM, "2"));
        assertThat(second.getSequenceNumber()).isEqualTo(first.getSequenceNumber());

        assertThat(codes(submit(first))).isEqualTo("success");
        long balance = balance(alice.getAccountId());
        SubmitTransactionResponse r = submit(second);

        assertThat(codes(r)).isEqualTo("tx_bad_seq");
        assertThat(balance(alice.getAccountId())).isEqualTo(balance);
    }

    @Test
    void aFeeBelowOneHundredStroopsPerOperationIsInsufficientFee() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        TransactionBuilder b = builder(alice.getAccountId())
                .setBaseFee(100)
                .addOperation(pay(bob.getAccountId(), XLM, "1"))
                .addOperation(pay(bob.getAccountId(), XLM, "1"));
        Transaction tx = b.build();
        // Rebuild the envelope with a total fee of 150 for two operations.
        org.stellar.sdk.xdr.TransactionEnvelope env = tx.toEnvelopeXdr();
        env.getV1().getTx().setFee(new org.stellar.sdk.xdr.Uint32(new org.stellar.sdk.xdr.XdrUnsignedInteger(150L)));
        Transaction cheap = (Transaction) AbstractTransaction.fromEnvelopeXdr(env, network);
        cheap.sign(alice);

        assertThat(codes(server.submitTransactionXdr(cheap.toEnvelopeXdrBase64())))
                .isEqualTo("tx_insufficient_fee");
    }

    @Test
    void aWrongSignatureIsBadAuthAndAnExtraOneIsBadAuthExtra() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        Transaction tx = builder(alice.getAccountId())
                .addOperation(pay(bob.getAccountId(), XLM, "1"))
                .build();
        tx.sign(bob);
        assertThat(codes(submit(tx))).isEqualTo("tx_bad_auth");

        tx.sign(alice);
        assertThat(codes(submit(tx))).isEqualTo("tx_bad_auth_extra");

        Transaction clean = signed(alice, pay(bob.getAccountId(), XLM, "1"));
        assertThat(codes(submit(clean))).isEqualTo("success");
    }

    @Test
    void aTransactionFromAnUnknownAccountIsNoSourceAccount() throws Exception {
        KeyPair ghost = KeyPair.random();
        Transaction tx = new TransactionBuilder(new org.stellar.sdk.Account(ghost.getAccountId(), 1L), network)
                .setBaseFee(100)
                .addPreconditions(org.stellar.sdk.TransactionPreconditions.builder()
                        .timeBounds(new org.stellar.sdk.TimeBounds(0, 0))
                        .build())
                .addOperation(pay(sim.createFundedAccount().getAccountId(), XLM, "1"))
                .build();
        tx.sign(ghost);

        assertThat(codes(submit(tx))).isEqualTo("tx_no_source_account");
    }

    @Test
    void feesThatWouldDipBelowTheReserveAreInsufficientBalance() throws Exception {
        KeyPair poor = sim.createFundedAccount(10_000_000L); // exactly the 1 XLM minimum balance
        KeyPair bob = sim.createFundedAccount();

        assertThat(codes(submit(poor, pay(bob.getAccountId(), XLM, "0.0000001"))))
                .isEqualTo("tx_insufficient_balance");
    }

    @Test
    void resubmittingAnAppliedTransactionAnswersTheStoredResult() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        Transaction tx = signed(alice, pay(bob.getAccountId(), XLM, "1"));

        SubmitTransactionResponse first = submit(tx);
        SubmitTransactionResponse again = submit(tx);

        assertThat(again.isSuccess()).isTrue();
        assertThat(again.getHash()).isEqualTo(first.getHash());
        assertThat(balance(bob.getAccountId())).isEqualTo(100_010_000_000L);
    }

    @Test
    void queuedFaultsAnswerOnceThenTheServerBehaves() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        sim.failNext(503);
        assertThatThrownBy(() -> server.accounts().account(alice.getAccountId()))
                .isInstanceOf(ErrorResponse.class)
                .satisfies(e -> assertThat(((ErrorResponse) e).getCode()).isEqualTo(503));

        sim.failNext(TransactionResultCode.txINTERNAL_ERROR);
        Transaction tx = signed(alice, pay(bob.getAccountId(), XLM, "1"));
        assertThat(codes(submit(tx))).isEqualTo("tx_internal_error");
        assertThat(codes(submit(tx))).isEqualTo("success");
    }

    @Test
    void ledgersCloseOnTheClockAndByHand() throws Exception {
        int start = sim.latestLedger();
        sim.advance(java.time.Duration.ofSeconds(12));
        assertThat(sim.latestLedger()).isEqualTo(start + 2);
        assertThat(sim.closeLedger()).isEqualTo(start + 3);
        var page = server.ledgers()
                .order(org.stellar.sdk.requests.RequestBuilder.Order.DESC)
                .limit(1)
                .execute();
        assertThat(page.getRecords()).singleElement().satisfies(l -> assertThat(l.getSequence())
                .isEqualTo(start + 3L));
        assertThat(server.feeStats().execute().getLastLedgerBaseFee()).isEqualTo(100L);
    }

    @Test
    void aStalledSubmissionIsAppliedAlthoughTheClientTimesOut() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        okhttp3.OkHttpClient impatient = new okhttp3.OkHttpClient.Builder()
                .readTimeout(java.time.Duration.ofMillis(300))
                .build();
        Transaction tx = signed(alice, pay(bob.getAccountId(), XLM, "7"));
        sim.stallNext(java.time.Duration.ofMillis(1_000));

        try (org.stellar.sdk.Server hurried = new org.stellar.sdk.Server(sim.url(), impatient, impatient)) {
            // submitTransaction(tx) would first GET / to check the network passphrase, and that GET would take
            // the stall; post the envelope directly so the stall lands on the submission.
            assertThatThrownBy(() -> hurried.submitTransactionXdr(tx.toEnvelopeXdrBase64()))
                    // SDK 0.44 lets okhttp's read timeout through instead of its own timeout exception.
                    .isInstanceOfAny(
                            org.stellar.sdk.responses.SubmitTransactionTimeoutResponseException.class,
                            java.net.SocketTimeoutException.class);
        }

        // The outcome was unknown to the client, but the ledger has it: look it up, do not resend blindly.
        assertThat(server.transactions().transaction(tx.hashHex()).getSuccessful())
                .isTrue();
        assertThat(balance(bob.getAccountId())).isEqualTo(100_070_000_000L);
    }
}
