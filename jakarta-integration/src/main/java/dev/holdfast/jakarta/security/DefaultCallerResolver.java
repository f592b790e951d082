package dev.holdfast.jakarta.security;

import dev.holdfast.api.EscrowException;
import dev.holdfast.api.PartyId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The default {@link CallerResolver}: the principal's name is the party id, and a caller in the operator role
 * ({@code holdfast.security.operator-role}, default {@value #DEFAULT_OPERATOR_ROLE}) is an operator.
 *
 * <p><b>Replacing it.</b> A host declares its own {@code CallerResolver} bean as an enabled alternative, e.g.
 * {@code @ApplicationScoped @Alternative @Priority(100) class JwtCallerResolver implements CallerResolver}. CDI then
 * resolves the ambiguous {@code CallerResolver} injection point to the alternative and ignores this bean; no
 * {@code beans.xml} entry is needed because {@code @Priority} enables the alternative for the whole application.
 *
 * <p>A principal whose name is not a valid {@link PartyId} and who is no operator is treated as unauthenticated: the
 * plugin cannot act for someone it cannot name. An operator whose name is not a valid party id acts as the platform
 * only. Immutable and thread-safe.
 */
@ApplicationScoped
public class DefaultCallerResolver implements CallerResolver {
    /** The operator role when {@code holdfast.security.operator-role} is not set. */
    public static final String DEFAULT_OPERATOR_ROLE = "holdfast-operator";

    private final String operatorRole;

    /**
     * @param operatorRole the role name that makes a caller an operator
     */
    @Inject
    public DefaultCallerResolver(
            @ConfigProperty(name = "holdfast.security.operator-role", defaultValue = DEFAULT_OPERATOR_ROLE)
                    String operatorRole) {
        this.operatorRole = Objects.requireNonNull(operatorRole, "operatorRole");
    }

    /** For the CDI proxy only. */
    protected DefaultCallerResolver() {
        this.operatorRole = DEFAULT_OPERATOR_ROLE;
    }

    /** @return the role name that makes a caller an operator */
    public String operatorRole() {
        return operatorRole;
    }

    @Override
    public Optional<Caller> resolve(SecurityContext security) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        if (principal == null || principal.getName() == null) {
            return Optional.empty();
        }
        PartyId party = partyOrNull(principal.getName());
        boolean operator = security.isUserInRole(operatorRole);
        if (party == null && !operator) {
            return Optional.empty();
        }
        return Optional.of(new Caller(party, operator));
    }

    private static PartyId partyOrNull(String name) {
        try {
            return PartyId.of(name);
        } catch (EscrowException e) {
            return null;
        }
    }
}
