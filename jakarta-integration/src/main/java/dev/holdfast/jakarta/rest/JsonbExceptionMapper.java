package dev.holdfast.jakarta.rest;

import dev.holdfast.api.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers a body that is not JSON, or JSON of the wrong shape (a string where a number belongs, an unknown enum
 * value), with 400 {@link ErrorCode#INVALID_REQUEST}. The parser's own message is not echoed: it names Java types.
 * Thread-safe.
 */
@Provider
@Priority(Priorities.USER + 1000)
public class JsonbExceptionMapper implements ExceptionMapper<JsonbException> {
    /** The detail of every malformed body. */
    static final String DETAIL = "invalid request: the body is not JSON of the shape this operation takes";

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(JsonbException e) {
        return Problems.response(ErrorCode.INVALID_REQUEST, DETAIL, Problems.instance(uriInfo), null);
    }

    /**
     * @param t an exception
     * @return whether it, or one of its causes, is a JSON parsing or binding failure
     */
    static boolean isJsonFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JsonbException || c instanceof jakarta.json.JsonException) {
                return true;
            }
        }
        return false;
    }
}
