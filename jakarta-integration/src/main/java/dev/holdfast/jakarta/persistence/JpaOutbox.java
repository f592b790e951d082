package dev.holdfast.jakarta.persistence;

import dev.holdfast.spi.OutboxMessage;
import dev.holdfast.spi.OutboxStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The outbox and public event feed.
 *
 * <p>Why {@link #read} never skips a message: sequences are not taken from a database sequence (transactions would
 * commit out of sequence order, and a reader that saw 11 could miss 10 committing later) but from the counters row,
 * which {@link JpaUnit#head()} locks until commit. So message n commits before any unit of work can even assign
 * n + 1, and every reader sees a gapless prefix of the feed. The alternative, tagging rows with {@code
 * pg_current_xact_id()} and reading only below {@code pg_snapshot_xmin}, works on PostgreSQL only and delays the
 * feed behind every long transaction; the engine already serialises writers on its audit chain, so the lock costs
 * no extra waiting.
 *
 * <p>Each subject has a row with its oldest undelivered message and its lease; claims take subject rows with {@code
 * FOR UPDATE SKIP LOCKED}, and enqueue and delivery lock the subject row, so they never race on its head.
 */
final class JpaOutbox implements OutboxStore {
    private static final String CLAIM = "SELECT * FROM holdfast_outbox_subject WHERE head_sequence IS NOT NULL"
            + " AND head_due_at <= ?1 AND (lease_until IS NULL OR lease_until <= ?1)"
            + " ORDER BY head_sequence LIMIT ?2 FOR UPDATE SKIP LOCKED";

    private final JpaUnit unit;

    JpaOutbox(JpaUnit unit) {
        this.unit = unit;
    }

    @Override
    public void enqueue(OutboxMessage message) {
        unit.run(() -> {
            String name = Objects.requireNonNull(message.subject(), "subject");
            long sequence = ++unit.head().outboxSequence;
            OutboxRow row = new OutboxRow();
            row.outboxSequence = sequence;
            row.eventId = message.eventId();
            row.subject = name;
            row.eventType = message.type();
            row.payload = message.payload();
            row.createdAt = Micros.of(message.createdAt());
            row.attempts = message.attempts();
            row.nextAttemptAt = Micros.of(message.nextAttemptAt());
            unit.em.persist(row);
            OutboxSubjectRow subject = unit.locked(OutboxSubjectRow.class, name);
            if (subject == null) {
                subject = new OutboxSubjectRow();
                subject.subject = name;
                unit.persist(name, subject);
            }
            if (subject.headSequence == null) {
                subject.headSequence = sequence;
                subject.headDueAt = row.nextAttemptAt;
            }
            subject.lastSequence = sequence;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<OutboxMessage> claim(Instant now, int limit, String owner, Instant leaseUntil) {
        Objects.requireNonNull(owner, "owner");
        if (limit <= 0) {
            return List.of();
        }
        return unit.run(() -> {
            unit.em.flush();
            List<OutboxSubjectRow> subjects = unit.em
                    .createNativeQuery(CLAIM, OutboxSubjectRow.class)
                    .setParameter(1, Micros.of(now))
                    .setParameter(2, limit)
                    .getResultList();
            if (subjects.isEmpty()) {
                return List.<OutboxMessage>of();
            }
            List<Long> heads = new ArrayList<>(subjects.size());
            long until = Micros.of(leaseUntil);
            for (OutboxSubjectRow s : subjects) {
                unit.holds(s.subject, s);
                heads.add(s.headSequence);
                s.leaseOwner = owner;
                s.leaseUntil = until;
            }
            List<OutboxMessage> claimed = new ArrayList<>(heads.size());
            for (OutboxRow row : unit.em
                    .createQuery("SELECT m FROM OutboxRow m WHERE m.outboxSequence IN :s", OutboxRow.class)
                    .setParameter("s", heads)
                    .getResultList()) {
                // a claim is a delivery attempt: this also counts attempts of nodes that died mid-delivery
                row.attempts++;
                claimed.add(toMessage(row));
            }
            claimed.sort(Comparator.comparingLong(OutboxMessage::sequence));
            return List.copyOf(claimed);
        });
    }

    @Override
    public void markDelivered(long sequence) {
        unit.run(() -> {
            OutboxRow row = message(sequence);
            if (row.delivered) {
                return;
            }
            OutboxSubjectRow subject = unit.locked(OutboxSubjectRow.class, row.subject);
            row.delivered = true;
            if (subject != null && subject.headSequence != null && subject.headSequence == sequence) {
                List<OutboxRow> next = unit.em
                        .createQuery(
                                "SELECT m FROM OutboxRow m WHERE m.subject = :s AND m.delivered = FALSE"
                                        + " AND m.outboxSequence > :after ORDER BY m.outboxSequence",
                                OutboxRow.class)
                        .setParameter("s", row.subject)
                        .setParameter("after", sequence)
                        .setMaxResults(1)
                        .getResultList();
                subject.headSequence = next.isEmpty() ? null : next.get(0).outboxSequence;
                subject.headDueAt = next.isEmpty() ? null : next.get(0).nextAttemptAt;
                // the lease covered the message just delivered; the next one is free for any node
                subject.leaseOwner = null;
                subject.leaseUntil = null;
            }
        });
    }

    @Override
    public void retryLater(long sequence, Instant nextAttemptAt) {
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        unit.run(() -> {
            OutboxRow row = message(sequence);
            if (row.delivered) {
                return;
            }
            OutboxSubjectRow subject = unit.locked(OutboxSubjectRow.class, row.subject);
            row.nextAttemptAt = Micros.of(nextAttemptAt);
            if (subject != null && subject.headSequence != null && subject.headSequence == sequence) {
                subject.headDueAt = row.nextAttemptAt;
                subject.leaseOwner = null;
                subject.leaseUntil = null;
            }
        });
    }

    @Override
    public List<OutboxMessage> read(long afterSequence, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return unit.run(() -> {
            List<OutboxMessage> messages = new ArrayList<>();
            for (OutboxRow row : unit.em
                    .createQuery(
                            "SELECT m FROM OutboxRow m WHERE m.outboxSequence > :after ORDER BY m.outboxSequence",
                            OutboxRow.class)
                    .setParameter("after", afterSequence)
                    .setMaxResults(limit)
                    .getResultList()) {
                messages.add(toMessage(row));
            }
            return List.copyOf(messages);
        });
    }

    private OutboxRow message(long sequence) {
        OutboxRow row = unit.em.find(OutboxRow.class, sequence);
        if (row == null) {
            throw new IllegalArgumentException("no outbox message " + sequence);
        }
        return row;
    }

    private static OutboxMessage toMessage(OutboxRow row) {
        return new OutboxMessage(
                row.outboxSequence,
                row.eventId,
                row.subject,
                row.eventType,
                row.payload,
                Micros.instant(row.createdAt),
                row.attempts,
                Micros.instant(row.nextAttemptAt));
    }
}
