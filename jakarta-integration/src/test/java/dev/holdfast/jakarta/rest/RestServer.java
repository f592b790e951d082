package dev.holdfast.jakarta.rest;

import com.sun.net.httpserver.HttpServer;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.TestClock;
import dev.holdfast.core.ArbiterPolicies;
import dev.holdfast.core.DisputePolicy;
import dev.holdfast.core.EngineConfig;
import dev.holdfast.core.Holdfast;
import dev.holdfast.core.memory.InMemoryEvidenceStore;
import dev.holdfast.core.memory.InMemoryStore;
import dev.holdfast.core.sandbox.SandboxRail;
import dev.holdfast.jakarta.security.CallerResolver;
import dev.holdfast.jakarta.security.DefaultCallerResolver;
import dev.holdfast.spi.EvidenceStore;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.glassfish.jersey.jdkhttp.JdkHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The REST API on Jersey and the JDK HTTP server, in front of an engine on the in-memory store, the sandbox rail and a
 * test clock, under a host application path {@code /api}. The host's authentication is a test filter: the header
 * {@value #USER} names the principal, {@value #ROLES} its roles (comma-separated). The caller resolver is the plugin's
 * default one.
 */
final class RestServer implements AutoCloseable {
    static final String USER = "X-Test-User";
    static final String ROLES = "X-Test-Roles";
    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: ~50 ms a request.
        // Read once, when the JDK server's configuration class loads, so it is set before any server starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    final TestClock clock = new TestClock(START);
    final InMemoryStore store = new InMemoryStore();
    final InMemoryEvidenceStore evidence = new InMemoryEvidenceStore();
    /** When set, the evidence store the resources use throws it: an unexpected failure inside a request. */
    final AtomicReference<RuntimeException> evidenceFailure = new AtomicReference<>();

    final SandboxRail rail;
    final EscrowEngine engine;
    final RestSettings settings;
    private final HttpServer server;
    final URI base;

    RestServer() {
        this(RestSettings.defaults(), List.of(PartyId.of("arbiter"), PartyId.of("other-arbiter")));
    }

    RestServer(RestSettings settings, List<PartyId> arbiters) {
        this(settings, arbiters, b -> b);
    }

    RestServer(RestSettings settings, List<PartyId> arbiters, UnaryOperator<SandboxRail.Builder> railSetup) {
        this.settings = settings;
        this.rail = railSetup.apply(SandboxRail.builder().clock(clock)).build();
        this.engine = Holdfast.builder()
                .store(store)
                .rail(rail)
                .clock(clock)
                .eventSink(m -> {})
                .config(EngineConfig.defaults().withNodeId("rest-test"))
                .disputes(
                        DisputePolicy.defaults().withArbiters(arbiters).withArbiterPolicy(ArbiterPolicies.roundRobin()))
                .evidenceStore(evidence)
                .build();
        CallerResolver callers = new DefaultCallerResolver(DefaultCallerResolver.DEFAULT_OPERATOR_ROLE);
        ResourceConfig config = new ResourceConfig()
                .register(new EscrowResource(engine, callers, settings))
                .register(new DisputeResource(engine, callers, failing(), settings))
                .register(new PartyResource(engine, callers, settings))
                .register(new AuditResource(engine, callers, settings))
                .register(new BasePathFilter(settings))
                .register(new TestAuthentication());
        for (Class<?> provider : HoldfastRest.providers()) {
            if (provider != BasePathFilter.class) {
                config.register(provider);
            }
        }
        server = JdkHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/"), config);
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
    }

    private EvidenceStore failing() {
        return new EvidenceStore() {
            @Override
            public StoredEvidence put(byte[] content, String mediaType) {
                RuntimeException e = evidenceFailure.get();
                if (e != null) {
                    throw e;
                }
                return evidence.put(content, mediaType);
            }

            @Override
            public Optional<byte[]> get(String reference) {
                return evidence.get(reference);
            }
        };
    }

    Http http() {
        return new Http(base);
    }

    @Override
    public void close() {
        server.stop(0);
        engine.close();
    }

    /** The host's authentication, as a test header. */
    @PreMatching
    @Priority(Priorities.AUTHENTICATION)
    static final class TestAuthentication implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            String user = request.getHeaderString(USER);
            if (user == null) {
                return;
            }
            String roleHeader = request.getHeaderString(ROLES);
            Set<String> roles = roleHeader == null ? Set.of() : Set.of(roleHeader.split(","));
            Principal principal = () -> user;
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return roles.contains(role);
                }

                @Override
                public boolean isSecure() {
                    return false;
                }

                @Override
                public String getAuthenticationScheme() {
                    return "TEST";
                }
            });
        }
    }
}
