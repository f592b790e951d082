package dev.holdfast.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.AuditEntry;
import dev.holdfast.spi.JournalEntry;
import dev.holdfast.spi.LedgerAccount;
import dev.holdfast.spi.Posting;
import dev.holdfast.spi.StoreTransaction;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What the in-memory store does beyond the store contract: fault hooks, misuse, overflow. */
class InMemoryStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final EscrowId E1 = EscrowId.of("escrow-1");

    private final InMemoryStore store = new InMemoryStore();

    @Test
    void failNextCommitThrowsAtCommitAndKeepsNothingOfTheWork() {
        RuntimeException crash = new IllegalStateException("crash at commit");
        store.failNextCommit(crash);

        assertThatThrownBy(() -> write(tx -> {
                    tx.audit().append(entry(1));
                    tx.events().append(E1, 0, List.of(expired()));
                }))
                .isSameAs(crash);

        assertThat(auditSize()).isZero();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.events().load(E1)))
                .isEmpty();
    }

    @Test
    void failNextCommitFailsOneCommitOnly() {
        store.failNextCommit(new IllegalStateException("crash"));
        assertThatThrownBy(() -> write(tx -> tx.audit().append(entry(1)))).hasMessage("crash");

        write(tx -> tx.audit().append(entry(1)));

        assertThat(auditSize()).isEqualTo(1);
    }

    @Test
    void failCommitsAfterLetsThatManyCommitsThroughThenFailsEveryCommitUntilCleared() {
        RuntimeException down = new IllegalStateException("store down");
        store.failCommitsAfter(2, down);

        write(tx -> tx.audit().append(entry(1)));
        write(tx -> tx.audit().append(entry(2)));
        assertThatThrownBy(() -> write(tx -> tx.audit().append(entry(3)))).isSameAs(down);
        assertThatThrownBy(() -> write(tx -> tx.audit().append(entry(3)))).isSameAs(down);

        store.clearFaults();
        write(tx -> tx.audit().append(entry(3)));
        assertThat(auditSize()).isEqualTo(3);
    }

    @Test
    void nestedUnitOfWorkIsRefusedAndTheOuterOneRollsBack() {
        assertThatThrownBy(() -> write(tx -> {
                    tx.audit().append(entry(1));
                    store.inTransaction(inner -> null);
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nested");

        assertThat(auditSize()).isZero();
    }

    @Test
    void aTransactionUsedAfterItsUnitOfWorkIsRefused() {
        StoreTransaction leaked = store.inTransaction(tx -> tx);

        assertThatThrownBy(() -> leaked.events().load(E1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> leaked.audit().append(entry(1))).isInstanceOf(IllegalStateException.class);
        assertThat(auditSize()).isZero();
    }

    @Test
    void aTransactionUsedFromAnotherThreadIsRefused() {
        assertThatThrownBy(() -> write(tx ->
                        CompletableFuture.runAsync(() -> tx.audit().last()).get(10, TimeUnit.SECONDS)))
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPostingThatWouldOverflowLeavesTheLedgerAsItWas() {
        LedgerAccount big = new LedgerAccount(AccountType.PARTY_AVAILABLE, "big", Asset.USD);
        LedgerAccount source = new LedgerAccount(AccountType.RAIL_CLEARING, "sandbox", Asset.USD);
        LedgerAccount fresh = new LedgerAccount(AccountType.PLATFORM_REVENUE, "platform", Asset.USD);
        write(tx -> tx.ledger().append(entry("j1", source, -Long.MAX_VALUE, big, Long.MAX_VALUE)));

        // The new account is posted first, then the big one overflows: the first posting must be undone.
        write(tx -> {
            assertThatThrownBy(() -> tx.ledger().append(entry("j2", fresh, -1, big, 1)))
                    .isInstanceOf(ArithmeticException.class);
            assertThat(tx.ledger().accounts()).containsExactlyInAnyOrder(source, big);
            assertThat(tx.ledger().balance(fresh)).isZero();
            assertThat(tx.ledger().balance(big)).isEqualTo(Long.MAX_VALUE);
            // The refused entry did not take its id.
            tx.ledger().append(entry("j2", big, -1, fresh, 1));
        });

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.ledger().balance(fresh)))
                .isEqualTo(1);
    }

    @Test
    void anEventOfAnotherEscrowIsRefused() {
        EscrowEvent other = new EscrowEvent.EscrowExpired(EscrowId.of("escrow-2"), T0);

        assertThatThrownBy(() -> write(tx -> tx.events().append(E1, 0, List.of(other))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void write(ThrowingConsumer work) {
        Consumer<StoreTransaction> unchecked = tx -> {
            try {
                work.accept(tx);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        store.inTransaction(tx -> {
            unchecked.accept(tx);
            return null;
        });
    }

    @FunctionalInterface
    private interface ThrowingConsumer {
        void accept(StoreTransaction tx) throws Exception;
    }

    private int auditSize() {
        return store.inTransaction(tx -> tx.audit().read(0, 100).size());
    }

    private static EscrowEvent expired() {
        return new EscrowEvent.EscrowExpired(E1, T0);
    }

    private static AuditEntry entry(long sequence) {
        return new AuditEntry(sequence, T0, "escrow-1", "EscrowExpired", "{}", "0", "h" + sequence);
    }

    private static JournalEntry entry(String id, LedgerAccount a, long amountA, LedgerAccount b, long amountB) {
        return new JournalEntry(id, T0, "subject", id, null, List.of(new Posting(a, amountA), new Posting(b, amountB)));
    }
}
