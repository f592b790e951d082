package dev.holdfast.jakarta.rest;

import dev.holdfast.api.AuditVerification;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.jakarta.security.Caller;
import dev.holdfast.jakarta.security.CallerResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The hash-chained audit log, for operators: the export as JSON lines and the chain's verification. The export's
 * headers carry a verification made just before streaming; entries appended in between are exported but not counted
 * in the headers ({@code GET /audit/verification} checks again). Thread-safe.
 */
@ApplicationScoped
@Path(HoldfastRest.PATH + "/audit")
@Tag(name = "audit", description = "The audit log (operators)")
@APIResponse(
        responseCode = "401",
        description = "not authenticated (UNAUTHENTICATED)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "403",
        description = "not an operator (PARTY_NOT_ALLOWED)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "500",
        description = "internal error (INTERNAL_ERROR); nothing internal is shown",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class AuditResource {
    /** The export's media type: one JSON object a line. */
    public static final String NDJSON = "application/x-ndjson";
    /** Whether the chain verified, on the export. */
    public static final String INTACT_HEADER = "Holdfast-Audit-Intact";
    /** How many entries the verification read, on the export. */
    public static final String CHECKED_HEADER = "Holdfast-Audit-Entries-Checked";
    /** The first entry that does not verify, or -1, on the export. */
    public static final String BROKEN_HEADER = "Holdfast-Audit-First-Broken";

    private final Api api;

    /**
     * @param engine the engine
     * @param callers maps the host's principal to a caller
     * @param settings the REST settings
     */
    @Inject
    public AuditResource(EscrowEngine engine, CallerResolver callers, RestSettings settings) {
        this.api = new Api(engine, callers, settings);
    }

    /**
     * For the CDI proxy, and public so that RESTEasy (Open Liberty) finds a constructor it can pick before it hands
     * the instance over to CDI.
     */
    public AuditResource() {
        this.api = null;
    }

    @GET
    @Produces(NDJSON)
    @Operation(
            operationId = "exportAudit",
            summary = "Operators: the audit log as JSON lines, oldest first, with the chain's verification in headers")
    @APIResponse(
            responseCode = "200",
            description = "the log",
            headers = {
                @Header(name = INTACT_HEADER, schema = @Schema(type = SchemaType.BOOLEAN)),
                @Header(name = CHECKED_HEADER, schema = @Schema(type = SchemaType.INTEGER)),
                @Header(name = BROKEN_HEADER, schema = @Schema(type = SchemaType.INTEGER))
            },
            content = @Content(mediaType = NDJSON, schema = @Schema(type = SchemaType.STRING)))
    public Response export(@Context SecurityContext security) {
        Caller caller = api.caller(security);
        api.access.requireOperator(caller, "the audit log");
        AuditVerification v = api.engine.verifyAudit();
        StreamingOutput body = out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            api.engine.exportAudit(w);
            w.flush();
        };
        return Response.ok(body, NDJSON)
                .header(INTACT_HEADER, v.intact())
                .header(CHECKED_HEADER, v.entriesChecked())
                .header(BROKEN_HEADER, v.firstBrokenSequence())
                .build();
    }

    @GET
    @Path("verification")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "verifyAudit", summary = "Operators: check the audit log's hash chain now")
    @APIResponse(
            responseCode = "200",
            description = "the result",
            content = @Content(schema = @Schema(implementation = Views.AuditVerificationJson.class)))
    public Views.AuditVerificationJson verification(@Context SecurityContext security) {
        Caller caller = api.caller(security);
        api.access.requireOperator(caller, "the audit log");
        return Views.AuditVerificationJson.of(api.engine.verifyAudit());
    }
}
