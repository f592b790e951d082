package dev.holdfast.it.host;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.jakarta.cdi.HoldfastRails;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * TEST HOST ONLY, never in a real host: steers the sandbox rail (the buyer "pays" with {@link SandboxRail#fund}) and
 * drives the engine bean with the authenticated user as the acting party, so the Liberty tests can run a whole
 * lifecycle over HTTP. The plugin's own REST API (package rest) replaces the escrow commands here once it lands.
 */
@RequestScoped
@Path("test/escrows")
@Produces(MediaType.APPLICATION_JSON)
public class TestOnlyEscrowResource {
    private static final RailId SANDBOX = RailId.of("sandbox");
    private static final MilestoneId M1 = MilestoneId.of("m1");

    @Inject
    EscrowEngine engine;

    @Inject
    HoldfastRails rails;

    @Inject
    Clock clock;

    @Context
    SecurityContext security;

    private PartyId caller() {
        return PartyId.of(security.getUserPrincipal().getName());
    }

    @POST
    public Response create(
            @HeaderParam("Idempotency-Key") String key,
            @QueryParam("seller") String seller,
            @QueryParam("amount") long amountCents) {
        try {
            PartyId buyer = caller();
            EscrowView v = engine.submit(
                    IdempotencyKey.of(key),
                    new EscrowCommand.CreateEscrow(
                            Actor.buyer(buyer),
                            buyer,
                            PartyId.of(seller),
                            SANDBOX,
                            Money.of(amountCents, Asset.USD),
                            List.of(new MilestoneSpec(
                                    M1, "work", amountCents, clock.instant().plus(Duration.ofDays(5)))),
                            FeeSchedule.none(),
                            clock.instant().plus(Duration.ofDays(1)),
                            Duration.ofDays(3),
                            Duration.ofDays(3),
                            PayoutDestination.railAddress("sandbox:" + seller),
                            null,
                            "it",
                            Map.of()));
            return Response.status(201).entity(json(v)).build();
        } catch (EscrowException | IllegalArgumentException e) {
            return problem(e);
        }
    }

    @POST
    @Path("{id}/fund")
    public Response fund(@PathParam("id") String id) {
        SandboxRail sandbox = rails.unwrap(SANDBOX, SandboxRail.class).orElseThrow();
        EscrowView v = engine.get(EscrowId.of(id));
        boolean paid = sandbox.fund(v.fundingTransfer());
        return Response.ok(Json.createObjectBuilder().add("paid", paid).build().toString())
                .build();
    }

    @POST
    @Path("{id}/deliver")
    public Response deliver(@HeaderParam("Idempotency-Key") String key, @PathParam("id") String id) {
        return command(key, new EscrowCommand.MarkDelivered(Actor.seller(caller()), EscrowId.of(id), M1));
    }

    @POST
    @Path("{id}/accept")
    public Response accept(@HeaderParam("Idempotency-Key") String key, @PathParam("id") String id) {
        return command(key, new EscrowCommand.AcceptDelivery(Actor.buyer(caller()), EscrowId.of(id), M1));
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        try {
            return Response.ok(json(engine.get(EscrowId.of(id)))).build();
        } catch (EscrowException e) {
            return problem(e);
        }
    }

    @GET
    @Path("paid-to/{address}")
    public Response paidTo(@PathParam("address") String address) {
        SandboxRail sandbox = rails.unwrap(SANDBOX, SandboxRail.class).orElseThrow();
        return Response.ok(Json.createObjectBuilder()
                        .add("minor", sandbox.paidTo(address, Asset.USD))
                        .build()
                        .toString())
                .build();
    }

    private Response command(String key, EscrowCommand c) {
        try {
            return Response.ok(json(engine.submit(IdempotencyKey.of(key), c))).build();
        } catch (EscrowException e) {
            return problem(e);
        }
    }

    private static String json(EscrowView v) {
        return Json.createObjectBuilder()
                .add("id", v.id().value())
                .add("status", v.status().name())
                .add("held", v.held().minor())
                .add("milestone", v.milestones().get(0).status().name())
                .build()
                .toString();
    }

    private static Response problem(RuntimeException e) {
        int status = e instanceof EscrowException ee ? ee.code().httpStatus() : 400;
        return Response.status(status)
                .type("application/problem+json")
                .entity(Json.createObjectBuilder()
                        .add("title", "Request refused")
                        .add("status", status)
                        .add("detail", String.valueOf(e.getMessage()))
                        .add("code", e instanceof EscrowException ee ? ee.code().name() : "INVALID_REQUEST")
                        .build()
                        .toString())
                .build();
    }
}
