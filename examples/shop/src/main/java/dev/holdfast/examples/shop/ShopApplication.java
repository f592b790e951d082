package dev.holdfast.examples.shop;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The JAX-RS application: the plugin's resources (WEB-INF/lib) and the shop's, all under {@code /api}. */
@ApplicationPath("/api")
public class ShopApplication extends Application {}
