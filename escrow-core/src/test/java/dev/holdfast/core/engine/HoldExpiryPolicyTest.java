package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.USD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.DisputeTier;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OpenDispute;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.core.internal.ledger.Journal;
import dev.holdfast.spi.AccountType;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The hold-expiry policy {@code REFUND} (docs/disputes.md) on a sandbox rail with a short maximum hold: the rail lets
 * the hold lapse while a dispute is open, and the engine ends the dispute as a refund with tier HOLD_EXPIRY, says why
 * in the audit log and books exactly what the rail gave back.
 */
class HoldExpiryPolicyTest {
    private final EngineFixture f = new EngineFixture(Duration.ofDays(12));

    private long ledger(AccountType type, String owner) {
        return f.memory.inTransaction(tx -> tx.ledger().balance(Journal.account(type, owner, USD)));
    }

    @Test
    void aDisputeOpenWhenTheShortRailHoldRunsOutIsRefundedWithTheReasonInTheAuditLog() throws IOException {
        EscrowView e = f.funded(f.create(10_000));
        EscrowView v = f.submit(new OpenDispute(Actor.buyer(ALICE), e.id(), null, "never arrived"));
        DisputeView d = v.disputes().get(0);

        // the rail's clock runs past its maximum hold before the engine's timers get a chance to act
        f.clock.advance(Duration.ofDays(12));
        f.rail.tick();

        EscrowView after = f.engine.get(e.id());
        DisputeView done = after.dispute(d.id()).orElseThrow();
        assertThat(done.resolution().tier()).isEqualTo(DisputeTier.HOLD_EXPIRY);
        assertThat(done.resolution().reason()).startsWith("rail hold lapsed");
        assertThat(after.status()).isEqualTo(EscrowStatus.REFUNDED);
        assertThat(ledger(AccountType.ESCROW_HELD, e.id().value())).isZero();
        assertThat(ledger(AccountType.PARTY_PAID_OUT, ALICE.value())).isEqualTo(10_000);
        assertThat(ledger(AccountType.PLATFORM_REVENUE, Journal.PLATFORM)).isZero();
        assertThat(f.rail.held(e.fundingTransfer())).isZero();
        assertThat(f.rail.returnedToBuyers(USD)).isEqualTo(10_000);

        StringBuilder audit = new StringBuilder();
        f.engine.exportAudit(audit);
        assertThat(audit.toString()).contains("HOLD_EXPIRY").contains("rail hold lapsed");
        assertThat(f.engine.verifyAudit().intact()).isTrue();
    }
}
