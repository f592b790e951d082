package dev.holdfast.examples.simrails;

import dev.holdfast.api.TransferId;
import dev.holdfast.openpayments.OpenPaymentsPaymentRail;
import dev.holdfast.spi.RailResult;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The host's handling of an Open Payments interaction's return: where the buyer's (or the operator's) browser lands
 * after approving or refusing at their wallet provider. The rail puts {@code <finishUriBase>/<url-encoded transfer
 * id>} in every grant request (and {@code <finishUriBase>/escrow-grant} in the operator's escrow grant); the provider
 * redirects there with {@code interact_ref} and {@code hash}, or with {@code result=grant_rejected}. A host maps its
 * finish endpoint to {@link #handle(URI)} (or to {@link #handle(String, Map)} when its web framework has already split
 * the path and query); {@link SimulatedRails} serves exactly that on its local endpoint.
 *
 * <p>A wrong {@code hash} is not an error here: the rail ignores it and keeps the funding waiting (anybody can call a
 * public callback). Thread-safe.
 *
 * @since 0.1
 */
public final class OpenPaymentsReturn {
    /** The last path segment of the operator's escrow-grant return. */
    public static final String ESCROW_GRANT = "escrow-grant";

    private final OpenPaymentsPaymentRail rail;
    private final String basePath;

    /**
     * @param rail the Open Payments rail
     * @param finishUriBase the rail's configured {@code finishUriBase}
     */
    public OpenPaymentsReturn(OpenPaymentsPaymentRail rail, String finishUriBase) {
        this.rail = Objects.requireNonNull(rail, "rail");
        String path = URI.create(Objects.requireNonNull(finishUriBase, "finishUriBase"))
                .getRawPath();
        this.basePath = path == null ? "" : path.replaceAll("/+$", "");
    }

    /** @return the path of the finish endpoint, without a trailing slash; the host serves it and everything below */
    public String basePath() {
        return basePath;
    }

    /**
     * @param redirect the URL the wallet provider redirected the browser to
     * @return what the rail answered: for a funding its outcome (SUCCEEDED once held, PENDING while paying or when the
     *     redirect was not genuine, FAILED when refused or too late); for the escrow grant SUCCEEDED
     * @throws IllegalArgumentException when the URL is not below the finish endpoint
     * @throws IllegalStateException when it is the escrow grant's return and its hash does not match
     */
    public RailResult handle(URI redirect) {
        String path = Objects.requireNonNull(redirect, "redirect").getRawPath();
        if (path == null || !path.startsWith(basePath + "/") || path.length() == basePath.length() + 1) {
            throw new IllegalArgumentException("not an Open Payments finish redirect: " + redirect);
        }
        return handle(path.substring(basePath.length() + 1), query(redirect));
    }

    /**
     * @param rawSegment the path segment after the finish endpoint, still URL-encoded
     * @param query the redirect's query parameters, decoded
     * @return see {@link #handle(URI)}
     */
    public RailResult handle(String rawSegment, Map<String, String> query) {
        String segment = URLDecoder.decode(rawSegment, StandardCharsets.UTF_8);
        boolean rejected = "grant_rejected".equals(query.get("result"));
        if (ESCROW_GRANT.equals(segment)) {
            if (rejected) {
                throw new IllegalStateException("the operator refused the escrow grant");
            }
            rail.completeEscrowGrant(query.get("interact_ref"), query.get("hash"));
            return RailResult.succeeded(null, null);
        }
        TransferId funding = TransferId.of(segment);
        if (rejected) {
            return rail.onInteractionRejected(funding);
        }
        return rail.onInteractionFinished(funding, query.get("interact_ref"), query.get("hash"));
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }
}
