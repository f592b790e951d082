package dev.holdfast.jakarta.rest;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.Objects;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The REST API's settings, from MicroProfile Config when the host has it:
 *
 * <ul>
 *   <li>{@code holdfast.rest.base-path} (default {@value #DEFAULT_BASE_PATH}): where the API answers, relative to the
 *       host's JAX-RS application path; see {@link BasePathFilter}.
 *   <li>{@code holdfast.rest.evidence.max-bytes} (default 10 MiB): the largest evidence upload.
 * </ul>
 *
 * Immutable and thread-safe.
 */
@Dependent
public final class RestSettings {
    /** The canonical base path, the one the resources are annotated with. */
    public static final String DEFAULT_BASE_PATH = "/holdfast/v1";
    /** The evidence upload limit when none is configured. */
    public static final long DEFAULT_MAX_EVIDENCE_BYTES = 10L * 1024 * 1024;

    private final String basePath;
    private final long maxEvidenceBytes;

    /**
     * @param basePath where the API answers, e.g. {@code /market/escrow/v1}
     * @param maxEvidenceBytes the largest evidence upload, positive
     */
    @Inject
    public RestSettings(
            @ConfigProperty(name = "holdfast.rest.base-path", defaultValue = DEFAULT_BASE_PATH) String basePath,
            @ConfigProperty(name = "holdfast.rest.evidence.max-bytes", defaultValue = "10485760")
                    long maxEvidenceBytes) {
        this.basePath = normalize(basePath);
        if (maxEvidenceBytes < 1 || maxEvidenceBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("holdfast.rest.evidence.max-bytes must be 1 to 2^31-9");
        }
        this.maxEvidenceBytes = maxEvidenceBytes;
    }

    /** @return the defaults */
    public static RestSettings defaults() {
        return new RestSettings(DEFAULT_BASE_PATH, DEFAULT_MAX_EVIDENCE_BYTES);
    }

    /** @return the base path, with a leading and without a trailing slash */
    public String basePath() {
        return basePath;
    }

    /** @return the largest evidence upload in bytes */
    public long maxEvidenceBytes() {
        return maxEvidenceBytes;
    }

    static String normalize(String path) {
        Objects.requireNonNull(path, "basePath");
        String p = path.trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        if (p.length() < 2 || p.contains("//") || p.contains("..") || !p.matches("[A-Za-z0-9._~/-]+")) {
            throw new IllegalArgumentException("holdfast.rest.base-path is not a plain path: " + path);
        }
        return p;
    }
}
