package dev.holdfast.stellar.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.requests.EventListener;
import org.stellar.sdk.requests.RequestBuilder;
import org.stellar.sdk.requests.SSEStream;
import org.stellar.sdk.responses.Page;
import org.stellar.sdk.responses.TransactionResponse;
import org.stellar.sdk.responses.operations.CreateAccountOperationResponse;
import org.stellar.sdk.responses.operations.OperationResponse;
import org.stellar.sdk.responses.operations.PaymentOperationResponse;

class StreamingTest extends SimulatorTestBase {

    private static <T> EventListener<T> into(BlockingQueue<T> queue) {
        return new EventListener<>() {
            @Override
            public void onEvent(T event) {
                queue.add(event);
            }

            @Override
            public void onFailure(Optional<Throwable> error, Optional<Integer> status) {}
        };
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String amount(OperationResponse op) {
        return ((PaymentOperationResponse) op).getAmount();
    }

    @Test
    void aPaymentStreamDeliversNewPaymentsAndResumesFromItsCursorAfterADrop() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        BlockingQueue<OperationResponse> seen = new LinkedBlockingQueue<>();
        SSEStream<OperationResponse> stream =
                server.payments().forAccount(bob.getAccountId()).cursor("now").stream(into(seen));
        try {
            await(() -> sim.openStreams() == 1);
            submit(alice, pay(bob.getAccountId(), XLM, "1"));
            assertThat(amount(seen.poll(10, TimeUnit.SECONDS))).isEqualTo("1.0000000");

            sim.dropStreams();
            await(() -> sim.openStreams() == 0);
            // Paid while the client is disconnected: it must arrive after the reconnect, once.
            submit(alice, pay(bob.getAccountId(), XLM, "2"));
            await(() -> sim.openStreams() == 1);
            submit(alice, pay(bob.getAccountId(), XLM, "3"));

            List<String> amounts = new ArrayList<>();
            amounts.add(amount(seen.poll(10, TimeUnit.SECONDS)));
            amounts.add(amount(seen.poll(10, TimeUnit.SECONDS)));
            assertThat(amounts).containsExactly("2.0000000", "3.0000000");
            assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).isNull();
            assertThat(stream.lastPagingToken()).isNotNull();
        } finally {
            stream.close();
        }
    }

    @Test
    void aStreamWithoutCursorReplaysHistoryFirst() throws Exception {
        KeyPair bob = sim.createFundedAccount();
        BlockingQueue<OperationResponse> seen = new LinkedBlockingQueue<>();
        SSEStream<OperationResponse> stream = server.payments().forAccount(bob.getAccountId()).stream(into(seen));
        try {
            OperationResponse first = seen.poll(10, TimeUnit.SECONDS);
            assertThat(first).isInstanceOf(CreateAccountOperationResponse.class);
            assertThat(((CreateAccountOperationResponse) first).getStartingBalance())
                    .isEqualTo("10000.0000000");
        } finally {
            stream.close();
        }
    }

    @Test
    void aTransactionStreamResumesFromTheLastEventIdItWasGiven() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        String cursor = server.transactions()
                .forAccount(alice.getAccountId())
                .order(RequestBuilder.Order.DESC)
                .limit(1)
                .execute()
                .getRecords()
                .get(0)
                .getPagingToken();
        submit(alice, pay(bob.getAccountId(), XLM, "1"));
        BlockingQueue<TransactionResponse> seen = new LinkedBlockingQueue<>();
        SSEStream<TransactionResponse> stream =
                server.transactions().forAccount(alice.getAccountId()).cursor(cursor).stream(into(seen));
        try {
            TransactionResponse tx = seen.poll(10, TimeUnit.SECONDS);
            assertThat(tx.getSourceAccount()).isEqualTo(alice.getAccountId());
            assertThat(tx.getOperationCount()).isEqualTo(1);
            assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            stream.close();
        }
    }

    @Test
    void pagesFollowCursorOrderAndLimit() throws Exception {
        KeyPair alice = sim.createFundedAccount();
        KeyPair bob = sim.createFundedAccount();
        for (int i = 1; i <= 3; i++) {
            submit(alice, pay(bob.getAccountId(), XLM, Integer.toString(i)));
        }

        Page<OperationResponse> newest = server.payments()
                .forAccount(bob.getAccountId())
                .order(RequestBuilder.Order.DESC)
                .limit(2)
                .execute();
        assertThat(newest.getRecords())
                .extracting(StreamingTest::amountOrStart)
                .containsExactly("3.0000000", "2.0000000");
        Page<OperationResponse> older = server.payments()
                .forAccount(bob.getAccountId())
                .order(RequestBuilder.Order.DESC)
                .limit(2)
                .cursor(newest.getRecords().get(1).getPagingToken())
                .execute();
        assertThat(older.getRecords())
                .extracting(StreamingTest::amountOrStart)
                .containsExactly("1.0000000", "start 10000.0000000");
        assertThat(server.transactions()
                        .forAccount(bob.getAccountId())
                        .execute()
                        .getRecords())
                .hasSize(4);
    }

    private static String amountOrStart(OperationResponse op) {
        return op instanceof CreateAccountOperationResponse c ? "start " + c.getStartingBalance() : amount(op);
    }
}
