package dev.holdfast.spi;

/**
 * Builds one kind of {@link PaymentRail} from configuration: how a host finds rails without depending on their
 * modules. A rail module registers its provider in {@code META-INF/services/dev.holdfast.spi.RailProvider}; the host
 * loads providers with {@link java.util.ServiceLoader}, picks those named in {@code holdfast.rails.enabled}, and hands
 * each a {@link RailSettings} view over the keys under {@code holdfast.rails.<name>.}.
 *
 * <pre>{@code
 * for (RailProvider p : ServiceLoader.load(RailProvider.class)) {
 *     if (enabled.contains(p.name())) {
 *         builder.rail(p.create(RailSettings.of(p.name(), properties, clock)));
 *     }
 * }
 * }</pre>
 *
 * <p>Implementations have a public no-argument constructor, are stateless and thread-safe. {@link #create} checks
 * every key before building anything and fails with a {@link RailConfigurationException} naming the full key, so a
 * misconfigured host stops at start-up with a message an operator can act on.
 *
 * @since 0.5
 */
public interface RailProvider {

    /**
     * The rail's configuration name: lower case letters, digits and dashes, e.g. {@code lightning}, {@code stellar},
     * {@code openpayments}, {@code sandbox}. It is also the rail id of the rail built, unless the settings say
     * otherwise.
     *
     * @return the name
     */
    String name();

    /**
     * Builds a rail from settings. The rail may start background threads; a rail that is {@link AutoCloseable} is
     * closed by the host when it stops.
     *
     * @param settings the keys under {@code holdfast.rails.<name>.}, the clock, and host components
     * @return a new rail
     * @throws RailConfigurationException when a key is missing or invalid; nothing was started
     */
    PaymentRail create(RailSettings settings);
}
