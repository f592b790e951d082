package dev.holdfast.jakarta.rest;

import dev.holdfast.api.ErrorCode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Locale;

/**
 * Builds {@link Problem} responses. The document is written by hand rather than through the host's JSON-B provider so
 * that every error looks the same whichever JSON provider (or none) the container picks for {@code
 * application/problem+json}, and so that an error while writing JSON can never hide the original error. Thread-safe.
 */
public final class Problems {
    /** The media type of every error. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** The media type of every error, as a {@link MediaType}. */
    public static final MediaType PROBLEM_JSON_TYPE = MediaType.valueOf(PROBLEM_JSON);
    /** Every problem type is this prefix plus the code, lower case, with hyphens. */
    public static final String TYPE_PREFIX = "urn:holdfast:problem:";

    private Problems() {}

    /**
     * @param code the stable code
     * @return the problem type URI of that code
     */
    public static String type(ErrorCode code) {
        return TYPE_PREFIX + code.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param code the stable code
     * @return the human title: the code's name as a phrase ({@code ESCROW_NOT_FOUND} → "Escrow not found")
     */
    public static String title(ErrorCode code) {
        String words = code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /**
     * @param code the stable code
     * @param detail what went wrong
     * @param instance the request path
     * @param errors broken constraints, or {@code null}
     * @return the problem
     */
    public static Problem problem(ErrorCode code, String detail, String instance, List<Problem.Violation> errors) {
        return new Problem(type(code), title(code), code.httpStatus(), detail, instance, code.name(), errors);
    }

    /**
     * @param code the stable code
     * @param detail what went wrong
     * @param instance the request path
     * @param errors broken constraints, or {@code null}
     * @return the response, with the code's status
     */
    public static Response response(ErrorCode code, String detail, String instance, List<Problem.Violation> errors) {
        return response(problem(code, detail, instance, errors));
    }

    /**
     * @param problem the document
     * @return the response
     */
    public static Response response(Problem problem) {
        return Response.status(problem.status())
                .type(PROBLEM_JSON_TYPE)
                .entity(json(problem))
                .build();
    }

    /**
     * @param uriInfo the request's URI info, may be {@code null} or unusable outside a request
     * @return the request path for {@code instance}, or {@code null}
     */
    static String instance(UriInfo uriInfo) {
        try {
            return uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * @param problem the document
     * @return it as JSON; members that are {@code null} are left out
     */
    public static String json(Problem problem) {
        StringBuilder b = new StringBuilder(256).append('{');
        member(b, "type", problem.type());
        member(b, "title", problem.title());
        b.append("\"status\":").append(problem.status()).append(',');
        member(b, "detail", problem.detail());
        member(b, "instance", problem.instance());
        member(b, "code", problem.code());
        if (problem.errors() != null) {
            b.append("\"errors\":[");
            for (int i = 0; i < problem.errors().size(); i++) {
                Problem.Violation v = problem.errors().get(i);
                b.append(i == 0 ? "{" : ",{");
                member(b, "field", v.field());
                member(b, "message", v.message());
                b.setLength(b.length() - 1);
                b.append('}');
            }
            b.append("],");
        }
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }

    private static void member(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        b.append('"').append(name).append("\":");
        quote(b, value);
        b.append(',');
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    // also escape < > & so a problem rendered into HTML by a careless client cannot inject markup
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
