package dev.holdfast.jakarta.persistence;

import static dev.holdfast.jakarta.persistence.Escrows.ALICE;
import static dev.holdfast.jakarta.persistence.Escrows.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.PartyBalance;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.TestClock;
import dev.holdfast.api.TransferId;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.StoreTransaction;
import jakarta.persistence.EntityManagerFactory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node dies (the JVM halts) after the bank booked a payout and before the engine recorded it. Another engine on the
 * same databases reconciles: it asks the bank by transfer id, records the payout once, and never sends it again.
 */
class CrashRecoveryPostgresTest {

    @Test
    @Timeout(300)
    void aPayoutBookedByTheBankBeforeTheNodeDiedIsRecordedOnceAndNeverSentAgain() throws Exception {
        String engineUrl = TestDatabases.freshPostgres("holdfast_jpa_crash");
        String bankUrl = TestDatabases.freshPostgres("holdfast_jpa_bank");
        String user = TestDatabases.ROLE;
        String password = TestDatabases.PASSWORD;
        HoldfastMigrations.migrate(engineUrl, user, password);
        JdbcBankRail bank = new JdbcBankRail(bankUrl, user, password);
        bank.createBooks();

        Path log = Files.createTempFile("holdfast-crashing-node", ".log");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashingNode.class.getName(),
                        engineUrl,
                        bankUrl,
                        user,
                        password)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(child.waitFor(240, TimeUnit.SECONDS)).as("the child ended").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("exit status; output:%n%s", output).isEqualTo(CrashingNode.HALTED);

        EntityManagerFactory emf =
                HoldfastPersistence.entityManagerFactory(engineUrl, user, password, TestDatabases.QUIET);
        try {
            JpaHoldfastStore store = new JpaHoldfastStore(emf);
            List<EscrowId> escrows = store.inTransaction(tx -> tx.events().escrows(0, 10));
            assertThat(escrows).hasSize(1);
            EscrowId id = escrows.get(0);
            // what the dead node left: the bank booked the payout, the engine's operation is still unresolved
            List<RailOperation> before =
                    store.inTransaction(tx -> tx.railOperations().of(id));
            RailOperation payout = before.stream()
                    .filter(op -> op.kind() == dev.holdfast.spi.RailOperationKind.RELEASE)
                    .findFirst()
                    .orElseThrow();
            assertThat(payout.status()).isEqualTo(RailOperationStatus.INIT);
            assertThat(bank.transfers("PAYOUT", id.value())).isEqualTo(1);

            TestClock clock = new TestClock(Escrows.START.plus(Duration.ofHours(1)));
            EscrowEngine survivor = Holdfast.builder()
                    .store(store)
                    .rail(bank)
                    .clock(clock)
                    .config(EngineConfig.defaults().withNodeId("survivor"))
                    .build();
            try {
                for (int pass = 0; pass < 5; pass++) {
                    survivor.runDueWork();
                    clock.advance(Duration.ofMinutes(10));
                }

                EscrowView view = survivor.get(id);
                assertThat(view.status()).isEqualTo(EscrowStatus.RELEASED);
                TransferId transfer = view.milestones().get(0).payoutTransfer();
                assertThat(transfer).isEqualTo(payout.transferId());
                assertThat(store.inTransaction(
                                (StoreTransaction tx) -> tx.railOperations().find(transfer)))
                        .hasValueSatisfying(op -> assertThat(op.status()).isEqualTo(RailOperationStatus.SUCCEEDED));
                assertThat(bank.transfers("PAYOUT", id.value()))
                        .as("payouts the bank booked")
                        .isEqualTo(1);
                assertThat(bank.transfers("FUNDING", id.value())).isEqualTo(1);
                // recorded once: the seller was paid the amount once, nothing is left held
                assertThat(Escrows.balance(store, AccountType.ESCROW_HELD, id.value()))
                        .isZero();
                assertThat(Escrows.balance(store, AccountType.PARTY_PAID_OUT, BOB.value()))
                        .isEqualTo(CrashingNode.AMOUNT);
                assertThat(Escrows.balance(store, AccountType.RAIL_CLEARING, JdbcBankRail.ID.value()))
                        .isEqualTo(-CrashingNode.AMOUNT);
                assertThat(store.inTransaction(
                                (StoreTransaction tx) -> tx.ledger().entries(id.value())))
                        .as("funding and payout entries")
                        .hasSize(2);
                assertThat(Escrows.ledgerSums(store))
                        .allSatisfy((asset, sum) -> assertThat(sum).isZero());
                PartyBalance seller = survivor.balance(BOB, Asset.USD);
                PartyBalance buyer = survivor.balance(ALICE, Asset.USD);
                assertThat(seller.paidOut().minor()).isEqualTo(CrashingNode.AMOUNT);
                assertThat(seller.pendingAsSeller().isZero()).isTrue();
                assertThat(buyer.reservedAsBuyer().isZero()).isTrue();
                assertThat(survivor.verifyAudit().intact()).isTrue();

                // more due work changes nothing
                survivor.runDueWork();
                assertThat(bank.transfers("PAYOUT", id.value())).isEqualTo(1);
            } finally {
                survivor.close();
            }
        } finally {
            emf.close();
            new File(log.toString()).delete();
        }
    }
}
