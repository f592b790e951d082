package dev.holdfast.jakarta.testing;

import dev.holdfast.api.EscrowException;
import dev.holdfast.api.PartyId;
import dev.holdfast.jakarta.security.Caller;
import dev.holdfast.jakarta.security.CallerResolver;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.net.URI;
import java.security.Principal;
import java.util.Optional;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * Jersey on Grizzly with the plugin's resources. Stand-ins for what the host and the REST helper
 * provide: the {@code X-Test-Caller} header authenticates ({@code operator} or a party id), and a minimal mapper turns
 * {@link EscrowException} into its status with the code (the real problem+json mappers live in the rest package).
 */
public final class JerseyServer implements AutoCloseable {
    public static final String CALLER_HEADER = "X-Test-Caller";

    /** Operator for the principal "operator", else the party of that name. */
    public static final CallerResolver CALLERS = security -> Optional.ofNullable(security.getUserPrincipal())
            .map(Principal::getName)
            .map(name -> name.equals("operator") ? Caller.platformOperator() : Caller.party(PartyId.of(name)));

    private final HttpServer server;

    public JerseyServer(Object... resources) {
        ResourceConfig config = new ResourceConfig();
        for (Object r : resources) {
            config.register(r);
        }
        config.register(new Authenticate());
        config.register(new Problems());
        server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"), config);
    }

    public String base() {
        return "http://127.0.0.1:" + server.getListeners().iterator().next().getPort() + "/";
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private static final class Authenticate implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String name = request.getHeaderString(CALLER_HEADER);
            if (name == null) {
                return;
            }
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return () -> name;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return false;
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "test";
                }
            });
        }
    }

    private static final class Problems implements ExceptionMapper<EscrowException> {
        @Override
        public Response toResponse(EscrowException e) {
            return Response.status(e.code().httpStatus())
                    .type(MediaType.APPLICATION_JSON)
                    .entity("{\"code\":\"" + e.code().code() + "\"}")
                    .build();
        }
    }
}
