package dev.holdfast.core.memory;

import dev.holdfast.spi.OutboxMessage;
import dev.holdfast.spi.OutboxStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The outbox of an {@link InMemoryStore}. Message n sits at index n - 1 and carries its current attempts and next
 * attempt; each subject with undelivered messages has a FIFO of them and a lease; only each subject's oldest
 * undelivered message is in the due index, so a claim reads only messages it may hand out. Used only under the
 * store's lock.
 */
final class MemoryOutbox implements OutboxStore {
    private static final class Subject {
        final ArrayDeque<Long> undelivered = new ArrayDeque<>(4);
        DueKey key;
        String leaseOwner;
        Instant leaseUntil;

        long head() {
            return undelivered.getFirst();
        }
    }

    private final UnitOfWork uow;
    private final ArrayList<OutboxMessage> messages = new ArrayList<>();
    private final BitSet delivered = new BitSet();
    private final HashMap<String, Subject> subjects = new HashMap<>();
    // Keyed by the head's next attempt, then its sequence: subjects waiting for a retry cost a claim nothing.
    private final TreeMap<DueKey, Subject> heads = new TreeMap<>();

    MemoryOutbox(UnitOfWork uow) {
        this.uow = uow;
    }

    @Override
    public void enqueue(OutboxMessage message) {
        uow.check();
        String name = Objects.requireNonNull(message.subject(), "subject");
        long sequence = messages.size() + 1L;
        messages.add(withState(message, sequence, message.attempts(), message.nextAttemptAt()));
        Subject subject = subjects.get(name);
        boolean opened = subject == null;
        if (opened) {
            subject = new Subject();
            subjects.put(name, subject);
        }
        Subject into = subject;
        into.undelivered.addLast(sequence);
        if (into.undelivered.size() == 1) {
            into.key = DueKey.of(message.nextAttemptAt(), sequence);
            heads.put(into.key, into);
        }
        uow.onRollback(() -> {
            into.undelivered.removeLast();
            if (into.undelivered.isEmpty()) {
                heads.remove(into.key);
                into.key = null;
            }
            if (opened) {
                subjects.remove(name);
            }
            messages.remove(messages.size() - 1);
        });
    }

    @Override
    public List<OutboxMessage> claim(Instant now, int limit, String owner, Instant leaseUntil) {
        List<OutboxMessage> claimed = new ArrayList<>(
                Leases.claim(uow, heads, now, limit, owner, leaseUntil, subject -> subject.leaseUntil, entry -> {
                    Subject subject = entry.getValue();
                    int index = (int) (subject.head() - 1);
                    OutboxMessage message = messages.get(index);
                    // A claim is a delivery attempt: counting it here also counts attempts of nodes that died
                    // mid-delivery.
                    OutboxMessage attempt =
                            withState(message, message.sequence(), message.attempts() + 1, message.nextAttemptAt());
                    messages.set(index, attempt);
                    String previousOwner = subject.leaseOwner;
                    Instant previousUntil = subject.leaseUntil;
                    subject.leaseOwner = owner;
                    subject.leaseUntil = leaseUntil;
                    uow.onRollback(() -> {
                        messages.set(index, message);
                        subject.leaseOwner = previousOwner;
                        subject.leaseUntil = previousUntil;
                    });
                    return attempt;
                }));
        // Heads were read in due order; the contract hands them out in sequence order.
        claimed.sort(Comparator.comparingLong(OutboxMessage::sequence));
        return claimed;
    }

    @Override
    public void markDelivered(long sequence) {
        uow.check();
        int index = indexOf(sequence);
        if (delivered.get(index)) {
            return;
        }
        String name = messages.get(index).subject();
        Subject subject = subjects.get(name);
        delivered.set(index);
        uow.onRollback(() -> delivered.clear(index));
        if (subject.head() == sequence) {
            DueKey oldKey = subject.key;
            String previousOwner = subject.leaseOwner;
            Instant previousUntil = subject.leaseUntil;
            subject.undelivered.removeFirst();
            heads.remove(oldKey);
            // The lease covered the message just delivered; the next one is free for any node.
            subject.leaseOwner = null;
            subject.leaseUntil = null;
            boolean emptied = subject.undelivered.isEmpty();
            if (emptied) {
                subject.key = null;
                subjects.remove(name);
            } else {
                long next = subject.head();
                subject.key = DueKey.of(messages.get((int) (next - 1)).nextAttemptAt(), next);
                heads.put(subject.key, subject);
            }
            uow.onRollback(() -> {
                if (emptied) {
                    subjects.put(name, subject);
                } else {
                    heads.remove(subject.key);
                }
                subject.undelivered.addFirst(sequence);
                subject.key = oldKey;
                heads.put(oldKey, subject);
                subject.leaseOwner = previousOwner;
                subject.leaseUntil = previousUntil;
            });
        } else {
            // Delivered out of order (a host acknowledged it another way): rare, so a copy for the undo is fine.
            ArrayDeque<Long> before = subject.undelivered.clone();
            subject.undelivered.removeFirstOccurrence(sequence);
            uow.onRollback(() -> {
                subject.undelivered.clear();
                subject.undelivered.addAll(before);
            });
        }
    }

    @Override
    public void retryLater(long sequence, Instant nextAttemptAt) {
        uow.check();
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        int index = indexOf(sequence);
        if (delivered.get(index)) {
            return;
        }
        OutboxMessage message = messages.get(index);
        messages.set(index, withState(message, sequence, message.attempts(), nextAttemptAt));
        uow.onRollback(() -> messages.set(index, message));
        Subject subject = subjects.get(message.subject());
        if (subject.head() == sequence) {
            DueKey oldKey = subject.key;
            String previousOwner = subject.leaseOwner;
            Instant previousUntil = subject.leaseUntil;
            heads.remove(oldKey);
            subject.key = DueKey.of(nextAttemptAt, sequence);
            heads.put(subject.key, subject);
            subject.leaseOwner = null;
            subject.leaseUntil = null;
            uow.onRollback(() -> {
                heads.remove(subject.key);
                subject.key = oldKey;
                heads.put(oldKey, subject);
                subject.leaseOwner = previousOwner;
                subject.leaseUntil = previousUntil;
            });
        }
    }

    @Override
    public List<OutboxMessage> read(long afterSequence, int limit) {
        uow.check();
        return Slices.after(messages, afterSequence, limit);
    }

    private int indexOf(long sequence) {
        if (sequence < 1 || sequence > messages.size()) {
            throw new IllegalArgumentException("no outbox message " + sequence);
        }
        return (int) (sequence - 1);
    }

    private static OutboxMessage withState(OutboxMessage m, long sequence, int attempts, Instant nextAttemptAt) {
        return new OutboxMessage(
                sequence, m.eventId(), m.subject(), m.type(), m.payload(), m.createdAt(), attempts, nextAttemptAt);
    }
}
