package dev.holdfast.jakarta.rest;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers a refused command with its code's status and a problem document. Internal failures (store, engine bugs)
 * keep their code but not their detail, which may name internals; the detail goes to the log. Thread-safe.
 */
@Provider
@Priority(Priorities.USER + 1000)
public class EscrowExceptionMapper implements ExceptionMapper<EscrowException> {
    private static final Logger LOG = Logger.getLogger(EscrowExceptionMapper.class.getName());

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(EscrowException e) {
        ErrorCode code = e.code();
        String detail = e.detail();
        if (code.area() == ErrorCode.Area.INTERNAL) {
            LOG.log(Level.WARNING, "Holdfast request failed: " + code.name(), e);
            detail = "the request could not be completed; it may be retried with the same Idempotency-Key";
        }
        return Problems.response(code, detail, Problems.instance(uriInfo), null);
    }
}
