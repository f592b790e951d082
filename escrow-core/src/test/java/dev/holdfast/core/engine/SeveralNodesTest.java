package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.USD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.TransferId;
import dev.holdfast.api.WorkReport;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Several engines on one store, as several app nodes on one database: each timer fires once, each payout once. */
class SeveralNodesTest {

    @Test
    void timersFireOnceWhenThreeNodesRunDueWorkAtTheSameTime() throws Exception {
        EngineFixture f = new EngineFixture();
        List<EscrowId> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            EscrowView e = f.funded(f.create(1_000 + i));
            f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
            ids.add(e.id());
        }
        List<EscrowEngine> nodes = List.of(node(f, "a"), node(f, "b"), node(f, "c"));
        f.clock.advance(Duration.ofDays(4));

        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> fired = new ArrayList<>();
        for (EscrowEngine node : nodes) {
            Callable<Integer> work = () -> {
                go.await();
                int total = 0;
                for (int pass = 0; pass < 20; pass++) {
                    WorkReport r = node.runDueWork();
                    total += r.timersFired();
                }
                return total;
            };
            fired.add(pool.submit(work));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> n : fired) {
            total += n.get();
        }
        pool.shutdown();

        assertThat(total).as("auto-release timers fired, over all nodes").isEqualTo(ids.size());
        long expected = 0;
        for (EscrowId id : ids) {
            EscrowView v = f.engine.get(id);
            assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
            TransferId payout = v.milestones().get(0).payoutTransfer();
            assertThat(f.rail.movements(payout)).isEqualTo(1);
            expected += v.amount().minor();
        }
        assertThat(f.rail.paidOut(USD)).isEqualTo(expected);
        assertThat(f.engine.balance(ALICE, USD).reservedAsBuyer().isZero()).isTrue();
        assertThat(f.engine.verifyAudit().intact()).isTrue();
    }

    private static EscrowEngine node(EngineFixture f, String name) {
        return Holdfast.builder()
                .store(f.memory)
                .rail(f.rail)
                .clock(f.clock)
                .config(EngineConfig.defaults().withNodeId(name))
                .build();
    }
}
