package dev.holdfast.tck.store;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneTerms;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.api.RailOperationStatus;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.AuditEntry;
import dev.holdfast.spi.IdempotencyRecord;
import dev.holdfast.spi.JournalEntry;
import dev.holdfast.spi.LedgerAccount;
import dev.holdfast.spi.OutboxMessage;
import dev.holdfast.spi.Posting;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.RailOperationKind;
import dev.holdfast.spi.ScheduledTimer;
import dev.holdfast.spi.TimerKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Values the store contract tests write. Every value is valid and self-consistent; nothing here touches a store. */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Asset USD = Asset.USD;
    static final RailId RAIL = RailId.of("sandbox");

    private StoreFixtures() {}

    static Instant at(long minutesAfterT0) {
        return T0.plus(Duration.ofMinutes(minutesAfterT0));
    }

    static EscrowEvent.EscrowCreated created(EscrowId escrowId, PartyId buyer, PartyId seller) {
        Money amount = Money.of(10_000, USD);
        MilestoneTerms milestone = new MilestoneTerms(
                MilestoneId.of("m1"), "The work", amount, at(7 * 24 * 60), Money.zero(USD), Money.zero(USD));
        return new EscrowEvent.EscrowCreated(
                escrowId,
                T0,
                Actor.buyer(buyer),
                buyer,
                seller,
                RAIL,
                amount,
                List.of(milestone),
                FeeSchedule.none(),
                at(24 * 60),
                Duration.ofDays(3),
                Duration.ofDays(30),
                PayoutDestination.internalBalance(),
                null,
                "order-" + escrowId.value(),
                Map.of());
    }

    static EscrowEvent.EscrowCreated created(EscrowId escrowId) {
        return created(escrowId, PartyId.of("buyer"), PartyId.of("seller"));
    }

    /** An event that names a transfer, so a test can tell appends apart. */
    static EscrowEvent fundingFailed(EscrowId escrowId, String transferId) {
        return new EscrowEvent.FundingFailed(escrowId, T0, TransferId.of(transferId), "declined");
    }

    static EscrowEvent expired(EscrowId escrowId) {
        return new EscrowEvent.EscrowExpired(escrowId, at(24 * 60));
    }

    static LedgerAccount account(AccountType type, String owner) {
        return new LedgerAccount(type, owner, USD);
    }

    /** Moves amount from one account to another: the first loses it, the second gains it. */
    static JournalEntry transfer(String entryId, String subject, LedgerAccount from, LedgerAccount to, long amount) {
        return new JournalEntry(
                entryId,
                T0,
                subject,
                "test " + entryId,
                null,
                List.of(new Posting(from, -amount), new Posting(to, amount)));
    }

    static IdempotencyRecord inProgress(String key, String requestHash) {
        return new IdempotencyRecord(IdempotencyKey.of(key), requestHash, false, null, 0, T0, at(5));
    }

    static IdempotencyRecord completed(String key, String requestHash, String subject, long version) {
        return new IdempotencyRecord(IdempotencyKey.of(key), requestHash, true, subject, version, T0, at(5));
    }

    static ScheduledTimer timer(EscrowId escrowId, String milestone, TimerKind kind, Instant dueAt) {
        return new ScheduledTimer(
                escrowId, milestone == null ? null : MilestoneId.of(milestone), kind, dueAt, null, null);
    }

    static RailOperation railOperation(
            String transferId, EscrowId escrowId, RailOperationStatus status, Instant nextCheckAt, Instant createdAt) {
        return new RailOperation(
                TransferId.of(transferId),
                RAIL,
                RailOperationKind.FUNDING,
                status,
                escrowId,
                null,
                PartyId.of("buyer"),
                Money.of(10_000, USD),
                Money.zero(USD),
                null,
                null,
                null,
                0,
                nextCheckAt,
                null,
                null,
                null,
                createdAt);
    }

    static AuditEntry auditEntry(long sequence) {
        return new AuditEntry(
                sequence,
                at(sequence),
                "escrow-" + sequence,
                "EscrowCreated",
                "{\"n\":" + sequence + "}",
                hash(sequence - 1),
                hash(sequence));
    }

    private static String hash(long n) {
        return String.format("%064x", n);
    }

    /** A new message, due at once (its next attempt is when it was created). */
    static OutboxMessage message(String eventId, String subject) {
        return message(eventId, subject, T0);
    }

    static OutboxMessage message(String eventId, String subject, Instant nextAttemptAt) {
        return new OutboxMessage(
                0, eventId, subject, "EscrowFunded", "{\"id\":\"" + eventId + "\"}", T0, 0, nextAttemptAt);
    }
}
