package dev.holdfast.jakarta.rest;

import jakarta.ws.rs.core.UriInfo;
import java.util.Set;

/**
 * The REST API's classes, for a host that lists its JAX-RS classes in {@code Application#getClasses()} instead of
 * relying on scanning, and the test of whether a request is the API's. Not instantiable.
 *
 * <p>The resources are CDI beans ({@code @ApplicationScoped}, constructor injection); the container needs beans of
 * {@link dev.holdfast.api.EscrowEngine}, {@link dev.holdfast.spi.EvidenceStore} and {@link
 * dev.holdfast.jakarta.security.CallerResolver} (the plugin ships {@link
 * dev.holdfast.jakarta.security.DefaultCallerResolver}).
 */
public final class HoldfastRest {
    /** The canonical path of every resource, relative to the JAX-RS application path. */
    public static final String PATH = "holdfast/v1";

    private HoldfastRest() {}

    /** @return the resource classes */
    public static Set<Class<?>> resources() {
        return Set.of(EscrowResource.class, DisputeResource.class, PartyResource.class, AuditResource.class);
    }

    /** @return the filter and exception mappers */
    public static Set<Class<?>> providers() {
        return Set.of(
                BasePathFilter.class,
                EscrowExceptionMapper.class,
                ConstraintViolationMapper.class,
                JsonbExceptionMapper.class,
                WebApplicationExceptionMapper.class,
                UnexpectedExceptionMapper.class);
    }

    /**
     * @param uriInfo a request's URI info
     * @return whether the request is under the API's (canonical, after {@link BasePathFilter}) path
     */
    static boolean isApiPath(UriInfo uriInfo) {
        try {
            String path = uriInfo == null ? "" : uriInfo.getPath();
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            return path.equals(PATH) || path.startsWith(PATH + "/");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
