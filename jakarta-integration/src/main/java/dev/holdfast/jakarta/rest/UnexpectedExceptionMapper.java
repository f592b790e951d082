package dev.holdfast.jakarta.rest;

import dev.holdfast.api.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last resort: anything else is a 500 {@link ErrorCode#INTERNAL_ERROR} whose detail names only an incident id;
 * the exception goes to the log under that id, so nothing internal reaches the client. A body the JSON provider
 * could not read arrives here wrapped in a provider exception and is answered 400 instead. Outside the API's path a
 * bare 500 is returned, as the container would. A host's own {@code ExceptionMapper<Throwable>} wins over this one
 * (lower {@code @Priority} value). Thread-safe.
 */
@Provider
@Priority(Priorities.USER + 1000)
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable e) {
        if (JsonbExceptionMapper.isJsonFailure(e)) {
            return Problems.response(
                    ErrorCode.INVALID_REQUEST, JsonbExceptionMapper.DETAIL, Problems.instance(uriInfo), null);
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Holdfast request failed, incident " + incident, e);
        if (!HoldfastRest.isApiPath(uriInfo)) {
            return Response.serverError().build();
        }
        return Problems.response(
                ErrorCode.INTERNAL_ERROR,
                ErrorCode.INTERNAL_ERROR.format("incident " + incident),
                Problems.instance(uriInfo),
                null);
    }
}
