package dev.holdfast.api;

/**
 * Every way a command can be refused, with a stable name, the HTTP status a REST layer should answer with, and a
 * message template.
 *
 * <p>The names are part of the public contract: they never change meaning and are never reused. New codes may be
 * added in later versions, so a host's {@code switch} should keep a default branch. Codes are grouped by {@link
 * Area}; the REST layer puts {@link #code()} into the {@code code} member of an RFC 9457 problem document.
 *
 * @since 0.1
 */
public enum ErrorCode {
    // --- request: malformed input, never depends on state
    INVALID_REQUEST(Area.REQUEST, 400, "invalid request: %s"),
    INVALID_ID(Area.REQUEST, 400, "%s id is not valid: %s"),
    INVALID_ASSET(Area.REQUEST, 400, "asset is not valid: %s"),
    INVALID_AMOUNT(Area.REQUEST, 400, "amount must be greater than zero: %s"),
    INVALID_FEE(Area.REQUEST, 400, "fee is not valid: %s"),
    INVALID_MILESTONES(Area.REQUEST, 400, "milestones are not valid: %s"),
    MILESTONE_SUM_MISMATCH(Area.REQUEST, 400, "milestones add up to %s but the escrow amount is %s"),
    DEADLINE_IN_PAST(Area.REQUEST, 400, "%s %s is not in the future (now is %s)"),
    INVALID_DEADLINES(Area.REQUEST, 400, "deadlines are not in order: %s"),
    SAME_PARTY(Area.REQUEST, 400, "buyer and seller must be different parties, both are %s"),
    INVALID_DESTINATION(Area.REQUEST, 400, "payout destination is not valid: %s"),

    // --- request, as the REST layer sees it before any command (since 0.5)
    UNAUTHENTICATED(Area.REQUEST, 401, "the request is not authenticated"),
    RESOURCE_NOT_FOUND(Area.REQUEST, 404, "no resource at %s"),
    METHOD_NOT_ALLOWED(Area.REQUEST, 405, "%s is not allowed on %s"),
    NOT_ACCEPTABLE(Area.REQUEST, 406, "none of the acceptable media types can be produced: %s"),
    PAYLOAD_TOO_LARGE(Area.REQUEST, 413, "the request body exceeds %s bytes"),
    UNSUPPORTED_MEDIA_TYPE(Area.REQUEST, 415, "content type %s is not supported here"),

    // --- money
    AMOUNT_OVERFLOW(Area.MONEY, 400, "amount is out of range: %s"),
    ASSET_MISMATCH(Area.MONEY, 400, "cannot combine %s with %s"),
    INSUFFICIENT_BALANCE(Area.MONEY, 409, "available balance %s is less than %s"),
    WITHDRAWAL_NOT_FOUND(Area.MONEY, 404, "party %s has no withdrawal %s"),

    // --- lifecycle: the escrow exists but the command does not fit its state or the actor
    ESCROW_NOT_FOUND(Area.LIFECYCLE, 404, "escrow %s does not exist"),
    MILESTONE_NOT_FOUND(Area.LIFECYCLE, 404, "escrow %s has no milestone %s"),
    INVALID_STATE(Area.LIFECYCLE, 409, "cannot %s: %s is %s"),
    PARTY_NOT_ALLOWED(Area.LIFECYCLE, 403, "%s may not %s escrow %s"),
    CONCURRENT_MODIFICATION(Area.LIFECYCLE, 409, "escrow %s was changed concurrently; retry the command"),
    TEST_CLOCK_DISABLED(Area.LIFECYCLE, 409, "time can only be advanced when the engine runs on a TestClock"),

    // --- idempotency
    IDEMPOTENCY_CONFLICT(Area.IDEMPOTENCY, 409, "idempotency key %s was already used for a different request"),
    IDEMPOTENCY_IN_PROGRESS(Area.IDEMPOTENCY, 409, "a request with idempotency key %s is still in progress"),
    IDEMPOTENCY_KEY_MISSING(Area.IDEMPOTENCY, 400, "the Idempotency-Key header is required on %s"),
    IDEMPOTENCY_KEY_INVALID(
            Area.IDEMPOTENCY, 400, "Idempotency-Key must be 1 to %s characters from A-Z a-z 0-9 . _ : @ $ / + -"),

    // --- rail: the chosen rail cannot honour the request
    RAIL_NOT_FOUND(Area.RAIL, 400, "no rail named %s is configured"),
    ASSET_NOT_SUPPORTED(Area.RAIL, 422, "rail %s does not support asset %s"),
    AMOUNT_OUT_OF_RAIL_RANGE(Area.RAIL, 422, "rail %s accepts %s to %s, not %s"),
    TERMS_EXCEED_RAIL_HOLD(Area.RAIL, 422, "the terms may hold funds for %s but rail %s holds funds for at most %s"),
    PARTIAL_RELEASE_NOT_SUPPORTED(Area.RAIL, 422, "rail %s cannot release part of an escrow"),
    DESTINATION_REQUIRED(Area.RAIL, 422, "rail %s needs a %s payout destination for this escrow"),
    RAIL_UNAVAILABLE(Area.RAIL, 503, "rail %s is unavailable: %s"),

    // --- dispute: opening, evidence, offers, arbitration, appeal
    DISPUTE_NOT_FOUND(Area.DISPUTE, 404, "escrow %s has no dispute %s"),
    DISPUTE_WINDOW_CLOSED(Area.DISPUTE, 409, "cannot open a dispute on %s: %s"),
    DISPUTE_ALREADY_OPEN(Area.DISPUTE, 409, "%s is already in dispute %s"),
    DISPUTE_NOT_OPEN(Area.DISPUTE, 409, "cannot %s: dispute %s is %s"),
    DISPUTE_DEADLINE_PASSED(Area.DISPUTE, 409, "cannot %s: the deadline %s has passed"),
    INVALID_SPLIT(Area.DISPUTE, 400, "split is not valid: %s"),
    OFFER_NOT_FOUND(Area.DISPUTE, 404, "dispute %s has no open offer %s"),
    ARBITER_NOT_ALLOWED(Area.DISPUTE, 403, "%s may not decide dispute %s: %s"),
    NO_ARBITER_AVAILABLE(Area.DISPUTE, 503, "no arbiter in the pool may decide dispute %s"),
    APPEAL_NOT_ALLOWED(Area.DISPUTE, 409, "dispute %s cannot be appealed: %s"),
    INVALID_EVIDENCE(Area.DISPUTE, 400, "evidence is not valid: %s"),
    EVIDENCE_NOT_FOUND(Area.DISPUTE, 404, "the evidence store has nothing under %s"),
    EVIDENCE_MISMATCH(Area.DISPUTE, 422, "evidence %s does not match the stored bytes: %s"),

    // --- bonds (since 0.3)
    INVALID_BOND(Area.BOND, 400, "bond is not valid: %s"),
    BOND_ALREADY_REQUIRED(Area.BOND, 409, "escrow %s already requires a bond from the %s"),
    BOND_NOT_SUPPORTED(Area.BOND, 422, "rail %s cannot hold a bond: %s"),

    // --- webhooks and the event feed (since 0.4)
    OPERATOR_REQUIRED(Area.WEBHOOK, 403, "%s requires the operator role"),
    WEBHOOK_NOT_FOUND(Area.WEBHOOK, 404, "webhook endpoint %s does not exist"),
    WEBHOOK_DELIVERY_NOT_FOUND(Area.WEBHOOK, 404, "webhook endpoint %s has no delivery %s"),

    // --- internal
    STORE_UNAVAILABLE(Area.INTERNAL, 503, "the store is unavailable: %s"),
    INTERNAL_ERROR(Area.INTERNAL, 500, "internal error: %s");

    /** Groups of codes, one per area of the engine. */
    public enum Area {
        /** Malformed input, independent of any state. */
        REQUEST,
        /** Amount arithmetic and balances. */
        MONEY,
        /** The command does not fit the escrow's state or the actor. */
        LIFECYCLE,
        /** Misuse of idempotency keys. */
        IDEMPOTENCY,
        /** What the chosen payment rail can and cannot do. */
        RAIL,
        /** Disputes: opening, evidence, settlement offers, arbitration and appeal. */
        DISPUTE,
        /** Fidelity bonds: terms and the rail's ability to hold them. */
        BOND,
        /** Outbound webhooks and the event feed (since 0.4). */
        WEBHOOK,
        /** Failures of the engine or its store. */
        INTERNAL
    }

    private final Area area;
    private final int httpStatus;
    private final String template;

    ErrorCode(Area area, int httpStatus, String template) {
        this.area = area;
        this.httpStatus = httpStatus;
        this.template = template;
    }

    /** @return the stable code, equal to {@link #name()} */
    public String code() {
        return name();
    }

    /** @return the area this code belongs to */
    public Area area() {
        return area;
    }

    /** @return the HTTP status a REST layer answers with */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return the {@link String#format} template of the message */
    public String template() {
        return template;
    }

    /**
     * @param args the template's arguments
     * @return the human-readable message
     */
    public String format(Object... args) {
        try {
            return String.format(template, args);
        } catch (java.util.IllegalFormatException e) {
            return template + " " + java.util.Arrays.toString(args);
        }
    }
}
