package dev.holdfast.jakarta.persistence;

import static dev.holdfast.jakarta.persistence.Escrows.ALICE;
import static dev.holdfast.jakarta.persistence.Escrows.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.TestClock;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.HoldfastStore;
import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two app nodes, each an engine with its own entity manager factory, on one PostgreSQL database, racing the same
 * commands and the same due work: each command takes effect once, each timer fires once, each payout is sent once.
 */
class SeveralNodesPostgresTest {
    private static String url;

    private final TestClock clock = new TestClock(Escrows.START);
    private final SandboxRail rail = SandboxRail.builder().clock(clock).build();
    private final List<EntityManagerFactory> factories = new ArrayList<>();
    private final List<EscrowEngine> nodes = new ArrayList<>();
    private HoldfastStore store;

    @BeforeAll
    static void database() {
        url = TestDatabases.freshPostgres("holdfast_jpa_nodes");
        HoldfastMigrations.migrate(url, TestDatabases.ROLE, TestDatabases.PASSWORD);
    }

    @BeforeEach
    void twoNodes() {
        TestDatabases.clean(url, TestDatabases.ROLE, TestDatabases.PASSWORD);
        for (String name : List.of("node-a", "node-b")) {
            EntityManagerFactory emf = HoldfastPersistence.entityManagerFactory(
                    url, TestDatabases.ROLE, TestDatabases.PASSWORD, TestDatabases.QUIET);
            factories.add(emf);
            nodes.add(Holdfast.builder()
                    .store(new JpaHoldfastStore(emf))
                    .rail(rail)
                    .clock(clock)
                    .config(EngineConfig.defaults().withNodeId(name))
                    .build());
        }
        store = new JpaHoldfastStore(factories.get(0));
    }

    @AfterEach
    void close() {
        nodes.forEach(EscrowEngine::close);
        factories.forEach(EntityManagerFactory::close);
    }

    @Test
    @Timeout(120)
    void theSameIdempotencyKeyOnTwoNodesAtOnceCreatesOneEscrow() throws Exception {
        int rounds = 12;
        Set<EscrowId> created = new HashSet<>();
        for (int round = 0; round < rounds; round++) {
            IdempotencyKey key = IdempotencyKey.of("create-" + round);
            var command = Escrows.create(rail.id(), 1_000 + round, clock.instant(), "sandbox:bob");
            List<Object> outcomes = race(nodes.stream()
                    .<Callable<Object>>map(node -> () -> {
                        try {
                            return node.submit(key, command).id();
                        } catch (EscrowException e) {
                            return e.code();
                        }
                    })
                    .toList());
            Set<EscrowId> ids = new HashSet<>();
            for (Object outcome : outcomes) {
                if (outcome instanceof EscrowId id) {
                    ids.add(id);
                } else {
                    // the loser may only be told to come back; never a second escrow, never another error
                    assertThat(outcome).isIn(ErrorCode.IDEMPOTENCY_IN_PROGRESS, ErrorCode.CONCURRENT_MODIFICATION);
                }
            }
            assertThat(ids).as("round %d", round).hasSize(1);
            EscrowId id = ids.iterator().next();
            // once settled, both nodes answer the key with the same escrow
            for (EscrowEngine node : nodes) {
                assertThat(node.submit(key, command).id()).isEqualTo(id);
            }
            created.add(id);
        }

        List<EscrowId> stored = store.inTransaction(tx -> tx.events().escrows(0, 100));
        assertThat(stored).containsExactlyInAnyOrderElementsOf(created);
        assertThat(created).hasSize(rounds);
        assertThat(nodes.get(1).verifyAudit().intact()).isTrue();
    }

    @Test
    @Timeout(300)
    void timersFireOnceAndPayoutsAreSentOnceWhenBothNodesRunDueWork() throws Exception {
        int escrows = 16;
        List<EscrowId> ids = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < escrows; i++) {
            EscrowEngine node = nodes.get(i % 2);
            EscrowView e = node.submit(
                    IdempotencyKey.of("c-" + i), Escrows.create(rail.id(), 1_000 + i, clock.instant(), "sandbox:bob"));
            assertThat(rail.fund(e.fundingTransfer())).isTrue();
            node.submit(IdempotencyKey.of("d-" + i), new MarkDelivered(Actor.seller(BOB), e.id(), null));
            ids.add(e.id());
            total += 1_000 + i;
        }
        for (EscrowId id : ids) {
            assertThat(nodes.get(0).get(id).status()).isEqualTo(EscrowStatus.FUNDED);
        }
        // some payouts are made but their answers are lost: the reconciler must find them, not send them again
        rail.unknownNext();
        rail.unknownNext();
        rail.unknownNext();
        clock.advance(Duration.ofDays(4));

        List<Integer> fired = race(nodes.stream()
                .<Callable<Integer>>map(node -> () -> {
                    int timers = 0;
                    for (int pass = 0; pass < 12; pass++) {
                        timers += node.runDueWork().timersFired();
                    }
                    return timers;
                })
                .toList());
        // later, both nodes reconcile what is still open
        clock.advance(Duration.ofHours(2));
        race(nodes.stream()
                .<Callable<Integer>>map(node -> () -> {
                    for (int pass = 0; pass < 6; pass++) {
                        node.runDueWork();
                    }
                    return 0;
                })
                .toList());

        assertThat(fired.stream().mapToInt(Integer::intValue).sum())
                .as("auto-release timers fired, over both nodes")
                .isEqualTo(escrows);
        for (EscrowId id : ids) {
            EscrowView v = nodes.get(1).get(id);
            assertThat(v.status()).as("status of %s", id).isEqualTo(EscrowStatus.RELEASED);
            TransferId payout = v.milestones().get(0).payoutTransfer();
            assertThat(rail.movements(payout)).as("transfers of %s", payout).isEqualTo(1);
            assertThat(Escrows.balance(store, AccountType.ESCROW_HELD, id.value()))
                    .isZero();
        }
        assertThat(rail.paidOut(Asset.USD)).isEqualTo(total);
        assertThat(Escrows.balance(store, AccountType.PARTY_PAID_OUT, BOB.value()))
                .isEqualTo(total);
        assertThat(Escrows.ledgerSums(store))
                .allSatisfy((asset, sum) -> assertThat(sum).isZero());
        assertThat(nodes.get(0).balance(ALICE, Asset.USD).reservedAsBuyer().isZero())
                .isTrue();
        assertThat(nodes.get(0).verifyAudit().intact()).isTrue();
        assertThat(nodes.get(1).verifyAudit().intact()).isTrue();
    }

    /** Runs the tasks at the same moment on their own threads; rethrows the first failure. */
    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(240, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
