package dev.holdfast.jakarta.security;

import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;

/**
 * Maps the host's authenticated principal to a {@link Caller}. Authentication itself is the host's (Jakarta
 * Security, MicroProfile JWT, a servlet filter); the plugin only reads its result. A host replaces the default bean to
 * map principals differently (a JWT claim, a lookup in its user table).
 */
public interface CallerResolver {
    /**
     * @param security the request's security context
     * @return the caller, or empty when the request is not authenticated (answered 401)
     */
    Optional<Caller> resolve(SecurityContext security);
}
