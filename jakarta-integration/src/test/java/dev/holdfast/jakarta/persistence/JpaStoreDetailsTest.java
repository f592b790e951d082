package dev.holdfast.jakarta.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.EvidenceStore.StoredEvidence;
import dev.holdfast.spi.JournalEntry;
import dev.holdfast.spi.LedgerAccount;
import dev.holdfast.spi.Posting;
import dev.holdfast.spi.StoreConflictException;
import dev.holdfast.spi.StoreTransaction;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the contract kit leaves open: evidence bytes, balance decisions under races, times, the DataSource factory. */
class JpaStoreDetailsTest {
    private static final String URL = TestDatabases.h2("holdfast_details");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final LedgerAccount CLEARING = new LedgerAccount(AccountType.RAIL_CLEARING, "bank", Asset.USD);
    private static final LedgerAccount ANN = new LedgerAccount(AccountType.PARTY_AVAILABLE, "ann", Asset.USD);
    private static final LedgerAccount OUT = new LedgerAccount(AccountType.PARTY_WITHDRAWING, "ann", Asset.USD);
    private static EntityManagerFactory emf;

    @BeforeAll
    static void database() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(URL);
        ds.setUser("sa");
        HoldfastMigrations.migrate(ds);
        // the DataSource variant, as the CDI wiring uses it
        emf = HoldfastPersistence.entityManagerFactory(ds, TestDatabases.QUIET);
    }

    @AfterAll
    static void close() {
        emf.close();
    }

    @BeforeEach
    void clean() {
        TestDatabases.clean(URL, "sa", "");
    }

    @Test
    void evidenceBytesComeBackAsStoredAndTheSameBytesAreStoredOnce() {
        JpaEvidenceStore evidence = new JpaEvidenceStore(emf);
        byte[] pdf = "%PDF-1.7 a receipt".getBytes(StandardCharsets.UTF_8);

        StoredEvidence first = evidence.put(pdf, "application/pdf");
        StoredEvidence again = evidence.put(pdf.clone(), "application/pdf");
        pdf[0] = 'X'; // the store keeps its own copy

        assertThat(first.reference()).startsWith("jpa:").isEqualTo(again.reference());
        assertThat(first.size()).isEqualTo(18);
        assertThat(first.sha256())
                .isEqualTo(dev.holdfast.core.memory.InMemoryEvidenceStore.sha256(
                        "%PDF-1.7 a receipt".getBytes(StandardCharsets.UTF_8)));
        assertThat(evidence.get(first.reference()))
                .hasValueSatisfying(bytes ->
                        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("%PDF-1.7 a receipt"));
        assertThat(evidence.get("jpa:" + "0".repeat(64))).isEmpty();
        assertThat(evidence.get("mem:elsewhere")).isEmpty();
    }

    @Test
    void largeEvidenceFits() {
        JpaEvidenceStore evidence = new JpaEvidenceStore(emf);
        byte[] big = new byte[900_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        StoredEvidence stored = evidence.put(big, "image/png");
        assertThat(evidence.get(stored.reference()))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
    }

    @Test
    @Timeout(60)
    void aDecisionOnABalanceFailsWhenAnotherUnitOfWorkMovedThatMoneyMeanwhile() throws Exception {
        JpaHoldfastStore store = new JpaHoldfastStore(emf);
        store.inTransaction(tx -> {
            tx.ledger().append(entry("in", CLEARING, ANN, 100));
            return null;
        });
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // Two withdrawals of the whole balance: each reads 100, decides, posts. Only one may succeed.
            Future<Object> first = pool.submit(() -> store.inTransaction(tx -> {
                long available = tx.ledger().balance(ANN);
                read.countDown();
                await(otherCommitted);
                if (available >= 100) {
                    tx.ledger().append(entry("w1", ANN, OUT, 100));
                }
                return null;
            }));
            assertThat(read.await(30, TimeUnit.SECONDS)).isTrue();
            store.inTransaction(tx -> {
                if (tx.ledger().balance(ANN) >= 100) {
                    tx.ledger().append(entry("w2", ANN, OUT, 100));
                }
                return null;
            });
            otherCommitted.countDown();

            assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(StoreConflictException.class);
        } finally {
            otherCommitted.countDown();
            pool.shutdownNow();
        }
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.ledger().balance(ANN)))
                .isZero();
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.ledger().balance(OUT)))
                .isEqualTo(100);
    }

    @Test
    void timesAreKeptToTheMicrosecondAndAuditTimesExactly() {
        JpaHoldfastStore store = new JpaHoldfastStore(emf);
        Instant precise = Instant.parse("2026-03-01T10:00:00.123456789Z");
        store.inTransaction(tx -> {
            tx.ledger()
                    .append(new JournalEntry(
                            "j",
                            precise,
                            "s",
                            "d",
                            null,
                            entry("x", CLEARING, ANN, 1).postings()));
            tx.audit()
                    .append(new dev.holdfast.spi.AuditEntry(
                            1, precise, "s", "T", "{}", "0".repeat(64), "a".repeat(64)));
            return null;
        });

        assertThat(store.inTransaction((StoreTransaction tx) -> tx.ledger().entries("s")))
                .singleElement()
                .satisfies(e -> assertThat(e.at()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123456Z")));
        assertThat(store.inTransaction((StoreTransaction tx) -> tx.audit().last()))
                .hasValueSatisfying(a -> assertThat(a.at()).isEqualTo(precise));
    }

    private static JournalEntry entry(String id, LedgerAccount from, LedgerAccount to, long amount) {
        return new JournalEntry(
                id, T0, "ann", "test", null, List.of(new Posting(from, -amount), new Posting(to, amount)));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
