package dev.holdfast.core.engine;

import static dev.holdfast.core.engine.EngineFixture.ALICE;
import static dev.holdfast.core.engine.EngineFixture.BOB;
import static dev.holdfast.core.engine.EngineFixture.USD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Actor;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand.ReleaseMilestone;
import dev.holdfast.api.EscrowCommand.SubmitPartyResponse;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PendingInstruction;
import dev.holdfast.api.Role;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.core.sandbox.SandboxRail;
import org.junit.jupiter.api.Test;

/** Rails like Stellar need a party's signature on a payout the rail prepared; the engine carries it both ways. */
class PartySignatureTest {
    private final EngineFixture f = new EngineFixture();
    private final SandboxRail signing =
            SandboxRail.builder().clock(f.clock).partySignatures(true).build();
    private final EscrowEngine engine = Holdfast.builder()
            .store(new InMemoryStore())
            .rail(signing)
            .clock(f.clock)
            .config(EngineConfig.defaults().withNodeId("sig"))
            .build();

    private EscrowView fundedOnSigningRail() {
        EscrowView e = engine.submit(f.key(), f.create(5_000));
        signing.fund(e.fundingTransfer());
        return engine.get(e.id());
    }

    @Test
    void aReleaseWaitsForTheBuyersSignatureAndCompletesWithIt() {
        EscrowView e = fundedOnSigningRail();
        EscrowView v = engine.submit(f.key(), new ReleaseMilestone(Actor.platform(), e.id(), null));
        assertThat(v.milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASING);
        PendingInstruction pending = v.pendingInstructions().get(0);
        assertThat(pending.instruction()).isInstanceOf(PartyInstruction.SignTransaction.class);
        assertThat(pending.instruction().party()).isEqualTo(Role.BUYER);
        String signature = SandboxRail.sign((PartyInstruction.SignTransaction) pending.instruction());

        v = engine.submit(
                f.key(), new SubmitPartyResponse(Actor.buyer(ALICE), e.id(), pending.transferId(), signature));
        assertThat(v.status()).isEqualTo(EscrowStatus.RELEASED);
        assertThat(v.pendingInstructions()).isEmpty();
        assertThat(signing.paidOut(USD)).isEqualTo(5_000);
    }

    @Test
    void onlyThePartyTheInstructionIsForMayAnswerIt() {
        EscrowView e = fundedOnSigningRail();
        EscrowView v = engine.submit(f.key(), new ReleaseMilestone(Actor.platform(), e.id(), null));
        PendingInstruction pending = v.pendingInstructions().get(0);
        String signature = SandboxRail.sign((PartyInstruction.SignTransaction) pending.instruction());
        assertThatThrownBy(() -> engine.submit(
                        f.key(), new SubmitPartyResponse(Actor.seller(BOB), e.id(), pending.transferId(), signature)))
                .extracting(ex -> ((EscrowException) ex).code())
                .isEqualTo(ErrorCode.PARTY_NOT_ALLOWED);
        assertThat(signing.paidOut(USD)).isZero();
    }

    @Test
    void aWrongSignatureLeavesThePayoutWaiting() {
        EscrowView e = fundedOnSigningRail();
        EscrowView v = engine.submit(f.key(), new ReleaseMilestone(Actor.platform(), e.id(), null));
        PendingInstruction pending = v.pendingInstructions().get(0);
        v = engine.submit(
                f.key(), new SubmitPartyResponse(Actor.buyer(ALICE), e.id(), pending.transferId(), "not-a-signature"));
        assertThat(v.milestones().get(0).status()).isEqualTo(MilestoneStatus.RELEASING);
        assertThat(v.pendingInstructions()).hasSize(1);
        assertThat(signing.paidOut(USD)).isZero();
    }
}
