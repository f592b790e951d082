package dev.holdfast.jakarta.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.jakarta.testing.Databases;
import dev.holdfast.jakarta.testing.TestEngine;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Two nodes' workers on one PostgreSQL database, racing for the same due deliveries. */
class WebhookRacePostgresTest {

    @Test
    void twoWorkersRacingTheSameDueDeliveriesPostEachOnce() throws Exception {
        DataSource ds = Databases.postgres();
        WebhookRepository repository = new WebhookRepository(ds);
        try (TestEngine holdfast = new TestEngine(null);
                Receiver receiver = new Receiver()) {
            WebhookConfig base = WebhookConfig.defaults();
            // small batches so the workers interleave and compete for rows many times
            WebhookConfig config = new WebhookConfig(
                    "node-a",
                    base.connectTimeout(),
                    base.requestTimeout(),
                    base.lease(),
                    3,
                    base.pollInterval(),
                    base.firstRetryDelay(),
                    base.maxRetryDelay(),
                    base.retryFor(),
                    base.secretGracePeriod());
            WebhookService service = new WebhookService(repository, WebhookDeliveryTest.CIPHER, holdfast.clock, config);
            service.register(new WebhookRegistration(receiver.url(), null, "one", null));
            service.register(new WebhookRegistration(receiver.url(), null, "two", null));
            WebhookFanOut fanOut = new WebhookFanOut(repository, holdfast.clock);
            for (int i = 0; i < 10; i++) {
                holdfast.fund(holdfast.createEscrow(1000 + i));
            }
            // both nodes fan the same outbox out, as when two engines deliver the same message
            var events = holdfast.store.inTransaction(tx -> tx.outbox().read(0, 10_000));
            events.forEach(fanOut::deliver);
            events.forEach(fanOut::deliver);
            int expected = events.size() * 2;
            assertThat(expected).isGreaterThan(40);

            WebhookDeliveryWorker a = new WebhookDeliveryWorker(
                    repository, service, holdfast.clock, config, HttpClient.newHttpClient(), () -> 0.5);
            WebhookDeliveryWorker b = new WebhookDeliveryWorker(
                    repository,
                    service,
                    holdfast.clock,
                    config.withNodeId("node-b"),
                    HttpClient.newHttpClient(),
                    () -> 0.5);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Callable<Integer> runA = () -> {
                    start.await();
                    return a.runOnce();
                };
                Callable<Integer> runB = () -> {
                    start.await();
                    return b.runOnce();
                };
                Future<Integer> fa = pool.submit(runA);
                Future<Integer> fb = pool.submit(runB);
                start.countDown();
                int total = fa.get() + fb.get();
                // one pass stops after ten claims (30 deliveries), so the first passes cannot take everything alone
                assertThat(total).isPositive();
                while (a.runOnce() + b.runOnce() > 0) {
                    // the next passes finish whatever is left
                }
            } finally {
                pool.shutdownNow();
            }

            List<Receiver.Request> requests = receiver.requests();
            Map<String, Long> perDelivery = requests.stream()
                    .collect(Collectors.groupingBy(r -> r.header("Holdfast-Delivery-Id"), Collectors.counting()));
            assertThat(requests).hasSize(expected);
            assertThat(perDelivery)
                    .hasSize(expected)
                    .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            Set<String> nodes;
            try (var c = ds.getConnection();
                    var rs = c.createStatement()
                            .executeQuery("SELECT node, count(*) FROM holdfast_webhook_attempt GROUP BY node")) {
                Map<String, Integer> byNode = new java.util.HashMap<>();
                while (rs.next()) {
                    byNode.put(rs.getString(1), rs.getInt(2));
                }
                nodes = byNode.keySet();
                assertThat(byNode.values().stream().mapToInt(Integer::intValue).sum())
                        .isEqualTo(expected);
            }
            // both nodes took part: the race was real
            assertThat(nodes).containsExactlyInAnyOrder("node-a", "node-b");
            assertThat(service.list().stream()
                            .flatMap(e -> service.deliveries(e.id(), 0, 500).stream())
                            .collect(Collectors.groupingBy(DeliveryView::status, Collectors.counting())))
                    .isEqualTo(Map.of(DeliveryStatus.DELIVERED, (long) expected));
        }
    }
}
