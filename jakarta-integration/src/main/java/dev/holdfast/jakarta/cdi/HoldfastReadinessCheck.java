package dev.holdfast.jakarta.cdi;

import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the plugin ({@code /health/ready}): the database answers (for {@code holdfast.store=jpa}) and every
 * enabled rail's {@link PaymentRail#checkHealth()} is up. Data: {@code store}, {@code database}, and {@code
 * rail.<id>} = {@code UP} or {@code DOWN: <detail>}.
 */
@Readiness
@ApplicationScoped
public class HoldfastReadinessCheck implements HealthCheck {
    @Inject
    HoldfastConfig config;

    @Inject
    HoldfastDataSource dataSource;

    @Inject
    HoldfastRails rails;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("holdfast")
                .withData("store", config.store().name());
        boolean up = true;
        if (config.store() == HoldfastConfig.StoreKind.JPA) {
            String db;
            try (Connection c = dataSource.get().getConnection()) {
                db = c.isValid(2) ? "UP" : "DOWN: connection not valid";
            } catch (Exception e) {
                db = "DOWN: " + e.getClass().getSimpleName();
            }
            up &= db.equals("UP");
            b.withData("database", db);
        }
        for (PaymentRail rail : rails.all()) {
            RailHealth h;
            try {
                h = rail.checkHealth();
            } catch (RuntimeException e) {
                h = RailHealth.down(e.getClass().getSimpleName());
            }
            up &= h.up();
            b.withData("rail." + rail.id().value(), h.up() ? "UP" : "DOWN: " + h.detail());
        }
        return b.status(up).build();
    }
}
