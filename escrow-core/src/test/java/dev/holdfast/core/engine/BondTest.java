package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Actor;
import dev.holdfast.api.BondStatus;
import dev.holdfast.api.BondTerms;
import dev.holdfast.api.BondTerms.BondForfeit;
import dev.holdfast.api.BondView;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand.AcceptDelivery;
import dev.holdfast.api.EscrowCommand.CancelEscrow;
import dev.holdfast.api.EscrowCommand.DisputeCommand.DecideDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.EscalateDispute;
import dev.holdfast.api.EscrowCommand.DisputeCommand.OpenDispute;
import dev.holdfast.api.EscrowCommand.MarkDelivered;
import dev.holdfast.api.EscrowCommand.RequireBond;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.Role;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.internal.ledger.Journal;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.spi.AccountType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BondTest {
    static final PartyId CAROL = PartyId.of("carol");

    private final EngineFixture f = new EngineFixture()
            .withDisputes(DisputePolicy.defaults()
                    .withArbiters(List.of(CAROL))
                    .withResponsePeriod(Duration.ofDays(1))
                    .withAppeals(false, Duration.ofHours(12)));

    private EscrowView require(EscrowView e, BondTerms terms) {
        return f.submit(new RequireBond(Actor.platform(), e.id(), terms));
    }

    private EscrowView bondedAndPosted(Role party, BondForfeit forfeit) {
        EscrowView e = f.funded(f.create(10_000));
        EscrowView v = require(e, BondTerms.fixed(party, usd(500), forfeit));
        f.rail.fund(v.bond(party).orElseThrow().fundingTransfer());
        return f.engine.get(e.id());
    }

    private long ledger(AccountType type, String owner) {
        return f.memory.inTransaction(tx -> tx.ledger().balance(Journal.account(type, owner, EngineFixture.USD)));
    }

    /** The seller delivers, the buyer disputes, the arbiter decides a refund: a decision against the seller. */
    private EscrowView arbiterRefunds(EscrowView e) {
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        EscrowView v = f.submit(new OpenDispute(Actor.buyer(ALICE), e.id(), null, "broken"));
        DisputeView d = v.disputes().get(0);
        d = f.submit(new EscalateDispute(Actor.buyer(ALICE), e.id(), d.id()))
                .dispute(d.id())
                .orElseThrow();
        return f.submit(
                new DecideDispute(Actor.arbiter(d.arbiter()), e.id(), d.id(), DisputeOutcome.refund(), "broken"));
    }

    @Test
    void aBondIsItsOwnFundingWithAnInstructionAndIsPostedWhenThePartyPays() {
        EscrowView e = f.funded(f.create(10_000));
        EscrowView v = require(e, BondTerms.basisPoints(Role.SELLER, 500, BondForfeit.toCounterparty()));
        BondView b = v.bond(Role.SELLER).orElseThrow();
        assertThat(b.amount()).isEqualTo(usd(500));
        assertThat(b.status()).isEqualTo(BondStatus.REQUESTED);
        assertThat(b.fundingTransfer().value()).isEqualTo(e.id().value() + ":bond:seller");
        assertThat(v.pendingInstructions()).anyMatch(p -> p.transferId().equals(b.fundingTransfer()));

        f.rail.fund(b.fundingTransfer());
        EscrowView posted = f.engine.get(e.id());
        assertThat(posted.bond(Role.SELLER).orElseThrow().status()).isEqualTo(BondStatus.POSTED);
        assertThat(posted.pendingInstructions()).isEmpty();
        assertThat(ledger(AccountType.BOND_HELD, e.id().value() + ":seller")).isEqualTo(500);
        assertThat(f.engine.history(e.id())).anyMatch(ev -> ev instanceof EscrowEvent.BondEvent.BondPosted);
    }

    @Test
    void aBondIsReturnedWhenTheEscrowIsReleasedNormally() {
        EscrowView e = bondedAndPosted(Role.SELLER, BondForfeit.toCounterparty());
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), null));
        EscrowView v = f.submit(new AcceptDelivery(Actor.buyer(ALICE), e.id(), null));
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        BondView b = v.bond(Role.SELLER).orElseThrow();
        assertThat(b.status()).isEqualTo(BondStatus.RETURNED);
        assertThat(f.rail.held(b.fundingTransfer())).isZero();
        assertThat(ledger(AccountType.BOND_HELD, e.id().value() + ":seller")).isZero();
        assertThat(ledger(AccountType.PARTY_PAID_OUT, BOB.value())).isEqualTo(10_000 + 500);
    }

    @Test
    void anUnpostedBondIsWithdrawnWhenTheEscrowIsCancelled() {
        EscrowView e = f.submit(f.create(10_000));
        require(e, BondTerms.fixed(Role.BUYER, usd(300), null));
        EscrowView v = f.submit(new CancelEscrow(Actor.buyer(ALICE), e.id(), "changed my mind"));
        assertThat(v.bond(Role.BUYER).orElseThrow().status()).isEqualTo(BondStatus.CANCELLED);
        assertThat(f.rail.fund(v.bond(Role.BUYER).orElseThrow().fundingTransfer()))
                .isFalse();
    }

    @Test
    void anArbitersRefundForfeitsTheSellersBondToTheBuyer() {
        EscrowView e = bondedAndPosted(Role.SELLER, BondForfeit.toCounterparty());
        EscrowView v = arbiterRefunds(e);
        assertThat(v.status()).isEqualTo(EscrowStatus.REFUNDED);
        BondView b = v.bond(Role.SELLER).orElseThrow();
        assertThat(b.status()).isEqualTo(BondStatus.FORFEITED);
        assertThat(b.reason()).contains("decided against the seller");
        // the buyer's refund goes to the funding source; the bond to the buyer's internal balance
        assertThat(ledger(AccountType.PARTY_AVAILABLE, ALICE.value())).isEqualTo(500);
        assertThat(ledger(AccountType.BOND_HELD, e.id().value() + ":seller")).isZero();
        assertThat(f.rail.platformBalance(EngineFixture.USD)).isEqualTo(500);
    }

    @Test
    void aForfeitToThePlatformIsPlatformRevenue() {
        EscrowView e = bondedAndPosted(Role.SELLER, BondForfeit.toPlatform());
        arbiterRefunds(e);
        assertThat(ledger(AccountType.PLATFORM_REVENUE, Journal.PLATFORM)).isEqualTo(500);
        assertThat(ledger(AccountType.PARTY_AVAILABLE, ALICE.value())).isZero();
    }

    @Test
    void aSplitForfeitGivesThePlatformItsShareRoundedDownAndTheCounterpartyTheRest() {
        EscrowView e = f.funded(f.create(10_000));
        EscrowView v = require(e, BondTerms.fixed(Role.SELLER, usd(333), BondForfeit.split(2_500)));
        f.rail.fund(v.bond(Role.SELLER).orElseThrow().fundingTransfer());
        arbiterRefunds(e);
        assertThat(ledger(AccountType.PLATFORM_REVENUE, Journal.PLATFORM)).isEqualTo(83);
        assertThat(ledger(AccountType.PARTY_AVAILABLE, ALICE.value())).isEqualTo(250);
        EscrowEvent.BondEvent.BondForfeited forfeited = f.engine.history(e.id()).stream()
                .filter(ev -> ev instanceof EscrowEvent.BondEvent.BondForfeited)
                .map(ev -> (EscrowEvent.BondEvent.BondForfeited) ev)
                .findFirst()
                .orElseThrow();
        assertThat(forfeited.toCounterparty()).isEqualTo(usd(250));
        assertThat(forfeited.toPlatform()).isEqualTo(usd(83));
    }

    @Test
    void aBondIsNotForfeitedWhenTheRailFailedOnTheEscrowBeforeTheDecision() {
        EscrowView e = f.funded(f.createMilestones(4_000, 6_000));
        EscrowView v = require(e, BondTerms.fixed(Role.SELLER, usd(500), BondForfeit.toCounterparty()));
        f.rail.fund(v.bond(Role.SELLER).orElseThrow().fundingTransfer());
        // the release of the first milestone is lost in a rail outage, then found by the reconciler
        f.rail.unknownNext();
        f.submit(new MarkDelivered(Actor.seller(BOB), e.id(), dev.holdfast.api.MilestoneId.of("m1")));
        f.submit(new AcceptDelivery(Actor.buyer(ALICE), e.id(), dev.holdfast.api.MilestoneId.of("m1")));
        f.engine.advanceTime(null, Duration.ofMinutes(5));
        EscrowView after = f.submit(
                new OpenDispute(Actor.buyer(ALICE), e.id(), dev.holdfast.api.MilestoneId.of("m2"), "never came"));
        DisputeView d = after.disputes().get(0);
        d = f.submit(new EscalateDispute(Actor.buyer(ALICE), e.id(), d.id()))
                .dispute(d.id())
                .orElseThrow();
        EscrowView done = f.submit(
                new DecideDispute(Actor.arbiter(d.arbiter()), e.id(), d.id(), DisputeOutcome.refund(), "late"));
        assertThat(done.status()).isEqualTo(EscrowStatus.SETTLED);
        BondView b = done.bond(Role.SELLER).orElseThrow();
        assertThat(b.status()).isEqualTo(BondStatus.RETURNED);
        assertThat(b.reason()).startsWith("forfeit skipped").contains("failed or was unknown");
        assertThat(f.engine.history(e.id())).anyMatch(ev -> ev instanceof EscrowEvent.BondEvent.RailTroubleRecorded);
        assertThat(ledger(AccountType.PARTY_AVAILABLE, ALICE.value())).isZero();
        assertThat(ledger(AccountType.BOND_HELD, e.id().value() + ":seller")).isZero();
    }

    @Test
    void badBondsAreRefusedWithTheirOwnCodeAndChangeNothing() {
        EscrowView e = f.funded(f.create(10_000));
        long version = f.engine.get(e.id()).version();
        assertRefused(e, Actor.platform(), BondTerms.fixed(Role.SELLER, usd(0), null), ErrorCode.INVALID_BOND);
        assertRefused(e, Actor.platform(), BondTerms.fixed(Role.SELLER, usd(-5), null), ErrorCode.INVALID_BOND);
        assertRefused(e, Actor.platform(), BondTerms.basisPoints(Role.SELLER, 0, null), ErrorCode.INVALID_BOND);
        assertRefused(e, Actor.platform(), BondTerms.fixed(Role.ARBITER, usd(5), null), ErrorCode.INVALID_BOND);
        assertRefused(
                e,
                Actor.platform(),
                BondTerms.fixed(Role.SELLER, usd(5), BondForfeit.split(10_001)),
                ErrorCode.INVALID_BOND);
        assertRefused(e, Actor.buyer(ALICE), BondTerms.fixed(Role.SELLER, usd(5), null), ErrorCode.PARTY_NOT_ALLOWED);
        assertThat(f.engine.get(e.id()).version()).isEqualTo(version);
        assertThat(f.engine.get(e.id()).bonds()).isEmpty();

        require(e, BondTerms.fixed(Role.SELLER, usd(5), null));
        assertRefused(e, Actor.platform(), BondTerms.fixed(Role.SELLER, usd(7), null), ErrorCode.BOND_ALREADY_REQUIRED);
    }

    @Test
    void aRailWhosePayoutsNeedThePartiesSignaturesCannotHoldABond() {
        SandboxRail signing =
                SandboxRail.builder().clock(f.clock).partySignatures(true).build();
        var engine = dev.holdfast.core.Holdfast.builder()
                .store(new dev.holdfast.core.memory.InMemoryStore())
                .rail(signing)
                .clock(f.clock)
                .build();
        EscrowView e = engine.submit(dev.holdfast.api.IdempotencyKey.of("c"), f.create(10_000));
        assertThatThrownBy(() -> engine.submit(
                        dev.holdfast.api.IdempotencyKey.of("b"),
                        new RequireBond(Actor.platform(), e.id(), BondTerms.fixed(Role.SELLER, usd(5), null))))
                .isInstanceOfSatisfying(
                        EscrowException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.BOND_NOT_SUPPORTED));
        assertThat(engine.get(e.id()).bonds()).isEmpty();
    }

    private void assertRefused(EscrowView e, Actor actor, BondTerms terms, ErrorCode code) {
        assertThatThrownBy(() -> f.submit(new RequireBond(actor, e.id(), terms)))
                .isInstanceOfSatisfying(
                        EscrowException.class, x -> assertThat(x.code()).isEqualTo(code));
    }
}
