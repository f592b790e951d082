package dev.holdfast.jakarta.webhooks;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.jakarta.security.Caller;
import dev.holdfast.jakarta.security.CallerResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
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
import java.util.List;

/**
 * Operator API of outbound webhooks under {@code holdfast/v1/webhooks}:
 *
 * <ul>
 *   <li>{@code POST /} registers an endpoint ({@link WebhookRegistration}); 201 with the secret, shown only here
 *   <li>{@code GET /}, {@code GET /{id}} list and read endpoints (never with a secret)
 *   <li>{@code POST /{id}/disable}, {@code POST /{id}/enable}, {@code DELETE /{id}}
 *   <li>{@code POST /{id}/rotate-secret} with an optional {@code {"secret": ...}}; the old secret signs too for the
 *       grace period; answers the new secret once
 *   <li>{@code GET /{id}/deliveries?after=&limit=} the delivery log, {@code GET /{id}/deliveries/{deliveryId}}
 *   <li>{@code POST /{id}/deliveries/{deliveryId}/redeliver} re-arms a delivery for an attempt now
 * </ul>
 *
 * Every call needs the operator role; refusals are {@link EscrowException}s for the host's problem+json mappers.
 */
@ApplicationScoped
@Path("holdfast/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {
    private WebhookService service;
    private CallerResolver callers;

    /** For the CDI proxy. */
    protected WebhookResource() {}

    /**
     * @param service the webhook service
     * @param callers maps the security context to a caller
     */
    @Inject
    public WebhookResource(WebhookService service, CallerResolver callers) {
        this.service = service;
        this.callers = callers;
    }

    /** The body of a rotation: the new secret, or {@code null} to generate one. */
    public record SecretRotation(String secret) {
        @Override
        public String toString() {
            return "SecretRotation[secret=***]";
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Context SecurityContext security, @Context UriInfo uri, WebhookRegistration body) {
        operator(security);
        CreatedWebhook created = service.register(body);
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(created.endpoint().id())
                        .build())
                .entity(created)
                .build();
    }

    @GET
    public List<WebhookEndpoint> list(@Context SecurityContext security) {
        operator(security);
        return service.list();
    }

    @GET
    @Path("{id}")
    public WebhookEndpoint get(@Context SecurityContext security, @PathParam("id") String id) {
        operator(security);
        return service.get(id);
    }

    @POST
    @Path("{id}/disable")
    public WebhookEndpoint disable(@Context SecurityContext security, @PathParam("id") String id) {
        operator(security);
        return service.setEnabled(id, false);
    }

    @POST
    @Path("{id}/enable")
    public WebhookEndpoint enable(@Context SecurityContext security, @PathParam("id") String id) {
        operator(security);
        return service.setEnabled(id, true);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        operator(security);
        service.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/rotate-secret")
    @Consumes(MediaType.APPLICATION_JSON)
    public CreatedWebhook rotate(@Context SecurityContext security, @PathParam("id") String id, SecretRotation body) {
        operator(security);
        return service.rotateSecret(id, body == null ? null : body.secret());
    }

    @GET
    @Path("{id}/deliveries")
    public List<DeliveryView> deliveries(
            @Context SecurityContext security,
            @PathParam("id") String id,
            @QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        operator(security);
        if (after < 0 || limit < 1 || limit > 500) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "after must be >= 0 and limit 1 to 500");
        }
        return service.deliveries(id, after, limit);
    }

    @GET
    @Path("{id}/deliveries/{deliveryId}")
    public DeliveryView delivery(
            @Context SecurityContext security, @PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        operator(security);
        return service.delivery(id, deliveryId);
    }

    @POST
    @Path("{id}/deliveries/{deliveryId}/redeliver")
    public DeliveryView redeliver(
            @Context SecurityContext security, @PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        operator(security);
        return service.redeliver(id, deliveryId);
    }

    private void operator(SecurityContext security) {
        Caller caller = callers.resolve(security).orElseThrow(() -> new NotAuthorizedException("Bearer"));
        if (!caller.operator()) {
            throw new EscrowException(ErrorCode.OPERATOR_REQUIRED, "managing webhooks");
        }
    }
}
