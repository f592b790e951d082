package dev.holdfast.jakarta.cdi;

import dev.holdfast.api.RailId;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailConfigurationException;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Finds {@link RailProvider}s with {@link ServiceLoader} and builds the enabled rails. Plain Java: a Java SE host
 * calls {@link #load} itself. Stateless.
 */
public final class RailLoader {
    private RailLoader() {}

    /**
     * @param loader where the rail modules are
     * @return every provider found, by name
     * @throws IllegalStateException when two providers share a name
     */
    public static Map<String, RailProvider> providers(ClassLoader loader) {
        Map<String, RailProvider> found = new TreeMap<>();
        for (RailProvider p : ServiceLoader.load(RailProvider.class, loader)) {
            RailProvider before = found.putIfAbsent(p.name(), p);
            if (before != null && !before.getClass().equals(p.getClass())) {
                throw new IllegalStateException("two rail providers are named '" + p.name() + "': "
                        + before.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        return found;
    }

    /**
     * Builds the enabled rails in order. When one fails, those already built are closed.
     *
     * @param enabled provider names, as in {@code holdfast.rails.enabled}
     * @param settings a provider name to its settings
     * @param loader where the rail modules are
     * @return the rails by id, in the order enabled
     * @throws RailConfigurationException when a name has no provider, a rail's keys are wrong, or two rails share an
     *     id
     */
    public static Map<RailId, PaymentRail> load(
            List<String> enabled, Function<String, RailSettings> settings, ClassLoader loader) {
        Map<String, RailProvider> providers = providers(loader);
        Map<RailId, PaymentRail> rails = new LinkedHashMap<>();
        try {
            for (String name : enabled) {
                RailProvider p = providers.get(name);
                if (p == null) {
                    throw new RailConfigurationException(
                            "holdfast.rails.enabled",
                            "no rail provider named '" + name + "' is on the class path (found: " + providers.keySet()
                                    + "); add the rail's module to the application");
                }
                PaymentRail rail = p.create(settings.apply(name));
                if (rails.putIfAbsent(rail.id(), rail) != null) {
                    close(rail);
                    throw new RailConfigurationException(
                            "holdfast.rails." + name + ".id", "a second rail with id " + rail.id());
                }
            }
            return rails;
        } catch (RuntimeException e) {
            rails.values().forEach(RailLoader::close);
            throw e;
        }
    }

    static void close(PaymentRail rail) {
        PaymentRail inner = rail instanceof MeteredPaymentRail m ? m.delegate() : rail;
        if (inner instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                System.getLogger(RailLoader.class.getName())
                        .log(System.Logger.Level.WARNING, "closing rail " + rail.id() + " failed", e);
            }
        }
    }
}
