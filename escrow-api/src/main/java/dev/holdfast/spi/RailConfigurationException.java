package dev.holdfast.spi;

import java.util.Objects;

/**
 * A rail's configuration is missing a key or has an invalid value. The message names the full key (e.g. {@code
 * holdfast.rails.lightning.port}) and what is expected, never a secret value.
 *
 * @since 0.5
 */
public class RailConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The full configuration key at fault. */
    private final String key;

    /**
     * @param key the full configuration key at fault
     * @param problem what is wrong and what is expected
     */
    public RailConfigurationException(String key, String problem) {
        super(Objects.requireNonNull(key, "key") + ": " + problem);
        this.key = key;
    }

    /**
     * @param key the full configuration key at fault
     * @param problem what is wrong and what is expected
     * @param cause the parse error
     */
    public RailConfigurationException(String key, String problem, Throwable cause) {
        super(Objects.requireNonNull(key, "key") + ": " + problem, cause);
        this.key = key;
    }

    /** @return the full configuration key at fault */
    public String key() {
        return key;
    }
}
