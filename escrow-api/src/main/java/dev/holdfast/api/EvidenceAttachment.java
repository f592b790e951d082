package dev.holdfast.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Metadata of one piece of evidence whose bytes live in the {@code EvidenceStore}. The engine checks the size and
 * SHA-256 against the stored bytes when the evidence is submitted and records them in the audit log, so the bytes
 * cannot be swapped later without the hash showing it. Immutable and thread-safe.
 *
 * @param reference where the evidence store keeps the bytes (what its {@code put} returned)
 * @param mediaType the content's media type, e.g. {@code image/png}
 * @param size the content's length in bytes
 * @param sha256 lowercase hex SHA-256 of the content
 * @since 0.2
 */
public record EvidenceAttachment(String reference, String mediaType, long size, String sha256) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MEDIA = Pattern.compile("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+");

    /**
     * @throws EscrowException {@link ErrorCode#INVALID_EVIDENCE} when a field is missing or malformed
     */
    public EvidenceAttachment {
        if (reference == null || reference.isBlank() || reference.length() > 500) {
            throw new EscrowException(ErrorCode.INVALID_EVIDENCE, "reference must be 1 to 500 characters");
        }
        if (mediaType == null
                || !MEDIA.matcher(mediaType.toLowerCase(Locale.ROOT)).matches()) {
            throw new EscrowException(ErrorCode.INVALID_EVIDENCE, "media type " + mediaType);
        }
        if (size < 0) {
            throw new EscrowException(ErrorCode.INVALID_EVIDENCE, "size " + size);
        }
        if (sha256 == null || !HEX.matcher(sha256).matches()) {
            throw new EscrowException(ErrorCode.INVALID_EVIDENCE, "sha256 must be 64 lowercase hex digits");
        }
    }
}
