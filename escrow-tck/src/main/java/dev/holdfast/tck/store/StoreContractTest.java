package dev.holdfast.tck.store;

import static dev.holdfast.tck.store.StoreFixtures.T0;
import static dev.holdfast.tck.store.StoreFixtures.account;
import static dev.holdfast.tck.store.StoreFixtures.at;
import static dev.holdfast.tck.store.StoreFixtures.auditEntry;
import static dev.holdfast.tck.store.StoreFixtures.completed;
import static dev.holdfast.tck.store.StoreFixtures.created;
import static dev.holdfast.tck.store.StoreFixtures.expired;
import static dev.holdfast.tck.store.StoreFixtures.fundingFailed;
import static dev.holdfast.tck.store.StoreFixtures.inProgress;
import static dev.holdfast.tck.store.StoreFixtures.message;
import static dev.holdfast.tck.store.StoreFixtures.railOperation;
import static dev.holdfast.tck.store.StoreFixtures.timer;
import static dev.holdfast.tck.store.StoreFixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.AuditEntry;
import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.spi.IdempotencyRecord;
import dev.holdfast.spi.JournalEntry;
import dev.holdfast.spi.LedgerAccount;
import dev.holdfast.spi.OutboxMessage;
import dev.holdfast.spi.Posting;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.ScheduledTimer;
import dev.holdfast.spi.StoreConflictException;
import dev.holdfast.spi.StoreTransaction;
import dev.holdfast.spi.StoredEvent;
import dev.holdfast.spi.TimerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The store contract: what every {@link HoldfastStore} must do, one test per rule, each named by its requirement id
 * ({@code SC-n}) in its display name.
 *
 * <p>To check a store, extend this class and return a fresh, empty store from {@link #newStore()}; the suite calls
 * it before each test. The 9xx tests run several threads against one store.
 *
 * <p>Rules that the SPI Javadoc leaves open and this suite settles:
 *
 * <ul>
 *   <li>a lease lapses at its {@code leaseUntil} and until then excludes every claimer, its own owner included
 *       (SC-508), so worker threads sharing a node id never get the same item;
 *   <li>a {@link StoreConflictException} fails the whole unit of work even when the work catches it (SC-106), as
 *       on a database that aborts the transaction;
 *   <li>{@code IdempotencyStore.update} of a missing key is a conflict (SC-405);
 *   <li>scheduling a timer over a claimed one ends the claim (SC-512), and a claim is its owner plus its {@code
 *       leaseUntil}: completing an older claim fails even when the same owner claimed again (SC-514);
 *   <li>an outbox claim counts as a delivery attempt, and delivering or giving back a message ends its subject's
 *       lease (SC-806, SC-807).
 * </ul>
 *
 * <p>Not thread-safe; JUnit creates one instance per test.
 *
 * @since 0.1
 */
public abstract class StoreContractTest {
    private static final EscrowId E1 = EscrowId.of("escrow-1");
    private static final EscrowId E2 = EscrowId.of("escrow-2");
    private static final EscrowId E3 = EscrowId.of("escrow-3");
    private static final PartyId ANN = PartyId.of("ann");
    private static final PartyId BOB = PartyId.of("bob");
    private static final PartyId CAL = PartyId.of("cal");
    private static final LedgerAccount CLEARING = account(AccountType.RAIL_CLEARING, "sandbox");
    private static final LedgerAccount HELD = account(AccountType.ESCROW_HELD, E1.value());
    private static final LedgerAccount BOB_AVAILABLE = account(AccountType.PARTY_AVAILABLE, BOB.value());
    private static final LedgerAccount REVENUE = account(AccountType.PLATFORM_REVENUE, "platform");

    private HoldfastStore store;

    /**
     * @return a new, empty store; called before every test
     */
    protected abstract HoldfastStore newStore();

    /** @return the store of the running test, for tests a subclass adds */
    protected final HoldfastStore store() {
        return store;
    }

    @BeforeEach
    void createStore() {
        store = newStore();
        assertThat(store).as("newStore()").isNotNull();
    }

    // ---------------------------------------------------------------- unit of work

    @Test
    @DisplayName("SC-101 inTransaction returns the work's result after commit")
    void inTransactionReturnsTheResultOfTheWork() {
        assertThat(store.inTransaction((StoreTransaction tx) -> "done")).isEqualTo("done");
        long version = store.inTransaction(tx -> {
            tx.events().append(E1, 0, List.of(created(E1)));
            return lastVersion(tx.events().load(E1));
        });
        assertThat(version).isEqualTo(1);
    }

    @Test
    @DisplayName("SC-102 work committed in one unit of work is visible to later ones, in every sub-store")
    void committedWorkIsVisibleToLaterUnitsOfWork() {
        write(this::writeOneOfEverything);

        read(tx -> {
            assertOneOfEverything(tx);
            return null;
        });
    }

    @Test
    @DisplayName("SC-103 when the work throws, the exception comes out unchanged and nothing it wrote is kept")
    void workThatThrowsLeavesNothingBehind() {
        RuntimeException boom = new IllegalStateException("boom");

        assertThatThrownBy(() -> write(tx -> {
                    writeOneOfEverything(tx);
                    throw boom;
                }))
                .isSameAs(boom);

        read(tx -> {
            assertNothingVisible(tx);
            return null;
        });
        // The store is usable after a rollback.
        write(this::writeOneOfEverything);
        read(tx -> {
            assertOneOfEverything(tx);
            return null;
        });
    }

    @Test
    @DisplayName("SC-104 a unit of work reads its own writes before commit")
    void aUnitOfWorkReadsItsOwnWrites() {
        write(tx -> {
            writeOneOfEverything(tx);
            assertOneOfEverything(tx);
        });
    }

    @Test
    @DisplayName("SC-105 a rollback restores what the work updated, cancelled, claimed or deleted")
    void rollbackRestoresWhatTheWorkChanged() {
        RailOperation operation = railOperation("t1", E1, RailOperationStatus.INIT, T0, T0);
        ScheduledTimer deadline = timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60));
        write(tx -> {
            tx.events().append(E1, 0, List.of(created(E1, ANN, BOB)));
            tx.ledger().append(transfer("j1", E1.value(), CLEARING, HELD, 500));
            tx.idempotency().insert(inProgress("k1", "h1"));
            tx.idempotency().insert(inProgress("k2", "h2"));
            tx.timers().schedule(deadline);
            tx.railOperations().save(operation);
            tx.audit().append(auditEntry(1));
            tx.outbox().enqueue(message("ev1", E1.value()));
        });

        assertThatThrownBy(() -> write(tx -> {
                    tx.events().append(E1, 1, List.of(expired(E1)));
                    tx.ledger().append(transfer("j2", E1.value(), HELD, BOB_AVAILABLE, 500));
                    tx.idempotency().update(completed("k1", "h1", E1.value(), 2));
                    tx.idempotency().delete(IdempotencyKey.of("k2"));
                    tx.timers().claimDue(at(60), 10, "node-a", at(70));
                    tx.timers().cancel(E1, null, TimerKind.FUNDING_DEADLINE);
                    tx.timers().schedule(timer(E1, "m1", TimerKind.DELIVERY_DEADLINE, at(90)));
                    tx.timers().shift(E1, Duration.ofMinutes(30));
                    tx.railOperations().claimDue(T0, 10, "node-a", at(10));
                    tx.railOperations()
                            .save(operation.withOutcome(RailOperationStatus.SUCCEEDED, "ref-1", null, at(1)));
                    tx.audit().append(auditEntry(2));
                    tx.outbox().claim(T0, 10, "node-a", at(10));
                    tx.outbox().markDelivered(1);
                    tx.outbox().enqueue(message("ev2", E1.value()));
                    throw new IllegalStateException("crash");
                }))
                .hasMessage("crash");

        read(tx -> {
            assertThat(tx.events().load(E1)).extracting(StoredEvent::version).containsExactly(1L);
            assertThat(tx.ledger().balance(HELD)).isEqualTo(500);
            assertThat(tx.ledger().balance(BOB_AVAILABLE)).isZero();
            assertThat(tx.ledger().accounts()).containsExactlyInAnyOrder(CLEARING, HELD);
            assertThat(tx.idempotency().find(IdempotencyKey.of("k1"))).contains(inProgress("k1", "h1"));
            assertThat(tx.idempotency().find(IdempotencyKey.of("k2"))).contains(inProgress("k2", "h2"));
            assertThat(tx.timers().of(E1)).containsExactly(deadline);
            assertThat(tx.railOperations().find(TransferId.of("t1"))).contains(operation);
            assertThat(tx.audit().last()).contains(auditEntry(1));
            assertThat(tx.outbox().read(0, 10)).singleElement().satisfies(m -> assertThat(m.attempts())
                    .isZero());
            return null;
        });
        // What was claimed in the rolled-back unit of work is free again, for any node.
        read(tx -> {
            assertThat(tx.timers().claimDue(at(60), 10, "node-b", at(70))).hasSize(1);
            assertThat(tx.railOperations().claimDue(T0, 10, "node-b", at(10))).hasSize(1);
            assertThat(tx.outbox().claim(T0, 10, "node-b", at(10)))
                    .extracting(OutboxMessage::eventId)
                    .containsExactly("ev1");
            return null;
        });
    }

    @Test
    @DisplayName("SC-106 a conflict fails the unit of work and undoes its other writes, even when the work catches it")
    void aConflictCaughtByTheWorkStillFailsTheUnitOfWork() {
        write(tx -> tx.events().append(E1, 0, List.of(created(E1))));

        assertThatThrownBy(() -> write(tx -> {
                    tx.audit().append(auditEntry(1));
                    try {
                        tx.events().append(E1, 0, List.of(expired(E1)));
                    } catch (StoreConflictException swallowed) {
                        // the work pretends nothing happened
                    }
                }))
                .isInstanceOf(StoreConflictException.class);

        assertThat(read((StoreTransaction tx) -> tx.audit().last())).isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.events().load(E1))).hasSize(1);
    }

    // ---------------------------------------------------------------- events

    @Test
    @DisplayName("SC-201 loading an escrow that has no events gives an empty list")
    void loadOfAnUnknownEscrowIsEmpty() {
        assertThat(read((StoreTransaction tx) -> tx.events().load(E1))).isEmpty();
    }

    @Test
    @DisplayName("SC-202 event versions start at 1 and grow by 1, across appends and units of work")
    void versionsStartAtOneAndGrowByOne() {
        EscrowEvent first = created(E1);
        EscrowEvent second = fundingFailed(E1, "f1");
        EscrowEvent third = expired(E1);
        write(tx -> tx.events().append(E1, 0, List.of(first, second)));
        write(tx -> tx.events().append(E1, 2, List.of(third)));

        assertThat(read((StoreTransaction tx) -> tx.events().load(E1)))
                .containsExactly(new StoredEvent(1, first), new StoredEvent(2, second), new StoredEvent(3, third));
    }

    @Test
    @DisplayName("SC-203 append rejects an expected version that is not the stream's version")
    void appendRejectsStaleExpectedVersion() {
        write(tx -> tx.events().append(E1, 0, List.of(created(E1), fundingFailed(E1, "f1"))));

        for (long stale : new long[] {0, 1, 3}) {
            assertThatThrownBy(() -> write(tx -> tx.events().append(E1, stale, List.of(expired(E1)))))
                    .as("expected version %d", stale)
                    .isInstanceOf(StoreConflictException.class);
        }
        assertThat(read((StoreTransaction tx) -> tx.events().load(E1))).hasSize(2);
    }

    @Test
    @DisplayName("SC-204 the first append to an escrow expects version 0")
    void firstAppendExpectsVersionZero() {
        assertThatThrownBy(() -> write(tx -> tx.events().append(E1, 1, List.of(created(E1, ANN, BOB)))))
                .isInstanceOf(StoreConflictException.class);

        assertThat(read((StoreTransaction tx) -> tx.events().load(E1))).isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.events().escrowsOf(ANN))).isEmpty();
    }

    @Test
    @DisplayName("SC-205 of two units of work appending with the same expected version, the second fails whole")
    void secondOfTwoRacingAppendsFails() {
        write(tx -> tx.events().append(E1, 0, List.of(created(E1))));
        // Both read version 1; the first to commit wins.
        write(tx -> tx.events().append(E1, 1, List.of(fundingFailed(E1, "winner"))));

        assertThatThrownBy(() -> write(tx -> {
                    tx.idempotency().insert(inProgress("loser-key", "h"));
                    tx.events().append(E1, 1, List.of(fundingFailed(E1, "loser")));
                }))
                .isInstanceOf(StoreConflictException.class);

        assertThat(read((StoreTransaction tx) -> tx.events().load(E1)))
                .extracting(StoredEvent::event)
                .containsExactly(created(E1), fundingFailed(E1, "winner"));
        assertThat(read((StoreTransaction tx) -> tx.idempotency().find(IdempotencyKey.of("loser-key"))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-206 each escrow has its own stream and versions")
    void streamsOfDifferentEscrowsAreIndependent() {
        write(tx -> tx.events().append(E1, 0, List.of(created(E1), expired(E1))));
        write(tx -> tx.events().append(E2, 0, List.of(created(E2))));

        assertThat(read((StoreTransaction tx) -> tx.events().load(E2)))
                .containsExactly(new StoredEvent(1, created(E2)));
        assertThat(read((StoreTransaction tx) -> tx.events().load(E1)))
                .extracting(StoredEvent::version)
                .containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("SC-207 escrowsOf finds the escrows a party buys or sells in, oldest first")
    void escrowsOfFindsEscrowsByBuyerAndSellerOldestFirst() {
        write(tx -> tx.events().append(E1, 0, List.of(created(E1, ANN, BOB))));
        write(tx -> tx.events().append(E2, 0, List.of(created(E2, CAL, ANN))));
        write(tx -> tx.events().append(E3, 0, List.of(created(E3, BOB, CAL))));

        assertThat(read((StoreTransaction tx) -> tx.events().escrowsOf(ANN))).containsExactly(E1, E2);
        assertThat(read((StoreTransaction tx) -> tx.events().escrowsOf(BOB))).containsExactly(E1, E3);
        assertThat(read((StoreTransaction tx) -> tx.events().escrowsOf(CAL))).containsExactly(E2, E3);
        assertThat(read((StoreTransaction tx) -> tx.events().escrowsOf(PartyId.of("nobody"))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-208 escrowsOf lists an escrow once, however many events it has and roles the party plays")
    void escrowsOfListsAnEscrowOnce() {
        write(tx -> tx.events().append(E1, 0, List.of(created(E1, ANN, ANN))));
        write(tx -> tx.events().append(E1, 1, List.of(fundingFailed(E1, "f1"), expired(E1))));
        write(tx -> tx.events().append(E2, 0, List.of(created(E2, BOB, ANN))));

        assertThat(read((StoreTransaction tx) -> tx.events().escrowsOf(ANN))).containsExactly(E1, E2);
    }

    @Test
    @DisplayName("SC-209 escrows pages through every escrow in creation order, by offset")
    void escrowsPagesInCreationOrder() {
        write(tx -> tx.events().append(E2, 0, List.of(created(E2, CAL, ANN))));
        write(tx -> tx.events().append(E1, 0, List.of(created(E1, ANN, BOB))));
        write(tx -> tx.events().append(E2, 1, List.of(expired(E2))));
        write(tx -> tx.events().append(E3, 0, List.of(created(E3, BOB, CAL))));

        assertThat(read((StoreTransaction tx) -> tx.events().escrows(0, 10))).containsExactly(E2, E1, E3);
        assertThat(read((StoreTransaction tx) -> tx.events().escrows(0, 2))).containsExactly(E2, E1);
        assertThat(read((StoreTransaction tx) -> tx.events().escrows(2, 2))).containsExactly(E3);
        assertThat(read((StoreTransaction tx) -> tx.events().escrows(3, 2))).isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.events().escrows(1, 0))).isEmpty();
    }

    @Test
    @DisplayName("SC-210 an escrow whose creation rolled back takes no position")
    void rolledBackCreationTakesNoPosition() {
        write(tx -> tx.events().append(E1, 0, List.of(created(E1))));
        assertThatThrownBy(() -> write(tx -> {
                    tx.events().append(E2, 0, List.of(created(E2)));
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        write(tx -> tx.events().append(E3, 0, List.of(created(E3))));

        assertThat(read((StoreTransaction tx) -> tx.events().escrows(0, 10))).containsExactly(E1, E3);
    }

    // ---------------------------------------------------------------- ledger

    @Test
    @DisplayName("SC-301 an account without postings has balance 0")
    void balanceOfAnAccountWithoutPostingsIsZero() {
        assertThat(read((StoreTransaction tx) -> tx.ledger().balance(HELD))).isZero();
    }

    @Test
    @DisplayName("SC-302 an account's balance is the sum of its postings, per asset")
    void balanceIsTheSumOfThePostings() {
        LedgerAccount heldInEuro = new LedgerAccount(AccountType.ESCROW_HELD, E1.value(), Asset.EUR);
        LedgerAccount clearingInEuro = new LedgerAccount(AccountType.RAIL_CLEARING, "sandbox", Asset.EUR);
        write(tx -> tx.ledger().append(transfer("fund", E1.value(), CLEARING, HELD, 10_000)));
        write(tx -> {
            tx.ledger()
                    .append(new JournalEntry(
                            "release",
                            T0,
                            E1.value(),
                            "release with fee",
                            null,
                            List.of(
                                    new Posting(HELD, -7_000),
                                    new Posting(BOB_AVAILABLE, 6_900),
                                    new Posting(REVENUE, 100))));
            tx.ledger().append(transfer("euro", E1.value(), clearingInEuro, heldInEuro, 42));
        });

        read(tx -> {
            assertThat(tx.ledger().balance(CLEARING)).isEqualTo(-10_000);
            assertThat(tx.ledger().balance(HELD)).isEqualTo(3_000);
            assertThat(tx.ledger().balance(BOB_AVAILABLE)).isEqualTo(6_900);
            assertThat(tx.ledger().balance(REVENUE)).isEqualTo(100);
            assertThat(tx.ledger().balance(heldInEuro)).isEqualTo(42);
            assertThat(tx.ledger().balance(clearingInEuro)).isEqualTo(-42);
            return null;
        });
    }

    @Test
    @DisplayName("SC-303 append rejects a second entry with the same id and leaves the balances alone")
    void appendRejectsADuplicateEntryId() {
        write(tx -> tx.ledger().append(transfer("j1", E1.value(), CLEARING, HELD, 500)));

        assertThatThrownBy(() -> write(tx -> tx.ledger().append(transfer("j1", E1.value(), HELD, BOB_AVAILABLE, 500))))
                .isInstanceOf(StoreConflictException.class);
        assertThatThrownBy(() -> write(tx -> {
                    tx.ledger().append(transfer("j2", E1.value(), CLEARING, HELD, 1));
                    tx.ledger().append(transfer("j2", E1.value(), CLEARING, HELD, 1));
                }))
                .isInstanceOf(StoreConflictException.class);

        read(tx -> {
            assertThat(tx.ledger().balance(HELD)).isEqualTo(500);
            assertThat(tx.ledger().balance(BOB_AVAILABLE)).isZero();
            assertThat(tx.ledger().entries(E1.value()))
                    .extracting(JournalEntry::entryId)
                    .containsExactly("j1");
            return null;
        });
    }

    @Test
    @DisplayName("SC-304 entries of a subject come back in the order they were appended, and only theirs")
    void entriesOfASubjectComeBackInAppendOrder() {
        JournalEntry first = transfer("b-first", E1.value(), CLEARING, HELD, 300);
        JournalEntry other = transfer("a-other", E2.value(), CLEARING, account(AccountType.ESCROW_HELD, "e2"), 5);
        JournalEntry second = transfer("c-second", E1.value(), HELD, BOB_AVAILABLE, 300);
        write(tx -> tx.ledger().append(first));
        write(tx -> {
            tx.ledger().append(other);
            tx.ledger().append(second);
        });

        assertThat(read((StoreTransaction tx) -> tx.ledger().entries(E1.value())))
                .containsExactly(first, second);
        assertThat(read((StoreTransaction tx) -> tx.ledger().entries(E2.value())))
                .containsExactly(other);
        assertThat(read((StoreTransaction tx) -> tx.ledger().entries("nobody"))).isEmpty();
    }

    @Test
    @DisplayName("SC-305 accounts lists every account that has postings, also those back at zero, and no other")
    void accountsListsEveryAccountWithPostings() {
        write(tx -> tx.ledger().append(transfer("in", E1.value(), CLEARING, HELD, 500)));
        write(tx -> tx.ledger().append(transfer("out", E1.value(), HELD, BOB_AVAILABLE, 500)));

        List<LedgerAccount> accounts = read(tx -> tx.ledger().accounts());

        assertThat(accounts).containsExactlyInAnyOrder(CLEARING, HELD, BOB_AVAILABLE);
        assertThat(read((StoreTransaction tx) -> tx.ledger().balance(HELD))).isZero();
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    @DisplayName("SC-401 find of a key never inserted is empty")
    void findOfAnUnknownKeyIsEmpty() {
        assertThat(read((StoreTransaction tx) -> tx.idempotency().find(IdempotencyKey.of("k1"))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-402 an inserted record is found as it was inserted")
    void insertedRecordIsFoundAsInserted() {
        IdempotencyRecord record = inProgress("k1", "hash-1");
        write(tx -> tx.idempotency().insert(record));

        assertThat(read((StoreTransaction tx) -> tx.idempotency().find(IdempotencyKey.of("k1"))))
                .contains(record);
        assertThat(read((StoreTransaction tx) -> tx.idempotency().find(IdempotencyKey.of("k2"))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-403 insert rejects a key that exists and keeps the first record")
    void insertRejectsAKeyThatExists() {
        write(tx -> tx.idempotency().insert(inProgress("k1", "first")));

        assertThatThrownBy(() -> write(tx -> tx.idempotency().insert(inProgress("k1", "second"))))
                .isInstanceOf(StoreConflictException.class);
        assertThat(read((StoreTransaction tx) -> tx.idempotency().find(IdempotencyKey.of("k1"))))
                .contains(inProgress("k1", "first"));
    }

    @Test
    @DisplayName("SC-404 update replaces the record of a key")
    void updateReplacesTheRecord() {
        write(tx -> tx.idempotency().insert(inProgress("k1", "h")));
        IdempotencyRecord done = completed("k1", "h", E1.value(), 3);

        write(tx -> tx.idempotency().update(done));

        assertThat(read((StoreTransaction tx) -> tx.idempotency().find(IdempotencyKey.of("k1"))))
                .contains(done);
    }

    @Test
    @DisplayName("SC-405 update of a key that does not exist is a conflict and creates nothing")
    void updateOfAMissingKeyConflicts() {
        assertThatThrownBy(() -> write(tx -> tx.idempotency().update(completed("k1", "h", E1.value(), 1))))
                .isInstanceOf(StoreConflictException.class);

        assertThat(read((StoreTransaction tx) -> tx.idempotency().find(IdempotencyKey.of("k1"))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-406 delete frees the key for a new insert; deleting an unknown key does nothing")
    void deleteFreesTheKey() {
        write(tx -> tx.idempotency().insert(inProgress("k1", "first")));

        write(tx -> {
            tx.idempotency().delete(IdempotencyKey.of("k1"));
            tx.idempotency().delete(IdempotencyKey.of("never-seen"));
        });
        assertThat(read((StoreTransaction tx) -> tx.idempotency().find(IdempotencyKey.of("k1"))))
                .isEmpty();

        write(tx -> tx.idempotency().insert(inProgress("k1", "second")));
        assertThat(read((StoreTransaction tx) -> tx.idempotency().find(IdempotencyKey.of("k1"))))
                .contains(inProgress("k1", "second"));
    }

    // ---------------------------------------------------------------- timers

    @Test
    @DisplayName("SC-501 of lists an escrow's pending timers, escrow-wide and per milestone, and no other escrow's")
    void scheduledTimersAreListedPerEscrow() {
        ScheduledTimer funding = timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60));
        ScheduledTimer delivery = timer(E1, "m1", TimerKind.DELIVERY_DEADLINE, at(120));
        ScheduledTimer otherEscrow = timer(E2, null, TimerKind.FUNDING_DEADLINE, at(60));
        write(tx -> {
            tx.timers().schedule(delivery);
            tx.timers().schedule(funding);
            tx.timers().schedule(otherEscrow);
        });

        assertThat(read((StoreTransaction tx) -> tx.timers().of(E1))).containsExactlyInAnyOrder(funding, delivery);
        assertThat(read((StoreTransaction tx) -> tx.timers().of(E2))).containsExactly(otherEscrow);
        assertThat(read((StoreTransaction tx) -> tx.timers().of(E3))).isEmpty();
    }

    @Test
    @DisplayName("SC-502 schedule replaces the timer with the same escrow, milestone and kind, and only that one")
    void scheduleReplacesTheTimerWithTheSameEscrowMilestoneAndKind() {
        ScheduledTimer autoRelease = timer(E1, "m1", TimerKind.AUTO_RELEASE, at(60));
        ScheduledTimer otherMilestone = timer(E1, "m2", TimerKind.AUTO_RELEASE, at(60));
        ScheduledTimer otherKind = timer(E1, "m1", TimerKind.HOLD_GUARD, at(60));
        ScheduledTimer escrowWide = timer(E1, null, TimerKind.AUTO_RELEASE, at(60));
        write(tx -> List.of(autoRelease, otherMilestone, otherKind, escrowWide).forEach(tx.timers()::schedule));

        ScheduledTimer later = timer(E1, "m1", TimerKind.AUTO_RELEASE, at(180));
        write(tx -> tx.timers().schedule(later));

        assertThat(read((StoreTransaction tx) -> tx.timers().of(E1)))
                .containsExactlyInAnyOrder(later, otherMilestone, otherKind, escrowWide);
        // The replaced due time is gone from claims too.
        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(60), 10, "node-a", at(61))))
                .extracting(ScheduledTimer::timerId)
                .containsExactlyInAnyOrder(otherMilestone.timerId(), otherKind.timerId(), escrowWide.timerId());
    }

    @Test
    @DisplayName("SC-503 cancel removes only the named timer; cancelling a missing timer does nothing")
    void cancelRemovesOnlyTheNamedTimer() {
        ScheduledTimer funding = timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60));
        ScheduledTimer delivery = timer(E1, "m1", TimerKind.DELIVERY_DEADLINE, at(60));
        write(tx -> {
            tx.timers().schedule(funding);
            tx.timers().schedule(delivery);
        });

        write(tx -> {
            tx.timers().cancel(E1, null, TimerKind.FUNDING_DEADLINE);
            tx.timers().cancel(E1, MilestoneId.of("m1"), TimerKind.AUTO_RELEASE);
            tx.timers().cancel(E2, null, TimerKind.FUNDING_DEADLINE);
        });

        assertThat(read((StoreTransaction tx) -> tx.timers().of(E1))).containsExactly(delivery);
        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(60), 10, "node-a", at(61))))
                .extracting(ScheduledTimer::timerId)
                .containsExactly(delivery.timerId());
    }

    @Test
    @DisplayName("SC-504 claimDue returns the timers due at or before now, earliest first, and no later ones")
    void claimDueReturnsOnlyDueTimersEarliestFirst() {
        ScheduledTimer atNow = timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60));
        ScheduledTimer earliest = timer(E2, "m1", TimerKind.DELIVERY_DEADLINE, at(10));
        ScheduledTimer middle = timer(E3, "m1", TimerKind.AUTO_RELEASE, at(30));
        ScheduledTimer later = timer(E1, "m1", TimerKind.DELIVERY_DEADLINE, at(61));
        write(tx -> List.of(atNow, later, middle, earliest).forEach(tx.timers()::schedule));

        List<ScheduledTimer> claimed = read(tx -> tx.timers().claimDue(at(60), 10, "node-a", at(65)));

        assertThat(claimed)
                .extracting(ScheduledTimer::timerId)
                .containsExactly(earliest.timerId(), middle.timerId(), atNow.timerId());
    }

    @Test
    @DisplayName("SC-505 claimDue returns at most limit timers, the earliest; the rest stay claimable")
    void claimDueReturnsAtMostLimitTimers() {
        List<ScheduledTimer> timers = new ArrayList<>();
        for (int i = 5; i >= 1; i--) {
            timers.add(timer(E1, "m" + i, TimerKind.AUTO_RELEASE, at(i)));
        }
        write(tx -> timers.forEach(tx.timers()::schedule));

        List<ScheduledTimer> first = read(tx -> tx.timers().claimDue(at(10), 2, "node-a", at(20)));
        List<ScheduledTimer> rest = read(tx -> tx.timers().claimDue(at(10), 10, "node-b", at(20)));

        assertThat(first).extracting(ScheduledTimer::dueAt).containsExactly(at(1), at(2));
        assertThat(rest).extracting(ScheduledTimer::dueAt).containsExactly(at(3), at(4), at(5));
        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(10), 0, "node-c", at(20))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-506 claimed timers carry the claimer's lease, and the store keeps it")
    void claimedTimersCarryTheirLease() {
        ScheduledTimer deadline = timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60));
        write(tx -> tx.timers().schedule(deadline));

        List<ScheduledTimer> claimed = read(tx -> tx.timers().claimDue(at(60), 10, "node-a", at(65)));

        ScheduledTimer leased = new ScheduledTimer(E1, null, TimerKind.FUNDING_DEADLINE, at(60), "node-a", at(65));
        assertThat(claimed).containsExactly(leased);
        assertThat(read((StoreTransaction tx) -> tx.timers().of(E1))).containsExactly(leased);
    }

    @Test
    @DisplayName("SC-507 a leased timer is not claimed by another owner before its lease lapses")
    void aLeasedTimerIsNotClaimedAgainBeforeItsLeaseLapses() {
        write(tx -> tx.timers().schedule(timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60))));
        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(60), 10, "node-a", at(65))))
                .hasSize(1);

        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(60), 10, "node-b", at(70))))
                .isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(64), 10, "node-b", at(70))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-508 a lease excludes its own owner too until it lapses (worker threads of one node)")
    void aLeaseExcludesItsOwnOwnerToo() {
        write(tx -> tx.timers().schedule(timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60))));
        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(60), 10, "node-a", at(65))))
                .hasSize(1);

        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(61), 10, "node-a", at(66))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-509 once a timer's lease has lapsed (at leaseUntil), another owner can claim it")
    void anotherOwnerClaimsATimerOnceItsLeaseLapsed() {
        write(tx -> tx.timers().schedule(timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60))));
        read(tx -> tx.timers().claimDue(at(60), 10, "node-a", at(65)));

        List<ScheduledTimer> taken = read(tx -> tx.timers().claimDue(at(65), 10, "node-b", at(70)));

        assertThat(taken).singleElement().satisfies(t -> {
            assertThat(t.leaseOwner()).isEqualTo("node-b");
            assertThat(t.leaseUntil()).isEqualTo(at(70));
        });
    }

    @Test
    @DisplayName("SC-510 complete removes a timer whose lease the caller holds, and it never fires again")
    void completeRemovesATimerWhileTheCallerHoldsItsLease() {
        write(tx -> tx.timers().schedule(timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60))));
        ScheduledTimer claimed =
                read(tx -> tx.timers().claimDue(at(60), 10, "node-a", at(65))).get(0);

        assertThat(read((StoreTransaction tx) -> tx.timers().complete(claimed))).isTrue();

        assertThat(read((StoreTransaction tx) -> tx.timers().of(E1))).isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(1000), 10, "node-b", at(1005))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-511 complete returns false when another owner took the lease over, and keeps the timer")
    void completeReturnsFalseWhenAnotherOwnerTookTheLeaseOver() {
        write(tx -> tx.timers().schedule(timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60))));
        ScheduledTimer stale =
                read(tx -> tx.timers().claimDue(at(60), 10, "node-a", at(65))).get(0);
        ScheduledTimer current =
                read(tx -> tx.timers().claimDue(at(66), 10, "node-b", at(70))).get(0);

        assertThat(read((StoreTransaction tx) -> tx.timers().complete(stale))).isFalse();

        assertThat(read((StoreTransaction tx) -> tx.timers().of(E1))).containsExactly(current);
        assertThat(read((StoreTransaction tx) -> tx.timers().complete(current))).isTrue();
    }

    @Test
    @DisplayName("SC-512 scheduling over a claimed timer ends the claim: complete of the old claim returns false")
    void reschedulingAClaimedTimerEndsTheClaim() {
        write(tx -> tx.timers().schedule(timer(E1, "m1", TimerKind.AUTO_RELEASE, at(60))));
        ScheduledTimer claimed =
                read(tx -> tx.timers().claimDue(at(60), 10, "node-a", at(65))).get(0);
        ScheduledTimer rescheduled = timer(E1, "m1", TimerKind.AUTO_RELEASE, at(120));
        write(tx -> tx.timers().schedule(rescheduled));

        assertThat(read((StoreTransaction tx) -> tx.timers().complete(claimed))).isFalse();

        assertThat(read((StoreTransaction tx) -> tx.timers().of(E1))).containsExactly(rescheduled);
    }

    @Test
    @DisplayName("SC-513 shift moves every timer of one escrow earlier by the duration, and no other escrow's")
    void shiftMovesAnEscrowsTimersEarlier() {
        write(tx -> {
            tx.timers().schedule(timer(E1, null, TimerKind.FUNDING_DEADLINE, at(120)));
            tx.timers().schedule(timer(E1, "m1", TimerKind.DELIVERY_DEADLINE, at(180)));
            tx.timers().schedule(timer(E2, null, TimerKind.FUNDING_DEADLINE, at(120)));
        });

        write(tx -> tx.timers().shift(E1, Duration.ofMinutes(60)));

        assertThat(read((StoreTransaction tx) -> tx.timers().of(E1)))
                .extracting(ScheduledTimer::dueAt)
                .containsExactlyInAnyOrder(at(60), at(120));
        assertThat(read((StoreTransaction tx) -> tx.timers().of(E2)))
                .extracting(ScheduledTimer::dueAt)
                .containsExactly(at(120));
        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(60), 10, "node-a", at(65))))
                .extracting(ScheduledTimer::timerId)
                .containsExactly(
                        timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60)).timerId());
    }

    @Test
    @DisplayName(
            "SC-514 complete of an old claim returns false once the timer was claimed again, even by the same owner")
    void completeOfAnOldClaimReturnsFalseAfterTheOwnerClaimedAgain() {
        write(tx -> tx.timers().schedule(timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60))));
        ScheduledTimer first =
                read(tx -> tx.timers().claimDue(at(60), 10, "node-a", at(65))).get(0);
        ScheduledTimer second =
                read(tx -> tx.timers().claimDue(at(65), 10, "node-a", at(70))).get(0);

        assertThat(read((StoreTransaction tx) -> tx.timers().complete(first))).isFalse();
        assertThat(read((StoreTransaction tx) -> tx.timers().complete(second))).isTrue();
    }

    // ---------------------------------------------------------------- rail operations

    @Test
    @DisplayName("SC-601 save inserts an operation that find returns; find of an unknown transfer is empty")
    void saveInsertsAnOperationThatFindReturns() {
        RailOperation operation = railOperation("t1", E1, RailOperationStatus.INIT, T0, T0);
        write(tx -> tx.railOperations().save(operation));

        assertThat(read((StoreTransaction tx) -> tx.railOperations().find(TransferId.of("t1"))))
                .contains(operation);
        assertThat(read((StoreTransaction tx) -> tx.railOperations().find(TransferId.of("t2"))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-602 save replaces the operation with the same transfer id")
    void saveReplacesTheOperationWithTheSameTransferId() {
        RailOperation operation = railOperation("t1", E1, RailOperationStatus.INIT, T0, T0);
        write(tx -> tx.railOperations().save(operation));
        RailOperation pending = operation.withOutcome(RailOperationStatus.PENDING, "ref-1", null, at(5));

        write(tx -> tx.railOperations().save(pending));

        assertThat(read((StoreTransaction tx) -> tx.railOperations().find(TransferId.of("t1"))))
                .contains(pending);
        assertThat(read((StoreTransaction tx) -> tx.railOperations().of(E1))).containsExactly(pending);
    }

    @Test
    @DisplayName("SC-603 of lists an escrow's operations oldest first (by createdAt), and no other's")
    void operationsOfAnEscrowComeOldestFirst() {
        RailOperation funding = railOperation("t-funding", E1, RailOperationStatus.SUCCEEDED, null, at(1));
        RailOperation release = railOperation("t-release", E1, RailOperationStatus.PENDING, at(9), at(2));
        RailOperation refund = railOperation("t-refund", E1, RailOperationStatus.INIT, at(9), at(3));
        RailOperation other = railOperation("t-other", E2, RailOperationStatus.INIT, at(9), at(0));
        write(tx -> List.of(refund, other, funding).forEach(tx.railOperations()::save));
        write(tx -> tx.railOperations().save(release));

        assertThat(read((StoreTransaction tx) -> tx.railOperations().of(E1))).containsExactly(funding, release, refund);
        assertThat(read((StoreTransaction tx) -> tx.railOperations().of(E3))).isEmpty();
    }

    @Test
    @DisplayName("SC-604 claimDue takes only INIT, PENDING and UNKNOWN operations whose next check is due")
    void claimDueTakesOnlyOpenOperationsThatAreDue() {
        write(tx -> {
            tx.railOperations().save(railOperation("init", E1, RailOperationStatus.INIT, at(5), T0));
            tx.railOperations().save(railOperation("pending", E1, RailOperationStatus.PENDING, at(10), T0));
            tx.railOperations().save(railOperation("unknown", E2, RailOperationStatus.UNKNOWN, at(1), T0));
            tx.railOperations().save(railOperation("succeeded", E2, RailOperationStatus.SUCCEEDED, at(1), T0));
            tx.railOperations().save(railOperation("failed", E2, RailOperationStatus.FAILED, at(1), T0));
            tx.railOperations().save(railOperation("not-yet", E3, RailOperationStatus.PENDING, at(11), T0));
        });

        List<RailOperation> claimed = read(tx -> tx.railOperations().claimDue(at(10), 10, "node-a", at(15)));

        assertThat(claimed)
                .extracting(op -> op.transferId().value())
                .containsExactlyInAnyOrder("init", "pending", "unknown");
    }

    @Test
    @DisplayName("SC-605 claimed operations carry the claimer's lease and are saved with it")
    void claimedOperationsCarryTheirLease() {
        RailOperation operation = railOperation("t1", E1, RailOperationStatus.UNKNOWN, at(5), T0);
        write(tx -> tx.railOperations().save(operation));

        List<RailOperation> claimed = read(tx -> tx.railOperations().claimDue(at(5), 10, "node-a", at(15)));

        RailOperation leased = operation.withLease("node-a", at(15));
        assertThat(claimed).containsExactly(leased);
        assertThat(read((StoreTransaction tx) -> tx.railOperations().find(TransferId.of("t1"))))
                .contains(leased);
    }

    @Test
    @DisplayName("SC-606 a leased operation is not claimed by another owner before its lease lapses, and is after")
    void aLeasedOperationIsNotClaimedAgainBeforeItsLeaseLapses() {
        write(tx -> tx.railOperations().save(railOperation("t1", E1, RailOperationStatus.PENDING, at(5), T0)));
        assertThat(read((StoreTransaction tx) -> tx.railOperations().claimDue(at(5), 10, "node-a", at(15))))
                .hasSize(1);

        assertThat(read((StoreTransaction tx) -> tx.railOperations().claimDue(at(14), 10, "node-b", at(30))))
                .isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.railOperations().claimDue(at(15), 10, "node-b", at(30))))
                .singleElement()
                .satisfies(op -> assertThat(op.leaseOwner()).isEqualTo("node-b"));
    }

    @Test
    @DisplayName("SC-607 claimDue returns at most limit operations; the rest stay claimable")
    void claimDueReturnsAtMostLimitOperations() {
        write(tx -> {
            for (int i = 1; i <= 5; i++) {
                tx.railOperations().save(railOperation("t" + i, E1, RailOperationStatus.PENDING, at(i), T0));
            }
        });

        List<RailOperation> first = read(tx -> tx.railOperations().claimDue(at(10), 2, "node-a", at(20)));
        List<RailOperation> rest = read(tx -> tx.railOperations().claimDue(at(10), 10, "node-b", at(20)));

        assertThat(first).hasSize(2);
        assertThat(rest).hasSize(3);
        assertThat(first)
                .extracting(RailOperation::transferId)
                .doesNotContainAnyElementsOf(
                        rest.stream().map(RailOperation::transferId).toList());
    }

    @Test
    @DisplayName("SC-608 saving an operation's outcome releases its lease: it is claimable when next due")
    void savingAnOutcomeReleasesTheLease() {
        write(tx -> tx.railOperations().save(railOperation("t1", E1, RailOperationStatus.INIT, at(5), T0)));
        RailOperation claimed = read(tx -> tx.railOperations().claimDue(at(5), 10, "node-a", at(60)))
                .get(0);

        write(tx -> tx.railOperations().save(claimed.withOutcome(RailOperationStatus.UNKNOWN, null, "timeout", at(6))));

        assertThat(read((StoreTransaction tx) -> tx.railOperations().claimDue(at(5), 10, "node-b", at(60))))
                .isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.railOperations().claimDue(at(6), 10, "node-b", at(60))))
                .singleElement()
                .satisfies(op -> {
                    assertThat(op.status()).isEqualTo(RailOperationStatus.UNKNOWN);
                    assertThat(op.attempts()).isEqualTo(1);
                    assertThat(op.leaseOwner()).isEqualTo("node-b");
                });
    }

    // ---------------------------------------------------------------- audit log

    @Test
    @DisplayName("SC-701 last of an empty audit log is empty")
    void lastOfAnEmptyLogIsEmpty() {
        assertThat(read((StoreTransaction tx) -> tx.audit().last())).isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.audit().read(0, 10))).isEmpty();
    }

    @Test
    @DisplayName("SC-702 appended entries are read back in sequence order and last is the newest")
    void appendedEntriesAreReadBackInSequenceOrder() {
        write(tx -> tx.audit().append(auditEntry(1)));
        write(tx -> {
            tx.audit().append(auditEntry(2));
            tx.audit().append(auditEntry(3));
        });

        assertThat(read((StoreTransaction tx) -> tx.audit().last())).contains(auditEntry(3));
        assertThat(read((StoreTransaction tx) -> tx.audit().read(0, 10)))
                .containsExactly(auditEntry(1), auditEntry(2), auditEntry(3));
    }

    @Test
    @DisplayName("SC-703 append rejects a sequence that is not last + 1")
    void appendRejectsASequenceThatIsNotLastPlusOne() {
        for (long wrong : new long[] {0, 2}) {
            assertThatThrownBy(() -> write(tx -> tx.audit().append(auditEntry(wrong))))
                    .as("sequence %d on an empty log", wrong)
                    .isInstanceOf(StoreConflictException.class);
        }
        write(tx -> tx.audit().append(auditEntry(1)));
        for (long wrong : new long[] {1, 3}) {
            assertThatThrownBy(() -> write(tx -> tx.audit().append(auditEntry(wrong))))
                    .as("sequence %d after 1", wrong)
                    .isInstanceOf(StoreConflictException.class);
        }

        assertThat(read((StoreTransaction tx) -> tx.audit().read(0, 10))).containsExactly(auditEntry(1));
    }

    @Test
    @DisplayName("SC-704 read returns the entries after a sequence, at most limit")
    void readReturnsEntriesAfterASequenceUpToALimit() {
        write(tx -> {
            for (long sequence = 1; sequence <= 5; sequence++) {
                tx.audit().append(auditEntry(sequence));
            }
        });

        assertThat(read((StoreTransaction tx) -> tx.audit().read(1, 2)))
                .extracting(AuditEntry::sequence)
                .containsExactly(2L, 3L);
        assertThat(read((StoreTransaction tx) -> tx.audit().read(3, 10)))
                .extracting(AuditEntry::sequence)
                .containsExactly(4L, 5L);
        assertThat(read((StoreTransaction tx) -> tx.audit().read(5, 10))).isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.audit().read(0, 0))).isEmpty();
    }

    // ---------------------------------------------------------------- outbox

    @Test
    @DisplayName("SC-801 enqueue assigns increasing sequences starting at 1 and keeps the message's fields")
    void enqueueAssignsIncreasingSequencesStartingAtOne() {
        OutboxMessage first = message("ev1", E1.value());
        write(tx -> {
            tx.outbox().enqueue(first);
            tx.outbox().enqueue(message("ev2", E2.value()));
        });
        write(tx -> tx.outbox().enqueue(message("ev3", E1.value())));

        List<OutboxMessage> messages = read(tx -> tx.outbox().read(0, 10));

        assertThat(messages).extracting(OutboxMessage::sequence).containsExactly(1L, 2L, 3L);
        assertThat(messages).extracting(OutboxMessage::eventId).containsExactly("ev1", "ev2", "ev3");
        assertThat(messages.get(0))
                .usingRecursiveComparison()
                .ignoringFields("sequence")
                .isEqualTo(first);
    }

    @Test
    @DisplayName("SC-802 read returns the messages after a sequence, delivered or not, at most limit")
    void readReturnsMessagesAfterASequenceDeliveredOrNot() {
        write(tx -> {
            for (int i = 1; i <= 4; i++) {
                tx.outbox().enqueue(message("ev" + i, "subject-" + i));
            }
        });
        read(tx -> tx.outbox().claim(T0, 10, "node-a", at(5)));
        write(tx -> {
            tx.outbox().markDelivered(1);
            tx.outbox().markDelivered(3);
        });

        assertThat(read((StoreTransaction tx) -> tx.outbox().read(0, 10)))
                .extracting(OutboxMessage::eventId)
                .containsExactly("ev1", "ev2", "ev3", "ev4");
        assertThat(read((StoreTransaction tx) -> tx.outbox().read(1, 2)))
                .extracting(OutboxMessage::sequence)
                .containsExactly(2L, 3L);
        assertThat(read((StoreTransaction tx) -> tx.outbox().read(4, 10))).isEmpty();
    }

    @Test
    @DisplayName("SC-803 claim returns only the oldest undelivered message of each subject, in sequence order")
    void claimReturnsOnlyTheOldestUndeliveredMessageOfEachSubject() {
        write(tx -> {
            tx.outbox().enqueue(message("a1", "subject-a"));
            tx.outbox().enqueue(message("b1", "subject-b"));
            tx.outbox().enqueue(message("a2", "subject-a"));
            tx.outbox().enqueue(message("c1", "subject-c"));
        });

        List<OutboxMessage> claimed = read(tx -> tx.outbox().claim(T0, 10, "node-a", at(5)));

        assertThat(claimed).extracting(OutboxMessage::eventId).containsExactly("a1", "b1", "c1");
        assertThat(claimed).extracting(OutboxMessage::sequence).containsExactly(1L, 2L, 4L);
    }

    @Test
    @DisplayName("SC-804 claim skips every message of a subject another owner holds a lease on")
    void claimSkipsSubjectsLeasedByAnotherOwner() {
        write(tx -> {
            tx.outbox().enqueue(message("a1", "subject-a"));
            tx.outbox().enqueue(message("a2", "subject-a"));
        });
        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(T0, 10, "node-a", at(5))))
                .hasSize(1);
        write(tx -> tx.outbox().enqueue(message("b1", "subject-b")));

        List<OutboxMessage> claimed = read(tx -> tx.outbox().claim(at(4), 10, "node-b", at(9)));

        assertThat(claimed).extracting(OutboxMessage::eventId).containsExactly("b1");
    }

    @Test
    @DisplayName("SC-805 claim skips a message not due yet, and the later messages of its subject")
    void claimSkipsMessagesNotDueYetAndWhatFollowsThem() {
        write(tx -> {
            tx.outbox().enqueue(message("a1", "subject-a", at(10)));
            tx.outbox().enqueue(message("a2", "subject-a", T0));
            tx.outbox().enqueue(message("b1", "subject-b", T0));
        });

        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(at(9), 10, "node-a", at(20))))
                .extracting(OutboxMessage::eventId)
                .containsExactly("b1");
        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(at(10), 10, "node-a", at(20))))
                .extracting(OutboxMessage::eventId)
                .containsExactly("a1");
    }

    @Test
    @DisplayName("SC-806 markDelivered ends the subject's lease: its next message is claimable by any owner")
    void markDeliveredFreesTheSubjectsNextMessage() {
        write(tx -> {
            tx.outbox().enqueue(message("a1", "subject-a"));
            tx.outbox().enqueue(message("a2", "subject-a"));
        });
        OutboxMessage first =
                read(tx -> tx.outbox().claim(T0, 10, "node-a", at(5))).get(0);

        write(tx -> tx.outbox().markDelivered(first.sequence()));

        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(at(1), 10, "node-b", at(6))))
                .extracting(OutboxMessage::eventId)
                .containsExactly("a2");
    }

    @Test
    @DisplayName("SC-807 retryLater gives a message back until its next attempt; each claim counts as an attempt")
    void retryLaterGivesTheMessageBackUntilItsNextAttempt() {
        write(tx -> {
            tx.outbox().enqueue(message("a1", "subject-a"));
            tx.outbox().enqueue(message("a2", "subject-a"));
        });
        OutboxMessage first =
                read(tx -> tx.outbox().claim(T0, 10, "node-a", at(60))).get(0);
        assertThat(first.attempts()).isEqualTo(1);

        write(tx -> tx.outbox().retryLater(first.sequence(), at(10)));

        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(at(9), 10, "node-b", at(60))))
                .isEmpty();
        List<OutboxMessage> again = read(tx -> tx.outbox().claim(at(10), 10, "node-b", at(60)));
        assertThat(again).singleElement().satisfies(m -> {
            assertThat(m.eventId()).isEqualTo("a1");
            assertThat(m.attempts()).isEqualTo(2);
            assertThat(m.nextAttemptAt()).isEqualTo(at(10));
        });
    }

    @Test
    @DisplayName("SC-808 once a subject's lease has lapsed, another owner can claim its message again")
    void anotherOwnerClaimsASubjectOnceTheLeaseLapsed() {
        write(tx -> tx.outbox().enqueue(message("a1", "subject-a")));
        read(tx -> tx.outbox().claim(T0, 10, "node-a", at(5)));

        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(at(4), 10, "node-b", at(10))))
                .isEmpty();
        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(at(5), 10, "node-b", at(10))))
                .extracting(OutboxMessage::eventId)
                .containsExactly("a1");
    }

    @Test
    @DisplayName("SC-809 claim returns at most limit messages, the oldest, in sequence order")
    void claimReturnsAtMostLimitMessages() {
        write(tx -> {
            for (int i = 1; i <= 5; i++) {
                tx.outbox().enqueue(message("ev" + i, "subject-" + i));
            }
        });

        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(T0, 3, "node-a", at(5))))
                .extracting(OutboxMessage::sequence)
                .containsExactly(1L, 2L, 3L);
        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(T0, 3, "node-b", at(5))))
                .extracting(OutboxMessage::sequence)
                .containsExactly(4L, 5L);
        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(T0, 0, "node-c", at(5))))
                .isEmpty();
    }

    @Test
    @DisplayName("SC-810 a delivered message is never claimed again")
    void deliveredMessagesAreNeverClaimedAgain() {
        write(tx -> tx.outbox().enqueue(message("a1", "subject-a")));
        read(tx -> tx.outbox().claim(T0, 10, "node-a", at(5)));
        write(tx -> tx.outbox().markDelivered(1));

        assertThat(read((StoreTransaction tx) -> tx.outbox().claim(at(1000), 10, "node-b", at(1005))))
                .isEmpty();
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(600)
    @DisplayName(
            "SC-901 threads racing to append to one stream: each success lands right after the version it expected")
    void concurrentAppendersNeverDuplicateAVersion() throws Exception {
        int threads = 4;
        int appendsPerThread = 100;
        write(tx -> tx.events().append(E1, 0, List.of(created(E1))));
        Map<TransferId, Long> expectedVersionOf = new ConcurrentHashMap<>();

        runConcurrently(threads, worker -> {
            for (int i = 0; i < appendsPerThread; i++) {
                TransferId marker = TransferId.of("w" + worker + "-" + i);
                EscrowEvent event = new EscrowEvent.FundingFailed(E1, T0, marker, "declined");
                while (keepGoing()) {
                    // Read and append in separate units of work, as an engine that loads, decides, then writes.
                    long version = read(tx -> lastVersion(tx.events().load(E1)));
                    try {
                        write(tx -> tx.events().append(E1, version, List.of(event)));
                        expectedVersionOf.put(marker, version);
                        break;
                    } catch (StoreConflictException e) {
                        // lost the race: read again and retry
                    }
                }
            }
            return null;
        });

        List<StoredEvent> stream = read(tx -> tx.events().load(E1));
        int successes = threads * appendsPerThread;
        assertThat(expectedVersionOf).hasSize(successes);
        assertThat(stream)
                .extracting(StoredEvent::version)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, 1 + successes).boxed().toList());
        for (StoredEvent stored : stream.subList(1, stream.size())) {
            TransferId marker = ((EscrowEvent.FundingFailed) stored.event()).transferId();
            // An append that succeeded with a stale version would sit elsewhere (or twice).
            assertThat(stored.version()).as("version of %s", marker).isEqualTo(expectedVersionOf.get(marker) + 1);
        }
    }

    @Test
    @Timeout(600)
    @DisplayName("SC-902 threads claiming timers at once never get the same timer twice within a lease")
    void concurrentTimerClaimersNeverGetTheSameTimerTwice() throws Exception {
        int escrows = 100;
        write(tx -> {
            for (int e = 0; e < escrows; e++) {
                EscrowId escrowId = EscrowId.of("escrow-" + e);
                tx.timers().schedule(timer(escrowId, "m1", TimerKind.AUTO_RELEASE, at(e % 7)));
                tx.timers().schedule(timer(escrowId, "m2", TimerKind.DELIVERY_DEADLINE, at(e % 5)));
                tx.timers().schedule(timer(escrowId, null, TimerKind.FUNDING_DEADLINE, at(e % 3)));
            }
        });
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        List<String> twice = Collections.synchronizedList(new ArrayList<>());

        runConcurrently(4, worker -> {
            String owner = "node-" + worker;
            // Bounded, so a store that hands out timers forever fails the test instead of spinning.
            for (int round = 0; round < 3 * escrows && keepGoing(); round++) {
                List<ScheduledTimer> batch = read(tx -> tx.timers().claimDue(at(10), 7, owner, at(70)));
                if (batch.isEmpty()) {
                    return null;
                }
                for (ScheduledTimer timer : batch) {
                    assertThat(timer.leaseOwner()).isEqualTo(owner);
                    if (!claimed.add(timer.timerId())) {
                        twice.add(timer.timerId());
                    }
                }
            }
            return null;
        });

        assertThat(twice).isEmpty();
        assertThat(claimed).hasSize(3 * escrows);
        assertThat(read((StoreTransaction tx) -> tx.timers().claimDue(at(10), 1000, "node-late", at(70))))
                .isEmpty();
    }

    @Test
    @Timeout(600)
    @DisplayName("SC-903 threads draining the outbox at once deliver each message once, in order per subject")
    void concurrentOutboxClaimersDeliverEachMessageOnceInSubjectOrder() throws Exception {
        int subjects = 20;
        int perSubject = 5;
        write(tx -> {
            for (int i = 0; i < perSubject; i++) {
                for (int s = 0; s < subjects; s++) {
                    tx.outbox().enqueue(message("ev-" + s + "-" + i, "subject-" + s));
                }
            }
        });
        int total = subjects * perSubject;
        Map<String, List<String>> deliveredBySubject = new ConcurrentHashMap<>();
        AtomicInteger delivered = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);

        runConcurrently(4, worker -> {
            String owner = "node-" + worker;
            while (delivered.get() < total && System.nanoTime() < deadline && keepGoing()) {
                List<OutboxMessage> batch = read(tx -> tx.outbox().claim(T0, 3, owner, at(60)));
                if (batch.isEmpty()) {
                    Thread.sleep(1);
                    continue;
                }
                for (OutboxMessage m : batch) {
                    // Recorded before markDelivered: the subject's next message cannot be claimed until after it.
                    deliveredBySubject
                            .computeIfAbsent(m.subject(), s -> Collections.synchronizedList(new ArrayList<>()))
                            .add(m.eventId());
                    write(tx -> tx.outbox().markDelivered(m.sequence()));
                    delivered.incrementAndGet();
                }
            }
            return null;
        });

        assertThat(delivered).hasValue(total);
        assertThat(deliveredBySubject).hasSize(subjects);
        deliveredBySubject.forEach((subject, eventIds) -> {
            String s = subject.substring("subject-".length());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perSubject; i++) {
                expected.add("ev-" + s + "-" + i);
            }
            assertThat(eventIds).as(subject).containsExactlyElementsOf(expected);
        });
    }

    // ---------------------------------------------------------------- helpers

    // Inside assertThat(...) the lambdas given to read declare their parameter type: with an implicit one, AssertJ's
    // many assertThat overloads make the call ambiguous.
    private <T> T read(Function<StoreTransaction, T> work) {
        return store.inTransaction(work);
    }

    private void write(Consumer<StoreTransaction> work) {
        store.inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** Lets worker loops end when {@link #runConcurrently} gives up on them. */
    private static boolean keepGoing() {
        return !Thread.currentThread().isInterrupted();
    }

    private static long lastVersion(List<StoredEvent> stream) {
        return stream.isEmpty() ? 0 : stream.get(stream.size() - 1).version();
    }

    /** One write to each sub-store; {@link #assertOneOfEverything} checks them. */
    private void writeOneOfEverything(StoreTransaction tx) {
        tx.events().append(E1, 0, List.of(created(E1, ANN, BOB)));
        tx.ledger().append(transfer("j1", E1.value(), CLEARING, HELD, 500));
        tx.idempotency().insert(inProgress("k1", "h1"));
        tx.timers().schedule(timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60)));
        tx.railOperations().save(railOperation("t1", E1, RailOperationStatus.INIT, T0, T0));
        tx.audit().append(auditEntry(1));
        tx.outbox().enqueue(message("ev1", E1.value()));
    }

    private static void assertOneOfEverything(StoreTransaction tx) {
        assertThat(tx.events().load(E1)).containsExactly(new StoredEvent(1, created(E1, ANN, BOB)));
        assertThat(tx.events().escrowsOf(ANN)).containsExactly(E1);
        assertThat(tx.events().escrowsOf(BOB)).containsExactly(E1);
        assertThat(tx.ledger().balance(HELD)).isEqualTo(500);
        assertThat(tx.ledger().balance(CLEARING)).isEqualTo(-500);
        assertThat(tx.ledger().entries(E1.value()))
                .extracting(JournalEntry::entryId)
                .containsExactly("j1");
        assertThat(tx.ledger().accounts()).containsExactlyInAnyOrder(CLEARING, HELD);
        assertThat(tx.idempotency().find(IdempotencyKey.of("k1"))).contains(inProgress("k1", "h1"));
        assertThat(tx.timers().of(E1)).containsExactly(timer(E1, null, TimerKind.FUNDING_DEADLINE, at(60)));
        assertThat(tx.railOperations().find(TransferId.of("t1")))
                .contains(railOperation("t1", E1, RailOperationStatus.INIT, T0, T0));
        assertThat(tx.railOperations().of(E1)).hasSize(1);
        assertThat(tx.audit().last()).contains(auditEntry(1));
        assertThat(tx.audit().read(0, 10)).containsExactly(auditEntry(1));
        assertThat(tx.outbox().read(0, 10)).singleElement().satisfies(m -> {
            assertThat(m.sequence()).isEqualTo(1);
            assertThat(m.eventId()).isEqualTo("ev1");
        });
    }

    private static void assertNothingVisible(StoreTransaction tx) {
        assertThat(tx.events().load(E1)).isEmpty();
        assertThat(tx.events().escrowsOf(ANN)).isEmpty();
        assertThat(tx.events().escrowsOf(BOB)).isEmpty();
        assertThat(tx.ledger().balance(HELD)).isZero();
        assertThat(tx.ledger().balance(CLEARING)).isZero();
        assertThat(tx.ledger().entries(E1.value())).isEmpty();
        assertThat(tx.ledger().accounts()).isEmpty();
        assertThat(tx.idempotency().find(IdempotencyKey.of("k1"))).isEmpty();
        assertThat(tx.timers().of(E1)).isEmpty();
        assertThat(tx.timers().claimDue(at(1000), 10, "node-a", at(1005))).isEmpty();
        assertThat(tx.railOperations().find(TransferId.of("t1"))).isEmpty();
        assertThat(tx.railOperations().of(E1)).isEmpty();
        assertThat(tx.railOperations().claimDue(at(1000), 10, "node-a", at(1005)))
                .isEmpty();
        assertThat(tx.audit().last()).isEmpty();
        assertThat(tx.audit().read(0, 10)).isEmpty();
        assertThat(tx.outbox().read(0, 10)).isEmpty();
        assertThat(tx.outbox().claim(at(1000), 10, "node-a", at(1005))).isEmpty();
    }

    /** A task run by one of several threads started together. */
    @FunctionalInterface
    private interface Worker<T> {
        T run(int worker) throws Exception;
    }

    /** Runs the worker on that many threads at once and returns their results; rethrows the first failure. */
    private static <T> List<T> runConcurrently(int threads, Worker<T> worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int id = w;
                Callable<T> task = () -> {
                    start.await();
                    return worker.run(id);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                // A liveness guard, not a speed limit: a loaded CI machine with a real database may take minutes here.
                results.add(future.get(540, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
