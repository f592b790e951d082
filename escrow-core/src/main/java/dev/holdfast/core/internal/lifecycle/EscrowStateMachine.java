package dev.holdfast.core.internal.lifecycle;

import static dev.holdfast.api.Role.BUYER;
import static dev.holdfast.api.Role.PLATFORM;
import static dev.holdfast.api.Role.SELLER;
import static dev.holdfast.api.Role.SYSTEM;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.MilestoneStatus;
import dev.holdfast.api.Role;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one declarative transition table of Holdfast: escrow status × action → next status, and milestone status ×
 * action → next status, each with the roles allowed to trigger it. Everything that changes a status goes through
 * {@link #escrow} or {@link #milestone}; {@link #mermaid()} renders the same table into {@code
 * docs/state-machine.md}. Immutable and thread-safe.
 */
public final class EscrowStateMachine {

    /** What can happen to an escrow as a whole. */
    public enum EscrowAction {
        CREATE,
        FUND,
        CANCEL,
        EXPIRE,
        FUNDING_FAIL,
        CLOSE_RELEASED,
        CLOSE_REFUNDED,
        CLOSE_SETTLED
    }

    /** What can happen to one milestone. */
    public enum MilestoneAction {
        FUND,
        DELIVER,
        ACCEPT,
        RELEASE,
        AUTO_RELEASE,
        REFUND,
        REFUND_PART,
        DELIVERY_MISSED,
        HOLD_GUARD_RELEASE,
        HOLD_GUARD_REFUND,
        REFUND_RETRY,
        PAYOUT_SUCCEEDED,
        PAYOUT_FAILED,
        CANCEL,
        /** A dispute opens on the milestone: its timers stop. */
        DISPUTE,
        /** A resolved dispute pays the seller (the whole outcome, or the rest after a split's refund). */
        DISPUTE_RELEASE,
        /** A resolved dispute refunds the buyer everything held. */
        DISPUTE_REFUND,
        /** A resolved dispute's split refunds the buyer's part first. */
        DISPUTE_SPLIT;

        /** @return the verb used in error messages */
        public String verb() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One row of the table.
     *
     * @param from status before
     * @param action what happens
     * @param to status after
     * @param roles who may make it happen
     * @param <S> status type
     * @param <A> action type
     */
    public record Transition<S extends Enum<S>, A extends Enum<A>>(S from, A action, S to, Set<Role> roles) {}

    static final List<Transition<EscrowStatus, EscrowAction>> ESCROW_TABLE = List.of(
            t(EscrowStatus.CREATED, EscrowAction.CREATE, EscrowStatus.AWAITING_FUNDING, BUYER, PLATFORM),
            t(EscrowStatus.AWAITING_FUNDING, EscrowAction.FUND, EscrowStatus.FUNDED, SYSTEM),
            t(EscrowStatus.AWAITING_FUNDING, EscrowAction.CANCEL, EscrowStatus.CANCELLED, BUYER, SELLER, PLATFORM),
            t(EscrowStatus.AWAITING_FUNDING, EscrowAction.EXPIRE, EscrowStatus.EXPIRED, SYSTEM),
            t(EscrowStatus.AWAITING_FUNDING, EscrowAction.FUNDING_FAIL, EscrowStatus.FUNDING_FAILED, SYSTEM),
            t(EscrowStatus.FUNDED, EscrowAction.CLOSE_RELEASED, EscrowStatus.RELEASED, SYSTEM),
            t(EscrowStatus.FUNDED, EscrowAction.CLOSE_REFUNDED, EscrowStatus.REFUNDED, SYSTEM),
            t(EscrowStatus.FUNDED, EscrowAction.CLOSE_SETTLED, EscrowStatus.SETTLED, SYSTEM));

    static final List<Transition<MilestoneStatus, MilestoneAction>> MILESTONE_TABLE = List.of(
            t(MilestoneStatus.AWAITING_FUNDING, MilestoneAction.FUND, MilestoneStatus.FUNDED, SYSTEM),
            t(MilestoneStatus.AWAITING_FUNDING, MilestoneAction.CANCEL, MilestoneStatus.CANCELLED, SYSTEM),
            t(MilestoneStatus.FUNDED, MilestoneAction.DELIVER, MilestoneStatus.DELIVERED, SELLER, PLATFORM),
            t(MilestoneStatus.DELIVERED, MilestoneAction.ACCEPT, MilestoneStatus.RELEASING, BUYER, PLATFORM),
            t(MilestoneStatus.FUNDED, MilestoneAction.RELEASE, MilestoneStatus.RELEASING, BUYER, PLATFORM),
            t(MilestoneStatus.DELIVERED, MilestoneAction.RELEASE, MilestoneStatus.RELEASING, BUYER, PLATFORM),
            t(MilestoneStatus.RELEASE_FAILED, MilestoneAction.RELEASE, MilestoneStatus.RELEASING, BUYER, PLATFORM),
            t(MilestoneStatus.DELIVERED, MilestoneAction.AUTO_RELEASE, MilestoneStatus.RELEASING, SYSTEM),
            t(MilestoneStatus.FUNDED, MilestoneAction.REFUND, MilestoneStatus.REFUNDING, SELLER, PLATFORM),
            t(MilestoneStatus.DELIVERED, MilestoneAction.REFUND, MilestoneStatus.REFUNDING, SELLER, PLATFORM),
            t(MilestoneStatus.REFUND_FAILED, MilestoneAction.REFUND, MilestoneStatus.REFUNDING, SELLER, PLATFORM),
            t(MilestoneStatus.RELEASE_FAILED, MilestoneAction.REFUND, MilestoneStatus.REFUNDING, PLATFORM),
            t(MilestoneStatus.FUNDED, MilestoneAction.REFUND_PART, MilestoneStatus.FUNDED, SELLER, PLATFORM),
            t(MilestoneStatus.DELIVERED, MilestoneAction.REFUND_PART, MilestoneStatus.DELIVERED, SELLER, PLATFORM),
            t(MilestoneStatus.FUNDED, MilestoneAction.DELIVERY_MISSED, MilestoneStatus.REFUNDING, SYSTEM),
            t(MilestoneStatus.DELIVERED, MilestoneAction.HOLD_GUARD_RELEASE, MilestoneStatus.RELEASING, SYSTEM),
            t(MilestoneStatus.FUNDED, MilestoneAction.HOLD_GUARD_REFUND, MilestoneStatus.REFUNDING, SYSTEM),
            t(MilestoneStatus.RELEASE_FAILED, MilestoneAction.HOLD_GUARD_REFUND, MilestoneStatus.REFUNDING, SYSTEM),
            t(MilestoneStatus.REFUND_FAILED, MilestoneAction.HOLD_GUARD_REFUND, MilestoneStatus.REFUNDING, SYSTEM),
            t(MilestoneStatus.REFUND_FAILED, MilestoneAction.REFUND_RETRY, MilestoneStatus.REFUNDING, SYSTEM),
            t(MilestoneStatus.RELEASING, MilestoneAction.PAYOUT_SUCCEEDED, MilestoneStatus.RELEASED, SYSTEM),
            t(MilestoneStatus.REFUNDING, MilestoneAction.PAYOUT_SUCCEEDED, MilestoneStatus.REFUNDED, SYSTEM),
            t(MilestoneStatus.RELEASING, MilestoneAction.PAYOUT_FAILED, MilestoneStatus.RELEASE_FAILED, SYSTEM),
            t(MilestoneStatus.REFUNDING, MilestoneAction.PAYOUT_FAILED, MilestoneStatus.REFUND_FAILED, SYSTEM),
            t(MilestoneStatus.FUNDED, MilestoneAction.DISPUTE, MilestoneStatus.DISPUTED, BUYER, SELLER, PLATFORM),
            t(MilestoneStatus.DELIVERED, MilestoneAction.DISPUTE, MilestoneStatus.DISPUTED, BUYER, SELLER, PLATFORM),
            t(MilestoneStatus.DISPUTED, MilestoneAction.DISPUTE_RELEASE, MilestoneStatus.RELEASING, SYSTEM),
            t(MilestoneStatus.DISPUTED, MilestoneAction.DISPUTE_REFUND, MilestoneStatus.REFUNDING, SYSTEM),
            t(MilestoneStatus.DISPUTED, MilestoneAction.DISPUTE_SPLIT, MilestoneStatus.SETTLING, SYSTEM),
            t(MilestoneStatus.SETTLING, MilestoneAction.DISPUTE_SPLIT, MilestoneStatus.SETTLING, SYSTEM),
            t(MilestoneStatus.SETTLING, MilestoneAction.DISPUTE_RELEASE, MilestoneStatus.RELEASING, SYSTEM),
            t(MilestoneStatus.SETTLING, MilestoneAction.DISPUTE_REFUND, MilestoneStatus.REFUNDING, SYSTEM));

    private static final Map<EscrowStatus, Map<EscrowAction, Transition<EscrowStatus, EscrowAction>>> ESCROW =
            index(ESCROW_TABLE);
    private static final Map<MilestoneStatus, Map<MilestoneAction, Transition<MilestoneStatus, MilestoneAction>>>
            MILESTONE = index(MILESTONE_TABLE);

    private EscrowStateMachine() {}

    /**
     * @param from current status
     * @param action what happens
     * @return the transition, if the table has one
     */
    public static Optional<Transition<EscrowStatus, EscrowAction>> findEscrow(EscrowStatus from, EscrowAction action) {
        return Optional.ofNullable(ESCROW.getOrDefault(from, Map.of()).get(action));
    }

    /**
     * @param from current status
     * @param action what happens
     * @return the transition, if the table has one
     */
    public static Optional<Transition<MilestoneStatus, MilestoneAction>> findMilestone(
            MilestoneStatus from, MilestoneAction action) {
        return Optional.ofNullable(MILESTONE.getOrDefault(from, Map.of()).get(action));
    }

    /**
     * The dry run: would the action be allowed?
     *
     * @param from current status
     * @param action what happens
     * @param role who asks
     * @return true when the table has the row and the role may trigger it
     */
    public static boolean canApply(MilestoneStatus from, MilestoneAction action, Role role) {
        return findMilestone(from, action).map(t -> allows(t.roles(), role)).orElse(false);
    }

    /**
     * @param from current status
     * @param action what happens
     * @param role who asks
     * @return true when the table has the row and the role may trigger it
     */
    public static boolean canApply(EscrowStatus from, EscrowAction action, Role role) {
        return findEscrow(from, action).map(t -> allows(t.roles(), role)).orElse(false);
    }

    /**
     * @param subject what the message names ("escrow e-1")
     * @param from current status
     * @param action what happens
     * @param role who asks
     * @return the next status
     * @throws EscrowException INVALID_STATE or PARTY_NOT_ALLOWED
     */
    public static EscrowStatus escrow(String subject, EscrowStatus from, EscrowAction action, Role role) {
        Transition<EscrowStatus, EscrowAction> t = findEscrow(from, action)
                .orElseThrow(() -> new EscrowException(
                        ErrorCode.INVALID_STATE, action.name().toLowerCase(Locale.ROOT), subject, from));
        requireRole(t.roles(), role, action.name().toLowerCase(Locale.ROOT), subject);
        return t.to();
    }

    /**
     * @param subject what the message names ("milestone m1 of escrow e-1")
     * @param from current status
     * @param action what happens
     * @param role who asks
     * @return the next status
     * @throws EscrowException INVALID_STATE or PARTY_NOT_ALLOWED
     */
    public static MilestoneStatus milestone(String subject, MilestoneStatus from, MilestoneAction action, Role role) {
        Transition<MilestoneStatus, MilestoneAction> t = findMilestone(from, action)
                .orElseThrow(() -> new EscrowException(ErrorCode.INVALID_STATE, action.verb(), subject, from));
        requireRole(t.roles(), role, action.verb(), subject);
        return t.to();
    }

    /** @return the escrow table's rows */
    public static List<Transition<EscrowStatus, EscrowAction>> escrowTable() {
        return ESCROW_TABLE;
    }

    /** @return the milestone table's rows */
    public static List<Transition<MilestoneStatus, MilestoneAction>> milestoneTable() {
        return MILESTONE_TABLE;
    }

    /** @return both tables as Mermaid state diagrams, in a Markdown document */
    public static String mermaid() {
        StringBuilder out = new StringBuilder();
        out.append("# Escrow state machine\n\n")
                .append("Generated from `EscrowStateMachine` by `EscrowStateMachineTest`; do not edit by hand.\n")
                .append("Each arrow is one row of the transition table: `action [roles]`.\n\n")
                .append("## Escrow\n\n```mermaid\nstateDiagram-v2\n")
                .append("    [*] --> CREATED\n");
        for (Transition<EscrowStatus, EscrowAction> t : ESCROW_TABLE) {
            arrow(out, t.from().name(), t.to().name(), t.action().name(), t.roles());
        }
        for (EscrowStatus s : EscrowStatus.values()) {
            if (s.isTerminal()) {
                out.append("    ").append(s.name()).append(" --> [*]\n");
            }
        }
        out.append("```\n\n## Milestone\n\n```mermaid\nstateDiagram-v2\n").append("    [*] --> AWAITING_FUNDING\n");
        for (Transition<MilestoneStatus, MilestoneAction> t : MILESTONE_TABLE) {
            arrow(out, t.from().name(), t.to().name(), t.action().name(), t.roles());
        }
        for (MilestoneStatus s : MilestoneStatus.values()) {
            if (s.isTerminal()) {
                out.append("    ").append(s.name()).append(" --> [*]\n");
            }
        }
        out.append("```\n");
        return out.toString();
    }

    private static void arrow(StringBuilder out, String from, String to, String action, Set<Role> roles) {
        out.append("    ")
                .append(from)
                .append(" --> ")
                .append(to)
                .append(" : ")
                .append(action)
                .append(" [")
                .append(String.join(
                        ",",
                        roles.stream()
                                .sorted()
                                .map(r -> r.name().toLowerCase(Locale.ROOT))
                                .toList()))
                .append("]\n");
    }

    private static boolean allows(Set<Role> roles, Role role) {
        return roles.contains(role);
    }

    private static void requireRole(Set<Role> roles, Role role, String verb, String subject) {
        if (!allows(roles, role)) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, role.name().toLowerCase(Locale.ROOT), verb, subject);
        }
    }

    @SafeVarargs
    private static <S extends Enum<S>, A extends Enum<A>> Transition<S, A> t(S from, A action, S to, Role... roles) {
        Set<Role> set = EnumSet.noneOf(Role.class);
        set.addAll(List.of(roles));
        return new Transition<>(from, action, to, java.util.Collections.unmodifiableSet(set));
    }

    private static <S extends Enum<S>, A extends Enum<A>> Map<S, Map<A, Transition<S, A>>> index(
            List<Transition<S, A>> table) {
        Map<S, Map<A, Transition<S, A>>> out = new HashMap<>();
        for (Transition<S, A> t : table) {
            Transition<S, A> previous =
                    out.computeIfAbsent(t.from(), k -> new HashMap<>()).put(t.action(), t);
            if (previous != null) {
                throw new IllegalStateException("two rows for " + t.from() + " × " + t.action());
            }
        }
        return out;
    }
}
