package dev.holdfast.tck.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.RailId;
import dev.holdfast.spi.RailRecords;
import dev.holdfast.spi.RailRecords.RailRecord;
import dev.holdfast.spi.StoreConflictException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link RailRecords} contract: one test per rule, each named by its requirement id ({@code RR-n}).
 *
 * <p>To check an implementation, extend this class and return a fresh, empty store from {@link #newRecords()}; the
 * suite calls it before each test. Not thread-safe; JUnit creates one instance per test.
 *
 * @since 0.6
 */
public abstract class RailRecordsContractTest {
    private static final RailId LN = RailId.of("lightning");
    private static final RailId XLM = RailId.of("stellar");
    /** A document with every character a rail might put in one. */
    private static final String AWKWARD =
            "line one\nline two\r\n\ttab \\ backslash = equals \u00e9\u20ac\ud83d\ude00 '\"";

    private RailRecords records;

    /** @return a new, empty store; called before every test */
    protected abstract RailRecords newRecords();

    /** @return the store of the running test, for tests a subclass adds */
    protected final RailRecords records() {
        return records;
    }

    @BeforeEach
    void createRecords() {
        records = newRecords();
        assertThat(records).as("newRecords()").isNotNull();
    }

    @Test
    @DisplayName("RR-101 an inserted record reads back exactly, at version 1, with its tags")
    void insertedRecordReadsBackExactly() {
        assertThat(records.insertIfAbsent(LN, "t-1", AWKWARD, Set.of("funding:f-1", "unresolved")))
                .isEmpty();

        RailRecord r = records.find(LN, "t-1").orElseThrow();
        assertThat(r.rail()).isEqualTo(LN);
        assertThat(r.key()).isEqualTo("t-1");
        assertThat(r.document()).isEqualTo(AWKWARD);
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.tags()).containsExactlyInAnyOrder("funding:f-1", "unresolved");
    }

    @Test
    @DisplayName("RR-102 a missing record is empty")
    void missingRecordIsEmpty() {
        assertThat(records.find(LN, "nope")).isEmpty();
    }

    @Test
    @DisplayName("RR-103 insertIfAbsent on an existing key returns the stored record and changes nothing")
    void insertIfAbsentKeepsTheExistingRecord() {
        records.insertIfAbsent(LN, "t-1", "first", Set.of("a"));

        Optional<RailRecord> existing = records.insertIfAbsent(LN, "t-1", "second", Set.of("b"));

        assertThat(existing).get().extracting(RailRecord::document).isEqualTo("first");
        assertThat(existing.get().tags()).containsExactly("a");
        RailRecord r = records.find(LN, "t-1").orElseThrow();
        assertThat(r.document()).isEqualTo("first");
        assertThat(r.version()).isEqualTo(1);
        assertThat(records.findByTag(LN, "b")).isEmpty();
    }

    @Test
    @DisplayName("RR-104 a record may have no tags, and an empty document")
    void recordWithoutTagsOrText() {
        records.insertIfAbsent(LN, "t-1", "", Set.of());

        RailRecord r = records.find(LN, "t-1").orElseThrow();
        assertThat(r.document()).isEmpty();
        assertThat(r.tags()).isEmpty();
    }

    @Test
    @DisplayName("RR-105 keys and tags of 1 to 200 characters are accepted, others refused")
    void keyAndTagLengths() {
        String longest = "k".repeat(RailRecords.MAX_KEY_LENGTH);
        records.insertIfAbsent(LN, longest, "doc", Set.of("t".repeat(RailRecords.MAX_KEY_LENGTH)));
        assertThat(records.find(LN, longest)).isPresent();
        assertThat(records.findByTag(LN, "t".repeat(RailRecords.MAX_KEY_LENGTH)))
                .hasSize(1);

        assertThatThrownBy(() -> records.insertIfAbsent(LN, longest + "k", "doc", Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> records.insertIfAbsent(LN, "", "doc", Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> records.insertIfAbsent(LN, "t-2", "doc", Set.of("")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(records.find(LN, "t-2"))
                .as("a refused insert stores nothing")
                .isEmpty();
    }

    @Test
    @DisplayName("RR-201 update at the read version replaces the document and bumps the version")
    void updateAtTheReadVersion() {
        records.insertIfAbsent(LN, "t-1", "v1", Set.of());

        RailRecord second = records.update(LN, "t-1", 1, "v2", Set.of());
        RailRecord third = records.update(LN, "t-1", 2, AWKWARD, Set.of());

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.document()).isEqualTo("v2");
        assertThat(third.version()).isEqualTo(3);
        assertThat(records.find(LN, "t-1").orElseThrow())
                .extracting(RailRecord::document, RailRecord::version)
                .containsExactly(AWKWARD, 3L);
    }

    @Test
    @DisplayName("RR-202 update at a stale version is refused and changes nothing")
    void staleUpdateIsRefused() {
        records.insertIfAbsent(LN, "t-1", "v1", Set.of("old"));
        records.update(LN, "t-1", 1, "v2", Set.of("new"));

        assertThatThrownBy(() -> records.update(LN, "t-1", 1, "lost", Set.of("lost")))
                .isInstanceOf(StoreConflictException.class);
        assertThatThrownBy(() -> records.update(LN, "t-1", 3, "ahead", Set.of("lost")))
                .isInstanceOf(StoreConflictException.class);

        RailRecord r = records.find(LN, "t-1").orElseThrow();
        assertThat(r.document()).isEqualTo("v2");
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.tags()).containsExactly("new");
        assertThat(records.findByTag(LN, "lost")).isEmpty();
    }

    @Test
    @DisplayName("RR-203 update of a missing record is a conflict and creates nothing")
    void updateOfAMissingRecordIsAConflict() {
        assertThatThrownBy(() -> records.update(LN, "ghost", 1, "doc", Set.of("x")))
                .isInstanceOf(StoreConflictException.class);
        assertThat(records.find(LN, "ghost")).isEmpty();
        assertThat(records.findByTag(LN, "x")).isEmpty();
    }

    @Test
    @DisplayName("RR-204 update replaces the tags: dropped tags no longer find the record, new ones do")
    void updateReplacesTags() {
        records.insertIfAbsent(LN, "t-1", "v1", Set.of("unresolved", "funding:f-1"));

        records.update(LN, "t-1", 1, "v2", Set.of("funding:f-1", "hash:ab"));

        assertThat(records.findByTag(LN, "unresolved")).isEmpty();
        assertThat(records.findByTag(LN, "funding:f-1"))
                .extracting(RailRecord::document)
                .containsExactly("v2");
        assertThat(records.findByTag(LN, "hash:ab")).extracting(RailRecord::key).containsExactly("t-1");
        assertThat(records.find(LN, "t-1").orElseThrow().tags()).containsExactlyInAnyOrder("funding:f-1", "hash:ab");

        records.update(LN, "t-1", 2, "v3", Set.of());
        assertThat(records.findByTag(LN, "funding:f-1")).isEmpty();
        assertThat(records.find(LN, "t-1").orElseThrow().tags()).isEmpty();
    }

    @Test
    @DisplayName("RR-205 replace writes over any version; it inserts a missing record only when asked")
    void replaceIsLastWriterWins() {
        assertThat(records.replace(LN, "t-1", "v0", Set.of(), false)).isFalse();
        assertThat(records.find(LN, "t-1")).isEmpty();

        assertThat(records.replace(LN, "t-1", "v1", Set.of("unresolved"), true)).isTrue();
        records.update(LN, "t-1", 1, "v2", Set.of("unresolved"));
        assertThat(records.replace(LN, "t-1", "v3", Set.of("hash:ab"), false)).isTrue();

        RailRecord stored = records.find(LN, "t-1").orElseThrow();
        assertThat(stored.document()).isEqualTo("v3");
        assertThat(stored.version()).isEqualTo(3);
        assertThat(stored.tags()).containsExactly("hash:ab");
    }

    @Test
    @DisplayName("RR-301 findByTag returns every record with the tag, by key, each with its own tags and version")
    void findByTagReturnsAllCarriers() {
        records.insertIfAbsent(LN, "p-2", "two", Set.of("funding:f-1", "unresolved"));
        records.insertIfAbsent(LN, "p-1", "one", Set.of("funding:f-1"));
        records.insertIfAbsent(LN, "p-3", "three", Set.of("funding:f-2", "unresolved"));
        records.update(LN, "p-1", 1, "one again", Set.of("funding:f-1"));

        List<RailRecord> onF1 = records.findByTag(LN, "funding:f-1");

        assertThat(onF1).extracting(RailRecord::key).containsExactly("p-1", "p-2");
        assertThat(onF1).extracting(RailRecord::document).containsExactly("one again", "two");
        assertThat(onF1).extracting(RailRecord::version).containsExactly(2L, 1L);
        assertThat(onF1.get(1).tags()).containsExactlyInAnyOrder("funding:f-1", "unresolved");
        assertThat(records.findByTag(LN, "unresolved"))
                .extracting(RailRecord::key)
                .containsExactly("p-2", "p-3");
        assertThat(records.findByTag(LN, "funding:f-3")).isEmpty();
    }

    @Test
    @DisplayName("RR-302 tags match exactly, not by prefix or case")
    void tagsMatchExactly() {
        records.insertIfAbsent(LN, "p-1", "one", Set.of("hash:abc"));

        assertThat(records.findByTag(LN, "hash:ab")).isEmpty();
        assertThat(records.findByTag(LN, "hash:ABC")).isEmpty();
        assertThat(records.findByTag(LN, "hash:%")).isEmpty();
        assertThat(records.findByTag(LN, "hash:abc")).hasSize(1);
    }

    @Test
    @DisplayName("RR-303 findAll returns every record of the rail, by key")
    void findAllScansTheRail() {
        records.insertIfAbsent(LN, "b", "B", Set.of());
        records.insertIfAbsent(LN, "a", "A", Set.of("x"));
        records.insertIfAbsent(LN, "c", "C", Set.of());

        assertThat(records.findAll(LN)).extracting(RailRecord::key).containsExactly("a", "b", "c");
        assertThat(records.findAll(LN).get(0).tags()).containsExactly("x");
        assertThat(records.findAll(XLM)).isEmpty();
    }

    @Test
    @DisplayName("RR-401 rails are isolated: the same key and tag on two rails are two records")
    void railsAreIsolated() {
        assertThat(records.insertIfAbsent(LN, "t-1", "lightning", Set.of("unresolved")))
                .isEmpty();
        assertThat(records.insertIfAbsent(XLM, "t-1", "stellar", Set.of("unresolved")))
                .isEmpty();

        records.update(XLM, "t-1", 1, "stellar 2", Set.of());

        assertThat(records.find(LN, "t-1").orElseThrow())
                .extracting(RailRecord::document, RailRecord::version)
                .containsExactly("lightning", 1L);
        assertThat(records.find(XLM, "t-1").orElseThrow().document()).isEqualTo("stellar 2");
        assertThat(records.findByTag(LN, "unresolved"))
                .extracting(RailRecord::rail)
                .containsExactly(LN);
        assertThat(records.findByTag(XLM, "unresolved")).isEmpty();
        assertThat(records.findAll(LN)).extracting(RailRecord::document).containsExactly("lightning");
    }

    @Test
    @Timeout(60)
    @DisplayName("RR-901 of concurrent inserts of one key exactly one wins; the others get the winner's record")
    void concurrentInsertsHaveOneWinner() throws Exception {
        int threads = 8;
        for (int round = 0; round < 5; round++) {
            String key = "race-" + round;
            List<Optional<RailRecord>> answers =
                    race(threads, i -> records.insertIfAbsent(LN, key, "writer " + i, Set.of("writer:" + i, "race")));

            long winners = answers.stream().filter(Optional::isEmpty).count();
            assertThat(winners).as("round " + round).isEqualTo(1);
            RailRecord stored = records.find(LN, key).orElseThrow();
            assertThat(answers.stream().filter(Optional::isPresent).map(Optional::get))
                    .allSatisfy(r -> assertThat(r.document()).isEqualTo(stored.document()));
            String winner = stored.document().substring("writer ".length());
            assertThat(stored.tags()).containsExactlyInAnyOrder("writer:" + winner, "race");
        }
        assertThat(records.findByTag(LN, "race")).hasSize(5);
    }

    @Test
    @Timeout(60)
    @DisplayName("RR-902 of concurrent updates at one version exactly one wins; the others conflict")
    void concurrentUpdatesHaveOneWinner() throws Exception {
        records.insertIfAbsent(LN, "t-1", "v1", Set.of());
        int threads = 8;

        List<Optional<RailRecord>> answers = race(threads, i -> {
            try {
                return Optional.of(records.update(LN, "t-1", 1, "writer " + i, Set.of("writer:" + i)));
            } catch (StoreConflictException e) {
                return Optional.empty();
            }
        });

        List<RailRecord> won = answers.stream().flatMap(Optional::stream).toList();
        assertThat(won).hasSize(1);
        RailRecord stored = records.find(LN, "t-1").orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.document()).isEqualTo(won.get(0).document());
        assertThat(stored.tags()).isEqualTo(won.get(0).tags());
    }

    private interface Attempt<T> {
        T run(int thread) throws Exception;
    }

    private static <T> List<T> race(int threads, Attempt<T> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int thread = i;
                Callable<T> task = () -> {
                    start.await();
                    return attempt.run(thread);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> f : futures) {
                answers.add(f.get(50, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
