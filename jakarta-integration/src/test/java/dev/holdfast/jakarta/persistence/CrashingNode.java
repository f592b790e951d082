package dev.holdfast.jakarta.persistence;

import dev.holdfast.api.Actor;
import dev.holdfast.api.EscrowCommand.ReleaseMilestone;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TestClock;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.PayoutRequest;
import dev.holdfast.spi.RailCapabilities;
import dev.holdfast.spi.RailListener;
import dev.holdfast.spi.RailResult;

/**
 * The node that dies: an engine on PostgreSQL whose bank books a payout and then the JVM halts, before the engine
 * can record the outcome. Run by {@link CrashRecoveryPostgresTest} in a child JVM with {@code <engine-url>
 * <bank-url> <user> <password>}; exits with {@link #HALTED} from inside the payout, or 1 if it got past it.
 */
public final class CrashingNode {
    static final int HALTED = 77;
    static final long AMOUNT = 12_345;

    private CrashingNode() {}

    public static void main(String[] args) {
        String engineUrl = args[0];
        String bankUrl = args[1];
        String user = args[2];
        String password = args[3];
        JdbcBankRail bank = new JdbcBankRail(bankUrl, user, password);
        var emf = HoldfastPersistence.entityManagerFactory(engineUrl, user, password, TestDatabases.QUIET);
        EscrowEngine engine = Holdfast.builder()
                .store(new JpaHoldfastStore(emf))
                .rail(new HaltAfterPayout(bank))
                .clock(new TestClock(Escrows.START))
                .config(EngineConfig.defaults().withNodeId("doomed-node"))
                .build();
        EscrowView escrow = engine.submit(
                IdempotencyKey.of("crash-create"), Escrows.create(JdbcBankRail.ID, AMOUNT, Escrows.START, "bank:bob"));
        if (escrow.status() != EscrowStatus.FUNDED) {
            System.err.println("expected a funded escrow, got " + escrow.status());
            System.exit(2);
        }
        engine.submit(
                IdempotencyKey.of("crash-release"),
                new ReleaseMilestone(Actor.buyer(Escrows.ALICE), escrow.id(), MilestoneId.of("m1")));
        System.err.println("the payout returned: the node should have died inside it");
        System.exit(1);
    }

    /** Passes everything to the bank, and halts the JVM right after the bank booked a payout. */
    private record HaltAfterPayout(PaymentRail bank) implements PaymentRail {
        @Override
        public RailId id() {
            return bank.id();
        }

        @Override
        public RailCapabilities capabilities() {
            return bank.capabilities();
        }

        @Override
        public RailResult openFunding(FundingRequest request) {
            return bank.openFunding(request);
        }

        @Override
        public RailResult cancelFunding(TransferId fundingTransferId) {
            return bank.cancelFunding(fundingTransferId);
        }

        @Override
        public RailResult payout(PayoutRequest request) {
            bank.payout(request);
            // no shutdown hooks, no finally blocks: as a power cut
            Runtime.getRuntime().halt(HALTED);
            throw new AssertionError("unreachable");
        }

        @Override
        public RailResult query(TransferId transferId) {
            return bank.query(transferId);
        }

        @Override
        public RailResult submitPartyResponse(TransferId transferId, Role party, String payload) {
            return bank.submitPartyResponse(transferId, party, payload);
        }

        @Override
        public void setListener(RailListener listener) {
            bank.setListener(listener);
        }
    }
}
