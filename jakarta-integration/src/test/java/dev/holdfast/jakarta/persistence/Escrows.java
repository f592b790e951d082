package dev.holdfast.jakarta.persistence;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.spi.LedgerAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Commands and ledger checks shared by the engine-level tests. */
final class Escrows {
    static final PartyId ALICE = PartyId.of("alice");
    static final PartyId BOB = PartyId.of("bob");
    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    private Escrows() {}

    /** One milestone, delivered within 5 days, auto-released 3 days after delivery, paid to a rail address. */
    static CreateEscrow create(RailId rail, long cents, Instant now, String sellerAddress) {
        return new CreateEscrow(
                Actor.buyer(ALICE),
                ALICE,
                BOB,
                rail,
                Money.of(cents, Asset.USD),
                List.of(new MilestoneSpec(MilestoneId.of("m1"), "work", cents, now.plus(Duration.ofDays(5)))),
                FeeSchedule.none(),
                now.plus(Duration.ofDays(1)),
                Duration.ofDays(3),
                Duration.ofDays(3),
                PayoutDestination.railAddress(sellerAddress),
                null,
                "order",
                Map.of());
    }

    /** @return the sum of every account's balance per asset; a balanced ledger sums to zero in each */
    static Map<Asset, Long> ledgerSums(HoldfastStore store) {
        return store.inTransaction(tx -> {
            Map<Asset, Long> sums = new HashMap<>();
            for (LedgerAccount a : tx.ledger().accounts()) {
                sums.merge(a.asset(), tx.ledger().balance(a), Math::addExact);
            }
            return sums;
        });
    }

    static long balance(HoldfastStore store, AccountType type, String owner) {
        return store.inTransaction(tx -> tx.ledger().balance(new LedgerAccount(type, owner, Asset.USD)));
    }
}
