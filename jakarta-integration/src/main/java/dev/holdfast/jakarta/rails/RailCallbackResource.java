package dev.holdfast.jakarta.rails;

import dev.holdfast.api.RailId;
import dev.holdfast.jakarta.cdi.HoldfastRails;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailCallback;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailResult;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;

/**
 * Where rails' callbacks come back: {@code GET holdfast/v1/rails/{rail}/callback[/{path}]}, e.g. the browser redirect
 * after a buyer approved (or refused) an Open Payments grant at their wallet provider. The resource knows no rail
 * protocol: it hands the path and query to {@link PaymentRail#onCallback} and answers the outcome as JSON. Anybody
 * can call it (a browser redirect carries no credentials), so the host must leave these paths unauthenticated; the
 * rail verifies the callback (the interaction hash) and ignores one it cannot verify.
 *
 * <p>Answers 200 with {@code {rail, status, reference?, error?}} when the rail handled it (the funding may still be
 * pending or have failed, e.g. consent refused), 400 problem+json when the rail could not verify or use it, 404
 * problem+json for a rail that is not enabled or takes no callbacks.
 */
@RequestScoped
@Path("holdfast/v1/rails/{rail}/callback")
public class RailCallbackResource {
    static final MediaType PROBLEM = new MediaType("application", "problem+json");

    @Inject
    HoldfastRails rails;

    @Context
    UriInfo uri;

    /**
     * @param rail the rail id
     * @return the outcome
     */
    @GET
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    public Response callback(@PathParam("rail") String rail) {
        return handle(rail, "");
    }

    /**
     * @param rail the rail id
     * @param path the rest of the path (e.g. the transfer id the rail put in its redirect URL)
     * @return the outcome
     */
    @GET
    @Path("{path: .+}")
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    public Response callbackWithPath(@PathParam("rail") String rail, @PathParam("path") String path) {
        return handle(rail, path);
    }

    private Response handle(String railName, String path) {
        Optional<PaymentRail> rail;
        try {
            rail = rails.find(RailId.of(railName));
        } catch (RuntimeException e) {
            rail = Optional.empty();
        }
        if (rail.isEmpty()) {
            return problem(404, "RAIL_NOT_FOUND", "Rail not found", "no rail '" + railName + "' is enabled");
        }
        RailResult r = rail.get().onCallback(new RailCallback(path, uri.getQueryParameters(true)));
        RailError error = r.error();
        if (error != null && RailError.CALLBACK_UNSUPPORTED.equals(error.code())) {
            return problem(404, error.code(), "Rail takes no callbacks", error.message());
        }
        if (error != null
                && (RailError.INVALID_CALLBACK.equals(error.code())
                        || RailError.NOT_FOUND.equals(error.code())
                        || error.code().endsWith("_MISMATCH"))) {
            return problem(400, error.code(), "Callback not accepted", error.message());
        }
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("rail", railName)
                .add("status", r.status().name());
        if (r.railReference() != null) {
            body.add("reference", r.railReference());
        }
        if (error != null) {
            body.add(
                    "error",
                    Json.createObjectBuilder().add("code", error.code()).add("message", error.message()));
        }
        return Response.ok(body.build().toString(), MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    static Response problem(int status, String code, String title, String detail) {
        return Response.status(status)
                .type(PROBLEM)
                .entity(Json.createObjectBuilder()
                        .add(
                                "type",
                                "https://holdfast.dev/problems/"
                                        + code.toLowerCase(java.util.Locale.ROOT)
                                                .replace('_', '-'))
                        .add("title", title)
                        .add("status", status)
                        .add("detail", detail)
                        .add("code", code)
                        .build()
                        .toString())
                .build();
    }
}
