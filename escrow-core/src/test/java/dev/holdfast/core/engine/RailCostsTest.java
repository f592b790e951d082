package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand.ReleaseMilestone;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.Money;
import dev.holdfast.api.RailId;
import dev.holdfast.core.internal.ledger.Journal;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.JournalEntry;
import dev.holdfast.spi.Posting;
import dev.holdfast.spi.RailCost;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Platform-funded rail costs ({@link RailCost}, requirement RC-9 in docs/rail-contract.md) are booked with the
 * outcome that reports them, once per transfer and kind, however often the outcome is repeated (docs/ledger.md).
 */
class RailCostsTest {
    private static final Money RESERVE = Money.of(35_000_000, Asset.XLM);

    private final EngineFixture f = new EngineFixture(b -> b.reportFloat(RESERVE));

    private long ledger(AccountType type, String owner) {
        return f.memory.inTransaction(tx -> tx.ledger().balance(Journal.account(type, owner, Asset.XLM)));
    }

    private List<String> costEntries(EscrowView e) {
        return f.memory.inTransaction(tx -> tx.ledger().entries(e.id().value()).stream()
                .map(JournalEntry::entryId)
                .filter(id -> id.contains("/cost/"))
                .toList());
    }

    private String floatOwner(EscrowView e) {
        return Journal.floatOwner(f.rail.id(), e.id().value());
    }

    @Test
    void theReserveLentAtFundingIsBookedOnceThoughTheOutcomeArrivesSeveralTimes() {
        EscrowView e = f.submit(f.create(10_000));
        f.rail.duplicateNotifications(true);
        f.rail.fund(e.fundingTransfer());
        // the reconciler asks again and gets the same answer with the same costs
        f.engine.advanceTime(null, Duration.ofMinutes(30));

        assertThat(f.engine.get(e.id()).status()).isEqualTo(EscrowStatus.FUNDED);
        assertThat(ledger(AccountType.RAIL_FLOAT, floatOwner(e))).isEqualTo(35_000_000);
        assertThat(ledger(AccountType.PLATFORM_FLOAT, Journal.PLATFORM)).isEqualTo(-35_000_000);
        assertThat(costEntries(e)).containsExactly(e.fundingTransfer().value() + "/cost/reserve-lent");
    }

    @Test
    void theLastPayoutReturnsTheReserveSoTheFloatNetsToZeroPerEscrow() {
        EscrowView e = f.funded(f.create(10_000));
        f.rail.stallNext();
        f.submit(new ReleaseMilestone(Actor.buyer(ALICE), e.id(), null));
        f.rail.duplicateNotifications(true);
        f.rail.completeStalled();
        f.engine.advanceTime(null, Duration.ofMinutes(30));

        EscrowView v = f.engine.get(e.id());
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(ledger(AccountType.RAIL_FLOAT, floatOwner(e))).isZero();
        assertThat(ledger(AccountType.PLATFORM_FLOAT, Journal.PLATFORM)).isZero();
        assertThat(costEntries(e))
                .containsExactly(
                        e.fundingTransfer().value() + "/cost/reserve-lent",
                        v.milestones().get(0).payoutTransfer().value() + "/cost/reserve-returned");
        // the escrow's own asset is untouched by the float
        long held = f.memory.inTransaction(
                tx -> tx.ledger().balance(Journal.account(AccountType.ESCROW_HELD, e.id().value(), EngineFixture.USD)));
        assertThat(held).isZero();
    }

    @Test
    void aNetworkFeeInAnotherAssetIsBorneByThePlatformRevenueInThatAsset() {
        RailId rail = RailId.of("stellar");
        Money fee = Money.of(200, Asset.XLM);
        JournalEntry entry =
                Journal.railCost(EngineFixture.START, "e-1", rail, "t-1", RailCost.Kind.NETWORK_FEE, List.of(fee, fee));

        assertThat(entry.entryId()).isEqualTo("t-1/cost/network-fee");
        assertThat(entry.postings())
                .containsExactly(
                        new Posting(Journal.account(AccountType.PLATFORM_REVENUE, Journal.PLATFORM, Asset.XLM), -200),
                        new Posting(Journal.account(AccountType.RAIL_FEES, "stellar", Asset.XLM), 200),
                        new Posting(Journal.account(AccountType.PLATFORM_REVENUE, Journal.PLATFORM, Asset.XLM), -200),
                        new Posting(Journal.account(AccountType.RAIL_FEES, "stellar", Asset.XLM), 200));
    }
}
