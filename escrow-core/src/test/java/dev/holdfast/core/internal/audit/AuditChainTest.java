package dev.holdfast.core.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.core.internal.codec.CanonicalJson;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.spi.AuditEntry;
import dev.holdfast.spi.AuditStore;
import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.spi.StoreTransaction;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditChainTest {
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    private final InMemoryStore store = new InMemoryStore();

    @BeforeEach
    void tenEntries() {
        store.inTransaction(tx -> {
            for (int i = 0; i < 10; i++) {
                EscrowEvent e = new EscrowEvent.EscrowExpired(EscrowId.of("esc_" + i), T.plusSeconds(i));
                AuditChain.append(tx.audit(), e, CanonicalJson.encode(e));
            }
            return null;
        });
    }

    @Test
    void anUntouchedChainVerifies() {
        var v = AuditChain.verify(store);
        assertThat(v.intact()).isTrue();
        assertThat(v.entriesChecked()).isEqualTo(10);
    }

    @Test
    void anEditedPayloadIsFound() {
        var v = AuditChain.verify(tampered(entries -> {
            AuditEntry e = entries.get(4);
            entries.set(
                    4,
                    new AuditEntry(
                            e.sequence(),
                            e.at(),
                            e.subject(),
                            e.type(),
                            e.payload().replace("esc_4", "esc_x"),
                            e.previousHash(),
                            e.hash()));
            return entries;
        }));
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSequence()).isEqualTo(5);
        assertThat(v.problem()).contains("altered");
    }

    @Test
    void anEntryRewrittenWithAFreshHashBreaksTheNextLink() {
        var v = AuditChain.verify(tampered(entries -> {
            AuditEntry e = entries.get(2);
            String payload = e.payload().replace("esc_2", "esc_y");
            String hash = AuditChain.hash(e.sequence(), e.at(), e.subject(), e.type(), payload, e.previousHash());
            entries.set(
                    2, new AuditEntry(e.sequence(), e.at(), e.subject(), e.type(), payload, e.previousHash(), hash));
            return entries;
        }));
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSequence()).isEqualTo(4);
    }

    @Test
    void aRemovedEntryIsFound() {
        var v = AuditChain.verify(tampered(entries -> {
            entries.remove(6);
            return entries;
        }));
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSequence()).isEqualTo(7);
        assertThat(v.problem()).contains("missing");
    }

    @Test
    void exportWritesOneJsonObjectPerLineThatDecodesBack() throws IOException {
        StringBuilder out = new StringBuilder();
        AuditChain.export(store, out);
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(10);
        AuditEntry first = CanonicalJson.decode(lines[0], AuditEntry.class);
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.previousHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(CanonicalJson.decode(first.payload(), EscrowEvent.class))
                .isEqualTo(new EscrowEvent.EscrowExpired(EscrowId.of("esc_0"), T));
    }

    /** The same store, but reads of the audit log see what an attacker left in the table. */
    private HoldfastStore tampered(UnaryOperator<List<AuditEntry>> edit) {
        List<AuditEntry> all =
                new ArrayList<>(store.inTransaction(tx -> tx.audit().read(0, 1000)));
        List<AuditEntry> edited = edit.apply(all);
        AuditStore audit = new AuditStore() {
            @Override
            public Optional<AuditEntry> last() {
                return edited.isEmpty() ? Optional.empty() : Optional.of(edited.get(edited.size() - 1));
            }

            @Override
            public void append(AuditEntry entry) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<AuditEntry> read(long afterSequence, int limit) {
                return edited.stream()
                        .filter(e -> e.sequence() > afterSequence)
                        .limit(limit)
                        .toList();
            }
        };
        return new HoldfastStore() {
            @Override
            public <T> T inTransaction(Function<StoreTransaction, T> work) {
                return store.inTransaction(tx -> work.apply(new StoreTransaction() {
                    @Override
                    public dev.holdfast.spi.EventStore events() {
                        return tx.events();
                    }

                    @Override
                    public dev.holdfast.spi.LedgerStore ledger() {
                        return tx.ledger();
                    }

                    @Override
                    public dev.holdfast.spi.IdempotencyStore idempotency() {
                        return tx.idempotency();
                    }

                    @Override
                    public dev.holdfast.spi.TimerStore timers() {
                        return tx.timers();
                    }

                    @Override
                    public dev.holdfast.spi.RailOperationStore railOperations() {
                        return tx.railOperations();
                    }

                    @Override
                    public AuditStore audit() {
                        return audit;
                    }

                    @Override
                    public dev.holdfast.spi.OutboxStore outbox() {
                        return tx.outbox();
                    }
                }));
            }
        };
    }
}
