package dev.holdfast.jakarta.security;

import dev.holdfast.api.Actor;
import dev.holdfast.api.DisputeId;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.Role;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The one place that decides who may do what through the REST API. Every resource asks it; nothing else checks
 * roles.
 *
 * <p><b>The rules.</b> Authentication is the host's ({@link CallerResolver}); an unauthenticated request is refused
 * with {@link ErrorCode#UNAUTHENTICATED} (401). The caller's role in an escrow comes from the escrow itself: its
 * buyer, its seller, the arbiter assigned to one of its disputes (first round or appeal), and any operator. Someone
 * with none of these roles is told the escrow does not exist ({@link ErrorCode#ESCROW_NOT_FOUND}, 404), exactly as
 * for an id that was never used, so ids cannot be probed. Someone with a role who uses a verb that is not theirs is
 * refused with {@link ErrorCode#PARTY_NOT_ALLOWED} (403). An operator acts as {@link Actor#platform()} for every verb
 * the platform may use; the verbs only parties or the arbiter may use (evidence, offers, decisions, appeals, a
 * party's signature) are refused to an operator who is not that party.
 *
 * <p>The engine checks the actor against the escrow once more (e.g. that the arbiter deciding is the one assigned to
 * the current round); this class only picks the actor the caller may claim. Immutable and thread-safe.
 */
public final class EscrowAccess {

    /** What a caller wants to do with an escrow, and who may. */
    public enum Verb {
        /** Read the escrow, its history and its disputes. */
        VIEW("view", true, Role.BUYER, Role.SELLER, Role.ARBITER),
        /** Read the instructions waiting for a party (funding, signatures). */
        READ_INSTRUCTIONS("read the instructions of", true, Role.BUYER, Role.SELLER),
        /** Mark a milestone delivered. */
        MARK_DELIVERED("mark delivered", true, Role.SELLER),
        /** Accept a delivered milestone. */
        ACCEPT_DELIVERY("accept delivery on", true, Role.BUYER),
        /** Release a milestone. */
        RELEASE("release", true, Role.BUYER),
        /** Refund a milestone, wholly or in part. */
        REFUND("refund", true, Role.SELLER),
        /** Cancel before funding. */
        CANCEL("cancel", true, Role.BUYER, Role.SELLER),
        /** Hand the rail what a party produced for an instruction. */
        SUBMIT_PARTY_RESPONSE("respond to an instruction of", false, Role.BUYER, Role.SELLER),
        /** Require a fidelity bond: the marketplace's rule. */
        REQUIRE_BOND("require a bond on", true),
        /** Open a dispute. */
        OPEN_DISPUTE("open a dispute on", true, Role.BUYER, Role.SELLER),
        /** Upload and submit evidence. */
        SUBMIT_EVIDENCE("submit evidence on", false, Role.BUYER, Role.SELLER),
        /** Download evidence bytes. */
        READ_EVIDENCE("read evidence of", true, Role.BUYER, Role.SELLER, Role.ARBITER),
        /** Post in a dispute's thread. */
        POST_MESSAGE("post a message on", true, Role.BUYER, Role.SELLER, Role.ARBITER),
        /** Offer a settlement. */
        OFFER_SETTLEMENT("offer a settlement on", false, Role.BUYER, Role.SELLER),
        /** Accept the other party's offer. */
        ACCEPT_SETTLEMENT("accept a settlement on", false, Role.BUYER, Role.SELLER),
        /** Ask for an arbiter now. */
        ESCALATE("escalate a dispute on", true, Role.BUYER, Role.SELLER),
        /** Decide a dispute. */
        DECIDE("decide a dispute on", false, Role.ARBITER),
        /** Appeal a decision. */
        APPEAL("appeal a decision on", false, Role.BUYER, Role.SELLER);

        private final String description;
        private final boolean platform;
        private final Set<Role> roles;

        Verb(String description, boolean platform, Role... roles) {
            this.description = description;
            this.platform = platform;
            EnumSet<Role> set = EnumSet.noneOf(Role.class);
            Collections.addAll(set, roles);
            this.roles = Collections.unmodifiableSet(set);
        }

        /** @return the escrow roles that may use this verb */
        public Set<Role> roles() {
            return roles;
        }

        /** @return whether an operator may use it, as the platform */
        public boolean platform() {
            return platform;
        }

        /** @return the verb as the refusal's message says it */
        public String description() {
            return description;
        }
    }

    private final EscrowEngine engine;
    private final CallerResolver callers;

    /**
     * @param engine where escrows are read
     * @param callers maps the host's principal to a caller
     */
    public EscrowAccess(EscrowEngine engine, CallerResolver callers) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.callers = Objects.requireNonNull(callers, "callers");
    }

    /**
     * @param security the request's security context
     * @return the authenticated caller
     * @throws EscrowException {@link ErrorCode#UNAUTHENTICATED}
     */
    public Caller caller(SecurityContext security) {
        return callers.resolve(security).orElseThrow(() -> new EscrowException(ErrorCode.UNAUTHENTICATED));
    }

    /**
     * Loads an escrow for a caller.
     *
     * @param caller who asks
     * @param id the escrow
     * @return the escrow with the caller's roles in it
     * @throws EscrowException {@link ErrorCode#ESCROW_NOT_FOUND} when it does not exist or the caller has no role in
     *     it
     */
    public Scoped escrow(Caller caller, EscrowId id) {
        EscrowView view = engine.find(id).orElseThrow(() -> new EscrowException(ErrorCode.ESCROW_NOT_FOUND, id));
        Set<Role> roles = roles(caller, view);
        if (roles.isEmpty()) {
            // the same code and detail as for an unknown id: no existence leak
            throw new EscrowException(ErrorCode.ESCROW_NOT_FOUND, id);
        }
        return new Scoped(caller, view, roles);
    }

    /**
     * @param caller who asks
     * @param view an escrow
     * @return the caller's roles in it: buyer, seller, arbiter (of any of its disputes), platform (an operator); empty
     *     when the caller has nothing to do with it
     */
    public static Set<Role> roles(Caller caller, EscrowView view) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        PartyId party = caller.party();
        if (party != null) {
            if (party.equals(view.buyer())) {
                roles.add(Role.BUYER);
            }
            if (party.equals(view.seller())) {
                roles.add(Role.SELLER);
            }
            if (view.disputes().stream().anyMatch(d -> assigned(party, d))) {
                roles.add(Role.ARBITER);
            }
        }
        if (caller.operator()) {
            roles.add(Role.PLATFORM);
        }
        return Collections.unmodifiableSet(roles);
    }

    /**
     * Who may create an escrow: its buyer, or an operator for anyone.
     *
     * @param caller who asks
     * @param buyer the escrow's buyer
     * @return the actor of the creation
     * @throws EscrowException {@link ErrorCode#PARTY_NOT_ALLOWED}
     */
    public Actor creator(Caller caller, PartyId buyer) {
        if (caller.party() != null && caller.party().equals(buyer)) {
            return Actor.buyer(buyer);
        }
        if (caller.operator()) {
            return Actor.platform();
        }
        throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, describe(caller), "create", "an escrow for " + buyer);
    }

    /**
     * Who may read a party's balances and withdraw from them: the party, or an operator.
     *
     * @param caller who asks
     * @param party whose balance
     * @return the actor of a withdrawal
     * @throws EscrowException {@link ErrorCode#PARTY_NOT_ALLOWED}
     */
    public Actor balanceOwner(Caller caller, PartyId party) {
        if (party.equals(caller.party())) {
            // The engine only checks that a withdrawing party is the balance's owner; Role has no "party" value, so a
            // party acting on its own balance is recorded with the seller role, where balances come from.
            return new Actor(Role.SELLER, party);
        }
        if (caller.operator()) {
            return Actor.platform();
        }
        throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, describe(caller), "use", "the balance of " + party);
    }

    /**
     * Operators only: the audit log, listing other parties' escrows.
     *
     * @param caller who asks
     * @param what what they want, for the refusal
     * @throws EscrowException {@link ErrorCode#PARTY_NOT_ALLOWED}
     */
    public void requireOperator(Caller caller, String what) {
        if (!caller.operator()) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, describe(caller), "read", what);
        }
    }

    /**
     * Whose escrows a listing covers.
     *
     * @param caller who asks
     * @param requested the {@code party} filter, or {@code null}
     * @return the party to list for, or {@code null} for every escrow (operators only)
     * @throws EscrowException {@link ErrorCode#PARTY_NOT_ALLOWED} when a party asks for someone else's escrows
     */
    public PartyId listScope(Caller caller, PartyId requested) {
        if (caller.operator()) {
            return requested;
        }
        if (requested != null && !requested.equals(caller.party())) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, describe(caller), "list", "escrows of " + requested);
        }
        return caller.party();
    }

    private static boolean assigned(PartyId party, DisputeView d) {
        return party.equals(d.arbiter()) || party.equals(d.appealArbiter());
    }

    private static String describe(Caller caller) {
        return caller.party() != null ? "party " + caller.party() : "operator";
    }

    /**
     * An escrow as one caller may see it.
     *
     * @param caller who asks
     * @param escrow the escrow
     * @param roles the caller's roles in it, never empty
     */
    public record Scoped(Caller caller, EscrowView escrow, Set<Role> roles) {

        /**
         * @param verb what the caller wants to do with the escrow as a whole
         * @return the actor to issue the command as
         * @throws EscrowException {@link ErrorCode#PARTY_NOT_ALLOWED}
         */
        public Actor actor(Verb verb) {
            return pick(verb, null);
        }

        /**
         * @param verb what the caller wants to do with a dispute
         * @param dispute the dispute; only its assigned arbiters act as arbiter on it
         * @return the actor to issue the command as
         * @throws EscrowException {@link ErrorCode#DISPUTE_NOT_FOUND} or {@link ErrorCode#PARTY_NOT_ALLOWED}
         */
        public Actor actor(Verb verb, DisputeId dispute) {
            DisputeView d = dispute(dispute);
            return pick(verb, d);
        }

        /**
         * @param id a dispute of this escrow
         * @return it
         * @throws EscrowException {@link ErrorCode#DISPUTE_NOT_FOUND}
         */
        public DisputeView dispute(DisputeId id) {
            return escrow.dispute(id)
                    .orElseThrow(() -> new EscrowException(ErrorCode.DISPUTE_NOT_FOUND, escrow.id(), id));
        }

        private Actor pick(Verb verb, DisputeView dispute) {
            PartyId party = caller.party();
            if (roles.contains(Role.BUYER) && verb.roles().contains(Role.BUYER)) {
                return Actor.buyer(party);
            }
            if (roles.contains(Role.SELLER) && verb.roles().contains(Role.SELLER)) {
                return Actor.seller(party);
            }
            if (roles.contains(Role.ARBITER)
                    && verb.roles().contains(Role.ARBITER)
                    && (dispute == null || assigned(party, dispute))) {
                return Actor.arbiter(party);
            }
            if (roles.contains(Role.PLATFORM) && verb.platform()) {
                return Actor.platform();
            }
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, describe(caller), verb.description(), escrow.id());
        }
    }
}
