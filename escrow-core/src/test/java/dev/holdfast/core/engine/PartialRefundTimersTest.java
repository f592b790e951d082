package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RefundMilestone;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.MilestoneId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A partial refund leaves its milestone open, so it must not stop the milestone's timers (found by the simulation
 * once disputes changed its random sequence: a milestone stayed FUNDED for ever).
 */
class PartialRefundTimersTest {
    private final EngineFixture f = new EngineFixture();
    private final MilestoneId m1 = MilestoneId.of("m1");

    @Test
    void theDeliveryDeadlineStillRefundsTheRestAfterAPartialRefund() {
        EscrowView e = f.funded(f.create(10_000));
        f.submit(new RefundMilestone(Actor.platform(), e.id(), m1, usd(1_000), "goodwill"));
        f.engine.advanceTime(null, Duration.ofDays(6));
        EscrowView v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.REFUNDED);
        assertThat(v.held().isZero()).isTrue();
    }

    @Test
    void autoReleaseStillReleasesTheRestAfterAPartialRefund() {
        EscrowView e = f.funded(f.create(10_000));
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), m1));
        f.submit(new RefundMilestone(Actor.seller(BOB), e.id(), m1, usd(1_000), "scratch"));
        f.engine.advanceTime(null, Duration.ofDays(4));
        EscrowView v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(v.milestone(m1).orElseThrow().released()).isEqualTo(usd(9_000));
    }
}
