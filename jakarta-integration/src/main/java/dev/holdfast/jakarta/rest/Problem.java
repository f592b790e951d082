package dev.holdfast.jakarta.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An RFC 9457 problem document, as every error of the API is answered ({@code application/problem+json}).
 *
 * @param type a stable URI per code: {@value Problems#TYPE_PREFIX} followed by the code in lower case with hyphens
 * @param title the code's short human title
 * @param status the HTTP status
 * @param detail what went wrong in this occurrence, for people
 * @param instance the request path
 * @param code the stable {@link dev.holdfast.api.ErrorCode} name, for programs
 * @param errors for invalid request bodies, each broken constraint; absent otherwise
 */
@Schema(name = "Problem", description = "RFC 9457 problem details with the stable Holdfast error code")
public record Problem(
        @Schema(example = "urn:holdfast:problem:escrow-not-found") String type,
        @Schema(example = "Escrow not found") String title,
        @Schema(example = "404") int status,
        String detail,
        @Schema(example = "/holdfast/v1/escrows/esc_123") String instance,
        @Schema(example = "ESCROW_NOT_FOUND", description = "the stable ErrorCode name") String code,
        @Schema(nullable = true) List<Violation> errors) {

    /**
     * One broken constraint of a request body or parameter.
     *
     * @param field the property path, e.g. {@code milestones[0].amountMinor}
     * @param message what is wrong with it
     */
    @Schema(name = "ProblemViolation")
    public record Violation(String field, String message) {}
}
