package dev.holdfast.jakarta.rest;

import dev.holdfast.api.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Answers a request body or parameter that breaks its Bean Validation constraints with 400 {@link
 * ErrorCode#INVALID_REQUEST}, listing every broken constraint in {@code errors}. The engine is never called, so
 * nothing changes. Thread-safe.
 */
@Provider
@Priority(Priorities.USER + 1000)
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {
    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(ConstraintViolationException e) {
        List<Problem.Violation> errors = new ArrayList<>();
        if (e.getConstraintViolations() != null) {
            for (ConstraintViolation<?> v : e.getConstraintViolations()) {
                errors.add(new Problem.Violation(field(v.getPropertyPath()), v.getMessage()));
            }
        }
        errors.sort(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message));
        String detail = ErrorCode.INVALID_REQUEST.format(
                errors.stream().map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; ")));
        return Problems.response(ErrorCode.INVALID_REQUEST, detail, Problems.instance(uriInfo), errors);
    }

    /** The path within the request body, without the method and parameter nodes of the resource method. */
    static String field(Path path) {
        StringBuilder b = new StringBuilder();
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD
                    || kind == ElementKind.PARAMETER
                    || kind == ElementKind.CROSS_PARAMETER
                    || kind == ElementKind.RETURN_VALUE
                    || kind == ElementKind.CONSTRUCTOR) {
                continue;
            }
            if (node.getName() == null) {
                // a container element (list entry, map value): its index or key was put on the previous node
                continue;
            }
            if (b.length() > 0) {
                b.append('.');
            }
            b.append(node.getName());
            if (node.getIndex() != null) {
                b.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                b.append('[').append(node.getKey()).append(']');
            }
        }
        return b.length() == 0 ? "body" : b.toString();
    }
}
