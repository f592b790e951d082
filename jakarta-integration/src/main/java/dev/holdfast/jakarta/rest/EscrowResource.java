package dev.holdfast.jakarta.rest;

import dev.holdfast.api.Actor;
import dev.holdfast.api.BondTerms;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowPage;
import dev.holdfast.api.EscrowQuery;
import dev.holdfast.api.EscrowStatus;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import dev.holdfast.jakarta.security.Caller;
import dev.holdfast.jakarta.security.CallerResolver;
import dev.holdfast.jakarta.security.EscrowAccess.Scoped;
import dev.holdfast.jakarta.security.EscrowAccess.Verb;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Escrows: create, read, list, and the lifecycle verbs. Thin: each method checks the caller through {@link
 * dev.holdfast.jakarta.security.EscrowAccess}, builds one command from the request, and answers the escrow as the
 * engine returns it. Every POST takes an {@code Idempotency-Key}; a retry with the same key and body answers the same
 * as the first request. Thread-safe.
 */
@ApplicationScoped
@Path(HoldfastRest.PATH + "/escrows")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "escrows", description = "Escrows and their lifecycle")
@APIResponse(
        responseCode = "400",
        description = "invalid request (INVALID_REQUEST, INVALID_ID, IDEMPOTENCY_KEY_MISSING, ...)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "401",
        description = "not authenticated (UNAUTHENTICATED)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "404",
        description = "no such escrow, or the caller has no part in it (ESCROW_NOT_FOUND)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "500",
        description = "internal error (INTERNAL_ERROR); nothing internal is shown",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class EscrowResource {
    /** The page size when {@code limit} is not given. */
    public static final int DEFAULT_LIMIT = 50;

    private static final String CURSOR_PREFIX = "hf1:";

    private final Api api;

    /**
     * @param engine the engine
     * @param callers maps the host's principal to a caller
     * @param settings the REST settings
     */
    @Inject
    public EscrowResource(EscrowEngine engine, CallerResolver callers, RestSettings settings) {
        this.api = new Api(engine, callers, settings);
    }

    /**
     * For the CDI proxy, and public so that RESTEasy (Open Liberty) finds a constructor it can pick before it hands
     * the instance over to CDI.
     */
    public EscrowResource() {
        this.api = null;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createEscrow",
            summary = "Create an escrow",
            description = "A party creates escrows as their buyer; an operator for anyone. The answer carries the"
                    + " funding instructions in pendingInstructions.")
    @APIResponse(
            responseCode = "201",
            description = "created; Location names the escrow",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "the caller is not the buyer (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "IDEMPOTENCY_CONFLICT: the key was used for another request",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "422",
            description = "the rail cannot hold these terms (ASSET_NOT_SUPPORTED, TERMS_EXCEED_RAIL_HOLD, ...)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response create(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @NotNull @Valid Requests.CreateEscrow body) {
        Caller caller = api.caller(security);
        IdempotencyKey key = Api.key(idempotencyKey, caller, "POST /escrows");
        PartyId buyer = PartyId.of(body.buyer());
        EscrowCommand.CreateEscrow command = toCommand(api.access.creator(caller, buyer), buyer, body);
        EscrowView view = api.engine.submit(key, command);
        return Response.created(uri.getBaseUriBuilder()
                        .path(api.settings.basePath())
                        .path("escrows")
                        .path(view.id().value())
                        .build())
                .entity(Api.json(view, caller))
                .build();
    }

    private static EscrowCommand.CreateEscrow toCommand(Actor actor, PartyId buyer, Requests.CreateEscrow body) {
        Money amount = body.amount().toMoney();
        List<MilestoneSpec> milestones = new ArrayList<>();
        for (Requests.Milestone m : body.milestones()) {
            milestones.add(new MilestoneSpec(MilestoneId.of(m.id()), m.title(), m.amountMinor(), m.deliverBy()));
        }
        return new EscrowCommand.CreateEscrow(
                actor,
                buyer,
                PartyId.of(body.seller()),
                RailId.of(body.rail()),
                amount,
                milestones,
                body.fee() == null ? null : body.fee().toSchedule(),
                body.fundBy(),
                body.inspectionPeriod(),
                body.disputeWindow(),
                body.sellerPayout() == null ? null : body.sellerPayout().toDestination(),
                body.buyerRefund() == null ? null : body.buyerRefund().toDestination(),
                body.reference(),
                body.metadata());
    }

    @GET
    @Operation(
            operationId = "listEscrows",
            summary = "List escrows, oldest first",
            description = "A party sees the escrows they buy or sell in; an operator sees all, or one party's with"
                    + " party=. Pass nextCursor as cursor for the next page.")
    @APIResponse(
            responseCode = "200",
            description = "one page",
            content = @Content(schema = @Schema(implementation = Views.PageJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "a party asked for another party's escrows (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.PageJson list(
            @Context SecurityContext security,
            @Parameter(
                            description = "only escrows in these statuses; repeat or separate by commas",
                            schema = @Schema(type = SchemaType.ARRAY, implementation = EscrowStatus.class))
                    @QueryParam("status")
                    List<String> status,
            @Parameter(description = "operators only: one party's escrows") @QueryParam("party") String party,
            @Parameter(description = "the nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(
                            description = "page size, 1 to 200",
                            schema = @Schema(type = SchemaType.INTEGER, defaultValue = "50"))
                    @QueryParam("limit")
                    String limit) {
        Caller caller = api.caller(security);
        PartyId scope = api.access.listScope(caller, party == null || party.isEmpty() ? null : PartyId.of(party));
        int size = limit == null || limit.isEmpty()
                ? DEFAULT_LIMIT
                : Api.parseInt(limit, "limit", 1, EscrowQuery.MAX_LIMIT);
        EscrowQuery query = new EscrowQuery(scope, statuses(status), decodeCursor(cursor), size);
        EscrowPage page = api.engine.list(query);
        return new Views.PageJson(
                page.items().stream().map(v -> Api.json(v, caller)).toList(), encodeCursor(page.nextCursor()));
    }

    private static Set<EscrowStatus> statuses(List<String> values) {
        Set<EscrowStatus> out = EnumSet.noneOf(EscrowStatus.class);
        if (values == null) {
            return out;
        }
        for (String value : values) {
            for (String s : value.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                try {
                    out.add(EscrowStatus.valueOf(s.trim()));
                } catch (IllegalArgumentException e) {
                    throw new EscrowException(ErrorCode.INVALID_REQUEST, "unknown status " + s.trim());
                }
            }
        }
        return out;
    }

    /** The engine's cursor, wrapped so clients treat it as opaque and cannot build one. */
    static String encodeCursor(String engineCursor) {
        if (engineCursor == null) {
            return null;
        }
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_PREFIX + engineCursor).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (plain.startsWith(CURSOR_PREFIX)) {
                return plain.substring(CURSOR_PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new EscrowException(ErrorCode.INVALID_REQUEST, "cursor is not one this API returned");
    }

    @GET
    @Path("{escrowId}")
    @Operation(operationId = "getEscrow", summary = "Read an escrow")
    @APIResponse(
            responseCode = "200",
            description = "the escrow",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    public Views.EscrowJson get(@Context SecurityContext security, @PathParam("escrowId") String escrowId) {
        Caller caller = api.caller(security);
        Scoped scoped = api.access.escrow(caller, EscrowId.of(escrowId));
        scoped.actor(Verb.VIEW);
        return Api.json(scoped.escrow(), caller);
    }

    @GET
    @Path("{escrowId}/funding")
    @Operation(
            operationId = "getFundingInstructions",
            summary = "The instructions waiting for the caller",
            description = "The funding instruction for the buyer while the escrow awaits funding, bond fundings,"
                    + " and transactions to sign; a party sees their own, an operator all.")
    @APIResponse(
            responseCode = "200",
            description = "the instructions",
            content = @Content(schema = @Schema(implementation = Views.FundingJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "the arbiter has no instructions (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.FundingJson funding(@Context SecurityContext security, @PathParam("escrowId") String escrowId) {
        Caller caller = api.caller(security);
        Scoped scoped = api.access.escrow(caller, EscrowId.of(escrowId));
        Actor actor = scoped.actor(Verb.READ_INSTRUCTIONS);
        EscrowView v = scoped.escrow();
        List<Views.InstructionJson> instructions = v.pendingInstructions().stream()
                .map(p -> Views.InstructionJson.of(p, Views.owner(v, p)))
                .filter(i -> actor.role() == Role.PLATFORM || i.party() == actor.role())
                .toList();
        return new Views.FundingJson(
                v.id().value(),
                v.status(),
                Views.text(v.fundingTransfer()),
                Views.MoneyJson.of(v.fundingAmount()),
                v.fundBy(),
                instructions);
    }

    @GET
    @Path("{escrowId}/history")
    @Operation(operationId = "getEscrowHistory", summary = "Every event of an escrow, in order")
    @APIResponse(
            responseCode = "200",
            description = "the events",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = EventJson.class)))
    public List<EventJson> history(@Context SecurityContext security, @PathParam("escrowId") String escrowId) {
        Caller caller = api.caller(security);
        Scoped scoped = api.access.escrow(caller, EscrowId.of(escrowId));
        scoped.actor(Verb.VIEW);
        List<EscrowEvent> events = api.engine.history(scoped.escrow().id());
        List<EventJson> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            out.add(EventJson.of(i + 1, events.get(i)));
        }
        return out;
    }

    @POST
    @Path("{escrowId}/delivered")
    @Operation(
            operationId = "markDelivered",
            summary = "The seller marks a milestone (or every funded milestone) delivered")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "not the seller (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "INVALID_STATE, IDEMPOTENCY_CONFLICT",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.EscrowJson markDelivered(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @Parameter(description = "the milestone; all when absent") @QueryParam("milestone") String milestone) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                "delivered",
                Verb.MARK_DELIVERED,
                (actor, v) -> new EscrowCommand.MarkDelivered(actor, v.id(), Api.milestoneOrNull(milestone)));
    }

    @POST
    @Path("{escrowId}/accept")
    @Operation(
            operationId = "acceptDelivery",
            summary = "The buyer accepts a delivered milestone (or every delivered one); it is released")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "not the buyer (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "INVALID_STATE, IDEMPOTENCY_CONFLICT",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.EscrowJson accept(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @Parameter(description = "the milestone; all delivered when absent") @QueryParam("milestone")
                    String milestone) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                "accept",
                Verb.ACCEPT_DELIVERY,
                (actor, v) -> new EscrowCommand.AcceptDelivery(actor, v.id(), Api.milestoneOrNull(milestone)));
    }

    @POST
    @Path("{escrowId}/release")
    @Operation(
            operationId = "releaseMilestone",
            summary = "The buyer releases a funded milestone (or every releasable one) to the seller")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "not the buyer (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "INVALID_STATE, IDEMPOTENCY_CONFLICT",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.EscrowJson release(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @Parameter(description = "the milestone; all releasable when absent") @QueryParam("milestone")
                    String milestone) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                "release",
                Verb.RELEASE,
                (actor, v) -> new EscrowCommand.ReleaseMilestone(actor, v.id(), Api.milestoneOrNull(milestone)));
    }

    @POST
    @Path("{escrowId}/refund")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "refund", summary = "The seller refunds a milestone, wholly or in part, to the buyer")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "not the seller (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "INVALID_STATE, IDEMPOTENCY_CONFLICT",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.EscrowJson refund(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @NotNull @Valid Requests.Refund body) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                "refund",
                Verb.REFUND,
                (actor, v) -> new EscrowCommand.RefundMilestone(
                        actor,
                        v.id(),
                        Api.milestoneOrNull(body.milestone()),
                        body.amountMinor() == null
                                ? null
                                : Money.of(body.amountMinor(), v.amount().asset()),
                        body.reason()));
    }

    @POST
    @Path("{escrowId}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "cancelEscrow", summary = "Cancel an escrow that is not funded yet")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "the arbiter may not cancel (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "INVALID_STATE (already funded), IDEMPOTENCY_CONFLICT",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.EscrowJson cancel(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @NotNull @Valid Requests.Cancel body) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                "cancel",
                Verb.CANCEL,
                (actor, v) -> new EscrowCommand.CancelEscrow(actor, v.id(), body.reason()));
    }

    @POST
    @Path("{escrowId}/party-responses")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "submitPartyResponse",
            summary = "Hand the rail what the caller produced for an instruction, e.g. a signed transaction")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "only the buyer or the seller respond (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "INVALID_STATE, IDEMPOTENCY_CONFLICT",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.EscrowJson submitPartyResponse(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @NotNull @Valid Requests.PartyResponse body) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                "party-responses",
                Verb.SUBMIT_PARTY_RESPONSE,
                (actor, v) -> new EscrowCommand.SubmitPartyResponse(
                        actor, v.id(), TransferId.of(body.transferId()), body.payload()));
    }

    @POST
    @Path("{escrowId}/bonds")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "requireBond",
            summary = "Operators: require a fidelity bond from the buyer or the seller",
            description = "The bond shows in the escrow's bonds, its funding instruction in pendingInstructions.")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    @APIResponse(
            responseCode = "403",
            description = "not an operator (PARTY_NOT_ALLOWED)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "409",
            description = "BOND_ALREADY_REQUIRED, INVALID_STATE, IDEMPOTENCY_CONFLICT",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.EscrowJson requireBond(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @NotNull @Valid Requests.RequireBond body) {
        return command(security, idempotencyKey, escrowId, "bonds", Verb.REQUIRE_BOND, (actor, v) -> {
            Role party = body.party() == Requests.Party.BUYER ? Role.BUYER : Role.SELLER;
            BondTerms.BondForfeit forfeit = new BondTerms.BondForfeit(
                    body.forfeitToPlatformBasisPoints() == null ? 0 : body.forfeitToPlatformBasisPoints());
            BondTerms terms = body.fixedMinor() != null
                    ? BondTerms.fixed(
                            party, Money.of(body.fixedMinor(), v.amount().asset()), forfeit)
                    : BondTerms.basisPoints(party, body.basisPoints(), forfeit);
            return new EscrowCommand.RequireBond(actor, v.id(), terms);
        });
    }

    /** Builds a command for an escrow the caller may use the verb on. */
    interface CommandFactory {
        EscrowCommand build(Actor actor, EscrowView escrow);
    }

    private Views.EscrowJson command(
            SecurityContext security,
            String idempotencyKey,
            String escrowId,
            String verb,
            Verb access,
            CommandFactory f) {
        Caller caller = api.caller(security);
        IdempotencyKey key = Api.key(idempotencyKey, caller, "POST /escrows/{id}/" + verb);
        Scoped scoped = api.access.escrow(caller, EscrowId.of(escrowId));
        Actor actor = scoped.actor(access);
        EscrowView after = api.engine.submit(key, f.build(actor, scoped.escrow()));
        return Api.json(after, caller);
    }
}
