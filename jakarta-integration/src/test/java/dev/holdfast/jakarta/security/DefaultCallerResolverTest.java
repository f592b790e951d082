package dev.holdfast.jakarta.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.PartyId;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultCallerResolverTest {
    static SecurityContext context(String name, String... roles) {
        Set<String> set = Set.of(roles);
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return name == null ? null : () -> name;
            }

            @Override
            public boolean isUserInRole(String role) {
                return set.contains(role);
            }

            @Override
            public boolean isSecure() {
                return true;
            }

            @Override
            public String getAuthenticationScheme() {
                return "TEST";
            }
        };
    }

    @Test
    void thePrincipalNameIsThePartyAndTheConfiguredRoleMakesAnOperator() {
        DefaultCallerResolver resolver = new DefaultCallerResolver("market-admin");
        assertThat(resolver.resolve(context("alice"))).contains(Caller.party(PartyId.of("alice")));
        assertThat(resolver.resolve(context("alice", "holdfast-operator"))).contains(Caller.party(PartyId.of("alice")));
        assertThat(resolver.resolve(context("ops", "market-admin"))).contains(new Caller(PartyId.of("ops"), true));
        assertThat(resolver.resolve(context("Ops Team", "market-admin"))).contains(Caller.platformOperator());
    }

    @Test
    void noPrincipalOrAnUnnameablePartyIsUnauthenticated() {
        DefaultCallerResolver resolver = new DefaultCallerResolver(DefaultCallerResolver.DEFAULT_OPERATOR_ROLE);
        assertThat(resolver.resolve(context(null))).isEqualTo(Optional.empty());
        assertThat(resolver.resolve(null)).isEqualTo(Optional.empty());
        assertThat(resolver.resolve(context("not a party id"))).isEqualTo(Optional.empty());
    }
}
