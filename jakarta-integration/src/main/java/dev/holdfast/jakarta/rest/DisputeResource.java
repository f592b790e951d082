package dev.holdfast.jakarta.rest;

import dev.holdfast.api.Actor;
import dev.holdfast.api.DisputeId;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowCommand.DisputeCommand;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowEvent.DisputeEvent.EvidenceSubmitted;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.EvidenceAttachment;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.jakarta.security.Caller;
import dev.holdfast.jakarta.security.CallerResolver;
import dev.holdfast.jakarta.security.EscrowAccess.Scoped;
import dev.holdfast.jakarta.security.EscrowAccess.Verb;
import dev.holdfast.spi.EvidenceStore;
import dev.holdfast.spi.EvidenceStore.StoredEvidence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Disputes of one escrow: open, evidence (upload, submit, download), messages, settlement offers, escalation, the
 * arbiter's decision and the appeal.
 *
 * <p><b>Evidence</b> is two steps: {@code POST .../attachments} takes the raw bytes with their {@code Content-Type}
 * (and an optional {@value #FILENAME_HEADER}) and answers what the evidence store kept (reference, size, SHA-256);
 * {@code POST .../evidence} then submits a statement with up to 20 such attachments, and the engine checks each hash
 * against the stored bytes. Raw bytes rather than multipart keep the upload streamable and the size limit exact;
 * a client with several files uploads them one by one. Downloads are addressed by SHA-256 within the dispute and are
 * served only for attachments submitted to that dispute, as {@code Content-Disposition: attachment} with {@code
 * nosniff}, so an uploaded HTML file is never rendered by a browser on the host's origin. Thread-safe.
 */
@ApplicationScoped
@Path(HoldfastRest.PATH + "/escrows/{escrowId}/disputes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "disputes", description = "Disputes, evidence, settlement and arbitration")
@APIResponse(
        responseCode = "400",
        description = "invalid request (INVALID_REQUEST, INVALID_ID, IDEMPOTENCY_KEY_MISSING, INVALID_EVIDENCE, ...)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "401",
        description = "not authenticated (UNAUTHENTICATED)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "403",
        description = "the caller's role in the escrow does not allow this (PARTY_NOT_ALLOWED, ARBITER_NOT_ALLOWED)",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "404",
        description = "ESCROW_NOT_FOUND (also when the caller has no part in it), DISPUTE_NOT_FOUND",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "409",
        description = "DISPUTE_NOT_OPEN, DISPUTE_DEADLINE_PASSED, APPEAL_NOT_ALLOWED, IDEMPOTENCY_CONFLICT, ...",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
@APIResponse(
        responseCode = "500",
        description = "internal error (INTERNAL_ERROR); nothing internal is shown",
        content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class DisputeResource {
    /** The optional request header naming an uploaded file; echoed, not kept by the engine. */
    public static final String FILENAME_HEADER = "Holdfast-Filename";

    private static final Pattern MEDIA = Pattern.compile("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+");
    private static final Pattern FILENAME = Pattern.compile("[^\\p{Cntrl}/\\\\\"]{1,255}");

    private final Api api;
    private final EvidenceStore evidence;

    /**
     * @param engine the engine
     * @param callers maps the host's principal to a caller
     * @param evidence where evidence bytes are kept (the same store the engine checks)
     * @param settings the REST settings
     */
    @Inject
    public DisputeResource(EscrowEngine engine, CallerResolver callers, EvidenceStore evidence, RestSettings settings) {
        this.api = new Api(engine, callers, settings);
        this.evidence = Objects.requireNonNull(evidence, "evidence");
    }

    /**
     * For the CDI proxy, and public so that RESTEasy (Open Liberty) finds a constructor it can pick before it hands
     * the instance over to CDI.
     */
    public DisputeResource() {
        this.api = null;
        this.evidence = null;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "openDispute",
            summary = "Open a dispute on one milestone or the whole escrow",
            description = "Buyer, seller or an operator. The answer is the escrow; Location names the new dispute.")
    @APIResponse(
            responseCode = "201",
            description = "opened",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    public Response open(
            @Context SecurityContext security,
            @Context UriInfo uri,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @NotNull @Valid Requests.OpenDispute body) {
        Caller caller = api.caller(security);
        IdempotencyKey key = Api.key(idempotencyKey, caller, "POST /escrows/{id}/disputes");
        Scoped scoped = api.access.escrow(caller, EscrowId.of(escrowId));
        Actor actor = scoped.actor(Verb.OPEN_DISPUTE);
        EscrowView after = api.engine.submit(
                key,
                new DisputeCommand.OpenDispute(
                        actor, scoped.escrow().id(), Api.milestoneOrNull(body.milestone()), body.reason()));
        // the engine answers the escrow as it was right after opening: its newest dispute is the one just opened
        DisputeView opened = after.disputes().get(after.disputes().size() - 1);
        return Response.created(uri.getBaseUriBuilder()
                        .path(api.settings.basePath())
                        .path("escrows")
                        .path(after.id().value())
                        .path("disputes")
                        .path(opened.id().value())
                        .build())
                .entity(Api.json(after, caller))
                .build();
    }

    @GET
    @Operation(operationId = "listDisputes", summary = "The escrow's disputes, oldest first")
    @APIResponse(
            responseCode = "200",
            description = "the disputes",
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = Views.DisputeJson.class)))
    public List<Views.DisputeJson> list(@Context SecurityContext security, @PathParam("escrowId") String escrowId) {
        Scoped scoped = api.access.escrow(api.caller(security), EscrowId.of(escrowId));
        scoped.actor(Verb.VIEW);
        return scoped.escrow().disputes().stream().map(Views.DisputeJson::of).toList();
    }

    @GET
    @Path("{disputeId}")
    @Operation(operationId = "getDispute", summary = "One dispute: evidence, messages, open offers, decision")
    @APIResponse(
            responseCode = "200",
            description = "the dispute",
            content = @Content(schema = @Schema(implementation = Views.DisputeJson.class)))
    public Views.DisputeJson get(
            @Context SecurityContext security,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId) {
        Scoped scoped = api.access.escrow(api.caller(security), EscrowId.of(escrowId));
        scoped.actor(Verb.VIEW);
        return Views.DisputeJson.of(scoped.dispute(DisputeId.of(disputeId)));
    }

    @POST
    @Path("{disputeId}/attachments")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "uploadAttachment",
            summary = "Upload one evidence file (raw body, its Content-Type); submit it with POST .../evidence",
            description = "Buyer or seller. Limited to holdfast.rest.evidence.max-bytes (PAYLOAD_TOO_LARGE).")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_OCTET_STREAM,
                            schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(
            responseCode = "201",
            description = "stored",
            content = @Content(schema = @Schema(implementation = Views.UploadJson.class)))
    @APIResponse(
            responseCode = "413",
            description = "the body is larger than the limit (PAYLOAD_TOO_LARGE)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    @APIResponse(
            responseCode = "415",
            description = "no or malformed Content-Type (UNSUPPORTED_MEDIA_TYPE)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Response upload(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @Parameter(in = ParameterIn.HEADER, name = FILENAME_HEADER, description = "the file's name, echoed")
                    @HeaderParam(FILENAME_HEADER)
                    String filename,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId,
            InputStream body) {
        Caller caller = api.caller(security);
        Api.key(idempotencyKey, caller, "POST /escrows/{id}/disputes/{id}/attachments");
        Scoped scoped = api.access.escrow(caller, EscrowId.of(escrowId));
        scoped.actor(Verb.SUBMIT_EVIDENCE, DisputeId.of(disputeId));
        String mediaType = mediaType(contentType);
        if (filename != null && !FILENAME.matcher(filename).matches()) {
            throw new EscrowException(
                    ErrorCode.INVALID_EVIDENCE, "filename must be 1 to 255 characters without / \\ \" or controls");
        }
        long limit = api.settings.maxEvidenceBytes();
        if (contentLength != null && declaredLength(contentLength) > limit) {
            throw new EscrowException(ErrorCode.PAYLOAD_TOO_LARGE, limit);
        }
        byte[] bytes = read(body, limit);
        if (bytes.length == 0) {
            throw new EscrowException(ErrorCode.INVALID_EVIDENCE, "the body is empty");
        }
        // Stored before any command: the bytes are not evidence until submitted, and an evidence store never
        // changes stored bytes, so a content-addressed store answers a retried upload with the same reference.
        StoredEvidence stored = evidence.put(bytes, mediaType);
        return Response.status(Response.Status.CREATED)
                .entity(Views.UploadJson.of(stored, filename))
                .build();
    }

    private static String mediaType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new EscrowException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "none");
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!MEDIA.matcher(type).matches() || type.length() > 255) {
            throw new EscrowException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "that is not a media type");
        }
        return type;
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "Content-Length is not a number");
        }
    }

    private static byte[] read(InputStream in, long limit) {
        if (in == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        try {
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > limit) {
                    throw new EscrowException(ErrorCode.PAYLOAD_TOO_LARGE, limit);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @GET
    @Path("{disputeId}/attachments/{sha256}")
    @Produces(MediaType.WILDCARD)
    @Operation(
            operationId = "downloadAttachment",
            summary = "Download a submitted attachment by its SHA-256, with its media type",
            description = "The escrow's parties, the dispute's arbiters and operators.")
    @APIResponse(
            responseCode = "200",
            description = "the bytes, as Content-Disposition: attachment",
            content = @Content(mediaType = "*/*", schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response download(
            @Context SecurityContext security,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId,
            @PathParam("sha256") String sha256) {
        Scoped scoped = api.access.escrow(api.caller(security), EscrowId.of(escrowId));
        DisputeId id = DisputeId.of(disputeId);
        scoped.actor(Verb.READ_EVIDENCE, id);
        // only what was submitted to this dispute: a reference alone must never open another escrow's evidence
        EvidenceAttachment attachment = scoped.dispute(id).evidence().stream()
                .map(EvidenceSubmitted::attachments)
                .flatMap(List::stream)
                .filter(a -> a.sha256().equals(sha256))
                .findFirst()
                .orElseThrow(() -> new EscrowException(ErrorCode.EVIDENCE_NOT_FOUND, safe(sha256)));
        byte[] bytes = evidence.get(attachment.reference())
                .orElseThrow(() -> new EscrowException(ErrorCode.EVIDENCE_NOT_FOUND, attachment.sha256()));
        if (!sha256(bytes).equals(attachment.sha256())) {
            throw new EscrowException(
                    ErrorCode.EVIDENCE_MISMATCH, attachment.sha256(), "the stored bytes changed since submission");
        }
        return Response.ok(bytes, attachment.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + attachment.sha256() + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "private, no-store")
                .tag(attachment.sha256())
                .build();
    }

    private static String safe(String s) {
        return s.matches("[0-9a-f]{1,64}") ? s : "that hash";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @POST
    @Path("{disputeId}/evidence")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "submitEvidence",
            summary = "Submit a statement and uploaded attachments; the engine checks every hash")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    @APIResponse(
            responseCode = "422",
            description = "an attachment does not match the stored bytes (EVIDENCE_MISMATCH)",
            content = @Content(mediaType = Problems.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Views.EscrowJson submitEvidence(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId,
            @NotNull @Valid Requests.Evidence body) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                disputeId,
                "evidence",
                Verb.SUBMIT_EVIDENCE,
                (a, v, d) -> new DisputeCommand.SubmitEvidence(
                        a,
                        v.id(),
                        d,
                        body.statement(),
                        body.attachments() == null
                                ? List.of()
                                : body.attachments().stream()
                                        .map(x -> new EvidenceAttachment(
                                                x.reference(), x.mediaType(), x.size(), x.sha256()))
                                        .toList()));
    }

    @POST
    @Path("{disputeId}/messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "postDisputeMessage",
            summary = "Post in the dispute's thread (buyer, seller, the dispute's arbiter, operators)")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    public Views.EscrowJson postMessage(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId,
            @NotNull @Valid Requests.Message body) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                disputeId,
                "messages",
                Verb.POST_MESSAGE,
                (a, v, d) -> new DisputeCommand.PostDisputeMessage(a, v.id(), d, body.text()));
    }

    @POST
    @Path("{disputeId}/offers")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "offerSettlement",
            summary = "Offer a settlement (buyer or seller); replaces the caller's earlier offer")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command; the offer is in the dispute's openOffers",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    public Views.EscrowJson offer(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId,
            @NotNull @Valid Requests.Offer body) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                disputeId,
                "offers",
                Verb.OFFER_SETTLEMENT,
                (a, v, d) -> new DisputeCommand.OfferSettlement(
                        a, v.id(), d, body.outcome().toOutcome(v.amount().asset())));
    }

    @POST
    @Path("{disputeId}/offers/{offer}/accept")
    @Operation(
            operationId = "acceptSettlement",
            summary = "Accept the other party's open offer; the dispute is settled")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    public Views.EscrowJson acceptOffer(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId,
            @Parameter(description = "the offer's number", schema = @Schema(type = SchemaType.INTEGER))
                    @PathParam("offer")
                    String offer) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                disputeId,
                "offers/{n}/accept",
                Verb.ACCEPT_SETTLEMENT,
                (a, v, d) -> new DisputeCommand.AcceptSettlement(
                        a, v.id(), d, Api.parseInt(offer, "offer", 1, Integer.MAX_VALUE)));
    }

    @POST
    @Path("{disputeId}/escalate")
    @Operation(operationId = "escalateDispute", summary = "Ask for an arbiter now")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    public Views.EscrowJson escalate(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                disputeId,
                "escalate",
                Verb.ESCALATE,
                (a, v, d) -> new DisputeCommand.EscalateDispute(a, v.id(), d));
    }

    @POST
    @Path("{disputeId}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "decideDispute",
            summary = "The assigned arbiter decides: release, refund or a split, with a reason")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    public Views.EscrowJson decide(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId,
            @NotNull @Valid Requests.Decision body) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                disputeId,
                "decision",
                Verb.DECIDE,
                (a, v, d) -> new DisputeCommand.DecideDispute(
                        a, v.id(), d, body.outcome().toOutcome(v.amount().asset()), body.reason()));
    }

    @POST
    @Path("{disputeId}/appeal")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "appealDecision", summary = "Appeal the first decision, once, within the window")
    @APIResponse(
            responseCode = "200",
            description = "the escrow after the command",
            content = @Content(schema = @Schema(implementation = Views.EscrowJson.class)))
    public Views.EscrowJson appeal(
            @Context SecurityContext security,
            @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = true)
                    @HeaderParam(IdempotencyKeys.HEADER)
                    String idempotencyKey,
            @PathParam("escrowId") String escrowId,
            @PathParam("disputeId") String disputeId,
            @NotNull @Valid Requests.Appeal body) {
        return command(
                security,
                idempotencyKey,
                escrowId,
                disputeId,
                "appeal",
                Verb.APPEAL,
                (a, v, d) -> new DisputeCommand.AppealDecision(a, v.id(), d, body.reason()));
    }

    /** Builds a command on a dispute the caller may use the verb on. */
    interface CommandFactory {
        EscrowCommand build(Actor actor, EscrowView escrow, DisputeId dispute);
    }

    private Views.EscrowJson command(
            SecurityContext security,
            String idempotencyKey,
            String escrowId,
            String disputeId,
            String verb,
            Verb access,
            CommandFactory f) {
        Caller caller = api.caller(security);
        IdempotencyKey key = Api.key(idempotencyKey, caller, "POST /escrows/{id}/disputes/{id}/" + verb);
        Scoped scoped = api.access.escrow(caller, EscrowId.of(escrowId));
        DisputeId dispute = DisputeId.of(disputeId);
        Actor actor = scoped.actor(access, dispute);
        EscrowView after = api.engine.submit(key, f.build(actor, scoped.escrow(), dispute));
        return Api.json(after, caller);
    }
}
