package dev.holdfast.jakarta.rest;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.RailId;
import dev.holdfast.api.TransferId;
import dev.holdfast.api.Withdraw;
import dev.holdfast.api.WithdrawalView;
import dev.holdfast.jakarta.security.Caller;
import dev.holdfast.jakarta.security.CallerResolver;
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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A party's money: balances per asset and withdrawals from the internal balance. A party reads and withdraws only
 * their own; an operator any party's (a withdrawal by an operator is issued as the platform). Thread-safe.
 */
@ApplicationScoped
@Path(HoldfastRest.PATH + "/parties/{party}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "parties", description = "Party balances and withdrawals")
@APIResponse(
        responseCode = "400",
        description = "invalid request (INVALID_REQUEST, INVALID_ID, INVALID_ASSET, IDEMPOTENCY_KEY_MISSING, ...)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "401",
        description = "not authenticated (UNAUTHENTICATED)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "403",
        description = "another party's money (PARTY_NOT_ALLOWED)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "500",
        description = "internal error (INTERNAL_ERROR); nothing internal is shown",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class PartyResource {
    /** The scales of well-known assets, so {@code ?asset=USD} needs no {@code scale}. */
    static final Map<String, Asset> KNOWN =
            Map.of("USD", Asset.USD, "EUR", Asset.EUR, "BTC", Asset.BTC_MSAT, "XLM", Asset.XLM);

    private final Api api;

    /**
     * @param engine the engine
     * @param callers maps the host's principal to a caller
     * @param settings the REST settings
     */
    @Inject
    public PartyResource(EscrowEngine engine, CallerResolver callers, RestSettings settings) {
        this.api = new Api(engine, callers, settings);
    }

    /**
     * For the CDI proxy, and public so that RESTEasy (Open Liberty) finds a constructor it can pick before it hands
     * the instance over to CDI.
     */
    public PartyResource() {
        this.api = null;
    }

    @GET
    @Path("balances")
    @Operation(
            operationId = "getBalance",
            summary = "A party's money in one asset: reserved as buyer, pending as seller, available, paid out")
    @APIResponse(
            responseCode = "200",
            description = "the balance",
            content = @Content(schema = @Schema(implementation = Views.BalanceJson.class)))
    public Views.BalanceJson balance(
            @Context SecurityContext security,
            @PathParam("party") String party,
            @Parameter(description = "asset code, e.g. USD", required = true) @QueryParam("asset") String asset,
            @Parameter(
                            description =
                                    "the asset's scale; may be left out for USD, EUR (2), BTC (11, msat), XLM (7)",
                            schema = @Schema(type = SchemaType.INTEGER))
                    @QueryParam("scale")
                    String scale) {
        Caller caller = api.caller(security);
        PartyId id = PartyId.of(party);
        api.access.balanceOwner(caller, id);
        return Views.BalanceJson.of(api.engine.balance(id, asset(asset, scale)));
    }

    static Asset asset(String code, String scale) {
        if (code == null || code.isBlank()) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "asset is required");
        }
        if (scale == null || scale.isBlank()) {
            Asset known = KNOWN.get(code);
            if (known == null) {
                throw new EscrowException(ErrorCode.INVALID_REQUEST, "scale is required for asset " + safe(code));
            }
            return known;
        }
        return new Asset(code, Api.parseInt(scale, "scale", 0, 18));
    }

    private static String safe(String s) {
        return s.matches("[A-Za-z0-9]{1,12}") ? s : "that asset";
    }

    @POST
    @Path("withdrawals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "withdraw",
            summary = "Pay part of the party's available balance out to the party's rail address")
    @APIResponse(
            responseCode = "201",
            description = "requested; Location names the withdrawal",
            content = @Content(schema = @Schema(implementation = Views.WithdrawalJson.class)))
    @APIResponse(
            responseCode = "409",
            description = "INSUFFICIENT_BALANCE, IDEMPOTENCY_CONFLICT",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response withdraw(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("party") String party,
            @NotNull @Valid Requests.Withdrawal body) {
        Caller caller = api.caller(security);
        IdempotencyKey key = Api.key(idempotencyKey, caller, "POST /parties/{party}/withdrawals");
        PartyId id = PartyId.of(party);
        Actor actor = api.access.balanceOwner(caller, id);
        WithdrawalView w = api.engine.withdraw(
                key, new Withdraw(actor, id, body.amount().toMoney(), RailId.of(body.rail()), body.destination()));
        return Response.created(uri.getBaseUriBuilder()
                        .path(api.settings.basePath())
                        .path("parties")
                        .path(id.value())
                        .path("withdrawals")
                        .path(w.transferId().value())
                        .build())
                .entity(Views.WithdrawalJson.of(w))
                .build();
    }

    @GET
    @Path("withdrawals/{transferId}")
    @Operation(operationId = "getWithdrawal", summary = "A withdrawal of the party, by its transfer id")
    @APIResponse(
            responseCode = "200",
            description = "the withdrawal",
            content = @Content(schema = @Schema(implementation = Views.WithdrawalJson.class)))
    @APIResponse(
            responseCode = "404",
            description = "the party has no such withdrawal (WITHDRAWAL_NOT_FOUND)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.WithdrawalJson withdrawal(
            @Context SecurityContext security,
            @PathParam("party") String party,
            @PathParam("transferId") String transferId) {
        Caller caller = api.caller(security);
        PartyId id = PartyId.of(party);
        api.access.balanceOwner(caller, id);
        TransferId transfer = TransferId.of(transferId);
        return api.engine
                .findWithdrawal(transfer)
                .filter(w -> w.party().equals(id))
                .map(Views.WithdrawalJson::of)
                .orElseThrow(() -> new EscrowException(ErrorCode.WITHDRAWAL_NOT_FOUND, id, transfer));
    }
}
