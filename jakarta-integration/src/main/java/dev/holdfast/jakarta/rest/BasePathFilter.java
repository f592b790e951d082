package dev.holdfast.jakarta.rest;

import dev.holdfast.api.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.net.URI;

/**
 * Lets a host serve the API under a base path of its choosing ({@code holdfast.rest.base-path}) while the resources
 * keep one canonical {@code @Path} ({@value RestSettings#DEFAULT_BASE_PATH}).
 *
 * <p>Why a pre-matching filter: JAX-RS has no portable way to choose a resource's {@code @Path} at run time, and a
 * second {@code Application} would make the host's other resources unreachable under it. The filter rewrites the
 * request URI before matching: {@code <configured>/rest} becomes {@code /holdfast/v1/rest}. When a base path other
 * than the canonical one is configured, the canonical one answers 404, so the API is reachable at exactly one
 * place. The OpenAPI document shows the canonical paths; a host with another base path says so in its own server
 * URL. Thread-safe.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
@ApplicationScoped
public class BasePathFilter implements ContainerRequestFilter {
    private final String canonical = RestSettings.DEFAULT_BASE_PATH.substring(1);
    private final String configured;

    /**
     * @param settings where the host wants the API
     */
    @Inject
    public BasePathFilter(RestSettings settings) {
        this.configured = settings.basePath().substring(1);
    }

    /**
     * For the CDI proxy, and public so that RESTEasy (Open Liberty) finds a constructor it can pick before it hands
     * the instance over to CDI.
     */
    public BasePathFilter() {
        this.configured = canonical;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(false);
        String relative = path.startsWith("/") ? path.substring(1) : path;
        String instance = request.getUriInfo().getRequestUri().getRawPath();
        if (under(relative, configured) && !parsableContentType(request)) {
            // a Content-Type the container cannot parse would otherwise be refused before any mapper runs
            request.abortWith(Problems.response(
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    ErrorCode.UNSUPPORTED_MEDIA_TYPE.format("that is not a media type"),
                    instance,
                    null));
            return;
        }
        if (configured.equals(canonical)) {
            return;
        }
        if (under(relative, canonical)) {
            request.abortWith(Problems.response(
                    ErrorCode.RESOURCE_NOT_FOUND, ErrorCode.RESOURCE_NOT_FOUND.format(instance), instance, null));
            return;
        }
        if (under(relative, configured)) {
            String rest = relative.substring(configured.length());
            URI base = request.getUriInfo().getBaseUri();
            String query = request.getUriInfo().getRequestUri().getRawQuery();
            // raw strings on purpose: the path stays exactly as encoded by the client
            URI rewritten = URI.create(base.toString() + canonical + rest + (query == null ? "" : "?" + query));
            request.setRequestUri(base, rewritten);
        }
    }

    private static boolean parsableContentType(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (header == null) {
            return true;
        }
        try {
            MediaType.valueOf(header);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
