package dev.holdfast.jakarta.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.spi.OutboxMessage;
import dev.holdfast.spi.StoreTransaction;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The outbox is the public event feed: a reader that has seen sequence n must never later find a message below n.
 * Two nodes (two entity manager factories) on one PostgreSQL database.
 */
class OutboxFeedPostgresTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static String url;
    private static EntityManagerFactory nodeA;
    private static EntityManagerFactory nodeB;

    @BeforeAll
    static void database() {
        url = TestDatabases.freshPostgres("holdfast_jpa_feed");
        HoldfastMigrations.migrate(url, TestDatabases.ROLE, TestDatabases.PASSWORD);
        nodeA = HoldfastPersistence.entityManagerFactory(
                url, TestDatabases.ROLE, TestDatabases.PASSWORD, TestDatabases.QUIET);
        nodeB = HoldfastPersistence.entityManagerFactory(
                url, TestDatabases.ROLE, TestDatabases.PASSWORD, TestDatabases.QUIET);
    }

    @AfterAll
    static void close() {
        nodeA.close();
        nodeB.close();
    }

    @BeforeEach
    void clean() {
        TestDatabases.clean(url, TestDatabases.ROLE, TestDatabases.PASSWORD);
    }

    @Test
    @Timeout(60)
    void aReaderNeverSeesAHigherSequenceWhileALowerOneIsUncommitted() throws Exception {
        JpaHoldfastStore a = new JpaHoldfastStore(nodeA);
        JpaHoldfastStore b = new JpaHoldfastStore(nodeB);
        CountDownLatch lowEnqueued = new CountDownLatch(1);
        CountDownLatch commitLow = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // The lower sequence: enqueued, then held open.
            Future<Long> low = pool.submit(() -> a.inTransaction(tx -> {
                tx.outbox().enqueue(message("low"));
                long sequence = tx.outbox().read(0, 10).get(0).sequence();
                lowEnqueued.countDown();
                await(commitLow);
                return sequence;
            }));
            assertThat(lowEnqueued.await(30, TimeUnit.SECONDS)).isTrue();
            // A second writer on the other node tries to enqueue (and commit) the next message meanwhile.
            Future<Object> high = pool.submit(() -> b.inTransaction(tx -> {
                tx.outbox().enqueue(message("high"));
                return null;
            }));
            awaitLockWaiters(1);

            // The reader sees neither: the higher message cannot exist before the lower one commits.
            assertThat(b.inTransaction((StoreTransaction tx) -> tx.outbox().read(0, 10)))
                    .isEmpty();
            assertThat(high).isNotDone();

            commitLow.countDown();
            high.get(30, TimeUnit.SECONDS);
            assertThat(low.get(30, TimeUnit.SECONDS)).isEqualTo(1L);
            assertThat(a.inTransaction((StoreTransaction tx) -> tx.outbox().read(0, 10)))
                    .extracting(OutboxMessage::sequence, OutboxMessage::eventId)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1L, "low"),
                            org.assertj.core.groups.Tuple.tuple(2L, "high"));
        } finally {
            commitLow.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(120)
    void aReaderFollowingTheFeedWhileTwoNodesWriteSeesEverySequenceInOrder() throws Exception {
        int writers = 4;
        int perWriter = 40;
        List<JpaHoldfastStore> stores = List.of(new JpaHoldfastStore(nodeA), new JpaHoldfastStore(nodeB));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            JpaHoldfastStore store = stores.get(w % 2);
            int writer = w;
            done.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i = 0; i < perWriter; i++) {
                            String id = "w" + writer + "-" + i;
                            store.inTransaction(tx -> {
                                tx.outbox().enqueue(message(id));
                                return null;
                            });
                        }
                    },
                    pool));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
        all.whenComplete((v, e) -> writing.set(false));

        List<Long> seen = new ArrayList<>();
        long cursor = 0;
        JpaHoldfastStore reader = new JpaHoldfastStore(nodeB);
        while (true) {
            boolean last = !writing.get();
            long after = cursor;
            List<OutboxMessage> page = reader.inTransaction(tx -> tx.outbox().read(after, 7));
            for (OutboxMessage m : page) {
                // the feed never jumps: the next message a reader sees is always the one right after its cursor
                assertThat(m.sequence()).isEqualTo(cursor + 1);
                cursor = m.sequence();
                seen.add(cursor);
            }
            if (last && page.isEmpty()) {
                break;
            }
        }
        all.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(seen).hasSize(writers * perWriter);
    }

    private static void awaitLockWaiters(int count) throws SQLException, InterruptedException {
        try (Connection c = DriverManager.getConnection(url, TestDatabases.ROLE, TestDatabases.PASSWORD)) {
            for (int i = 0; i < 3000; i++) {
                try (ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                + " AND wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getInt(1) >= count) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("no writer is waiting for the counters row");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static OutboxMessage message(String eventId) {
        return new OutboxMessage(0, eventId, "subject-" + eventId, "EscrowFunded", "{}", T0, 0, T0);
    }
}
