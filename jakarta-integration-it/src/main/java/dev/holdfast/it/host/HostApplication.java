package dev.holdfast.it.host;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The host's JAX-RS application: the plugin's resources (in WEB-INF/lib) and the test resources under /api. */
@ApplicationPath("/api")
public class HostApplication extends Application {}
