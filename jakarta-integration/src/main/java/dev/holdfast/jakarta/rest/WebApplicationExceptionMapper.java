package dev.holdfast.jakarta.rest;

import dev.holdfast.api.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * Answers the container's own refusals under the API's path (no such resource, method not allowed, nothing
 * acceptable, unsupported content type, a body the container could not read) with problem documents. Outside the
 * API's path the exception's own response is returned unchanged, so the host's other resources behave as without
 * the plugin. Thread-safe.
 */
@Provider
@Priority(Priorities.USER + 1000)
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Context
    UriInfo uriInfo;

    @Context
    Request request;

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        if (!HoldfastRest.isApiPath(uriInfo)) {
            return original;
        }
        String instance = Problems.instance(uriInfo);
        String path = instance == null ? "this path" : instance;
        ErrorCode code;
        String detail;
        if (e instanceof NotFoundException) {
            code = ErrorCode.RESOURCE_NOT_FOUND;
            detail = code.format(path);
        } else if (e instanceof NotAllowedException) {
            code = ErrorCode.METHOD_NOT_ALLOWED;
            detail = code.format(method(), path);
        } else if (e instanceof NotAcceptableException) {
            code = ErrorCode.NOT_ACCEPTABLE;
            detail = code.format(headers == null ? "" : String.valueOf(headers.getAcceptableMediaTypes()));
        } else if (e instanceof NotSupportedException) {
            code = ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            detail = code.format(headers == null ? "none" : String.valueOf(headers.getMediaType()));
        } else if (JsonbExceptionMapper.isJsonFailure(e) || original.getStatus() == 400) {
            code = ErrorCode.INVALID_REQUEST;
            detail = JsonbExceptionMapper.DETAIL;
        } else if (original.getStatus() == 413) {
            code = ErrorCode.PAYLOAD_TOO_LARGE;
            detail = "the request body is too large";
        } else if (original.getStatus() == 401) {
            code = ErrorCode.UNAUTHENTICATED;
            detail = code.format();
        } else if (original.getStatus() == 403) {
            code = ErrorCode.PARTY_NOT_ALLOWED;
            detail = "the request is not allowed";
        } else if (original.getStatus() >= 500) {
            code = ErrorCode.INTERNAL_ERROR;
            detail = "the request could not be completed";
        } else {
            code = ErrorCode.INVALID_REQUEST;
            detail = code.format("HTTP " + original.getStatus());
        }
        Response.ResponseBuilder b = Response.fromResponse(Problems.response(code, detail, instance, null));
        List<Object> allow = original.getHeaders().get(HttpHeaders.ALLOW);
        if (allow != null) {
            b.header(
                    HttpHeaders.ALLOW,
                    String.join(", ", allow.stream().map(String::valueOf).toList()));
        }
        return b.build();
    }

    private String method() {
        return request == null ? "this method" : request.getMethod();
    }
}
