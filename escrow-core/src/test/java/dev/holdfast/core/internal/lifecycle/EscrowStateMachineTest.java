package dev.holdfast.core.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.Role;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine.EscrowAction;
import dev.holdfast.core.internal.lifecycle.EscrowStateMachine.MilestoneAction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EscrowStateMachineTest {

    /**
     * Keeps docs/state-machine.md equal to the table. When they differ the test rewrites the file and fails, so the
     * change shows up in the diff and is committed with the table.
     */
    @Test
    void diagramInDocsMatchesTheTransitionTable() throws IOException {
        Path doc = docs().resolve("state-machine.md");
        String expected = EscrowStateMachine.mermaid();
        String actual = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
        if (!expected.equals(actual)) {
            Files.writeString(doc, expected, StandardCharsets.UTF_8);
        }
        assertThat(actual)
                .as("docs/state-machine.md was regenerated; commit it")
                .isEqualTo(expected);
    }

    @Test
    void everyRowOfTheTablesAppearsInTheDiagram() {
        String diagram = EscrowStateMachine.mermaid();
        EscrowStateMachine.escrowTable()
                .forEach(t -> assertThat(diagram).contains(t.from() + " --> " + t.to() + " : " + t.action()));
        EscrowStateMachine.milestoneTable()
                .forEach(t -> assertThat(diagram).contains(t.from() + " --> " + t.to() + " : " + t.action()));
    }

    @Test
    void everyNonTerminalMilestoneStatusHasAWayOut() {
        Set<MilestoneStatus> withExit = EscrowStateMachine.milestoneTable().stream()
                .map(EscrowStateMachine.Transition::from)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(MilestoneStatus.class)));
        for (MilestoneStatus s : MilestoneStatus.values()) {
            if (!s.isTerminal()) {
                assertThat(withExit).as(s.name()).contains(s);
            }
        }
    }

    @Test
    void terminalStatusesHaveNoWayOut() {
        EscrowStateMachine.milestoneTable()
                .forEach(t -> assertThat(t.from().isTerminal()).as(t.toString()).isFalse());
        EscrowStateMachine.escrowTable()
                .forEach(t -> assertThat(t.from().isTerminal()).as(t.toString()).isFalse());
    }

    @Test
    void onlyTheBuyerOrPlatformAcceptsDelivery() {
        assertThat(EscrowStateMachine.canApply(MilestoneStatus.DELIVERED, MilestoneAction.ACCEPT, Role.BUYER))
                .isTrue();
        assertThat(EscrowStateMachine.canApply(MilestoneStatus.DELIVERED, MilestoneAction.ACCEPT, Role.SELLER))
                .isFalse();
        assertThatThrownBy(() -> EscrowStateMachine.milestone(
                        "m", MilestoneStatus.DELIVERED, MilestoneAction.ACCEPT, Role.SELLER))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.PARTY_NOT_ALLOWED);
    }

    @Test
    void aMissingRowIsAnInvalidStateError() {
        assertThatThrownBy(() -> EscrowStateMachine.milestone(
                        "m", MilestoneStatus.AWAITING_FUNDING, MilestoneAction.DELIVER, Role.SELLER))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INVALID_STATE);
        assertThatThrownBy(() -> EscrowStateMachine.escrow("e", EscrowStatus.FUNDED, EscrowAction.CANCEL, Role.BUYER))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INVALID_STATE);
    }

    @Test
    void timersActAsTheSystemOnly() {
        assertThat(EscrowStateMachine.canApply(MilestoneStatus.DELIVERED, MilestoneAction.AUTO_RELEASE, Role.BUYER))
                .isFalse();
        assertThat(EscrowStateMachine.canApply(MilestoneStatus.DELIVERED, MilestoneAction.AUTO_RELEASE, Role.SYSTEM))
                .isTrue();
    }

    static Path docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs")) && !Files.exists(dir.resolve(".git"))) {
            dir = dir.getParent();
        }
        Path docs = dir.resolve("docs");
        try {
            Files.createDirectories(docs);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return docs;
    }
}
