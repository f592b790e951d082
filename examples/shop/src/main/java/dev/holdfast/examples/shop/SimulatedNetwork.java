package dev.holdfast.examples.shop;

import dev.holdfast.examples.simrails.SimulatedRails;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The in-process simulators (LND, Horizon, Open Payments) and the three real rails built against them, started on
 * first use by the {@code simulated-*} rail providers and stopped with the application. One per class loader, i.e. per
 * deployed shop. Thread-safe.
 */
@WebListener
public class SimulatedNetwork implements ServletContextListener {
    private static SimulatedRails rails;

    /** @return the simulated rails, started now if they were not */
    public static synchronized SimulatedRails rails() {
        if (rails == null) {
            try {
                rails = SimulatedRails.start();
            } catch (IOException e) {
                throw new UncheckedIOException("the rail simulators did not start", e);
            }
        }
        return rails;
    }

    /** @return the simulated rails when they run (the shop is configured with the {@code simulated-*} rails) */
    public static synchronized Optional<SimulatedRails> running() {
        return Optional.ofNullable(rails);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        synchronized (SimulatedNetwork.class) {
            if (rails != null) {
                rails.close();
                rails = null;
            }
        }
    }
}
