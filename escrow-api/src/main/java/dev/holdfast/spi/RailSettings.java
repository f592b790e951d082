package dev.holdfast.spi;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link RailProvider} builds its rail from: a read-only view over the configuration keys under {@code
 * holdfast.rails.<name>.}, the engine's clock, and optional components the host supplies (a durable transfer log, a
 * directory of the parties' accounts).
 *
 * <p>Keys are given without the prefix: {@code get("host")} reads {@code holdfast.rails.lightning.host}. The typed
 * helpers fail with a {@link RailConfigurationException} that names the full key. Durations are ISO-8601 ({@code
 * PT10S}) or a number with a unit suffix ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}).
 *
 * <p>Implementations are thread-safe; {@link #of} gives one over a map, for Java SE hosts and tests.
 *
 * @since 0.5
 */
public interface RailSettings {

    /** @return the rail's configuration name, as in {@link RailProvider#name()} */
    String railName();

    /**
     * @param key a key without the {@code holdfast.rails.<name>.} prefix
     * @return its value, trimmed; empty when absent or blank
     */
    Optional<String> get(String key);

    /** @return the clock the engine runs on; rails read deadlines from it */
    Clock clock();

    /**
     * A component the host supplies for this rail, such as a durable transfer log or an account directory. A Jakarta
     * host answers with a CDI bean of that type; a Java SE host with what it registered.
     *
     * @param type the component's type
     * @param <T> the component's type
     * @return the host's component, or empty to let the provider use its default
     */
    default <T> Optional<T> component(Class<T> type) {
        return Optional.empty();
    }

    /**
     * @param key a key without the prefix
     * @return the full key, e.g. {@code holdfast.rails.lightning.host}
     */
    default String fullKey(String key) {
        return "holdfast.rails." + railName() + "." + key;
    }

    /**
     * @param key a key without the prefix
     * @return its value
     * @throws RailConfigurationException when it is absent
     */
    default String require(String key) {
        return get(key).orElseThrow(() -> new RailConfigurationException(fullKey(key), "is required"));
    }

    /**
     * @param key a key without the prefix
     * @param parser turns the text into a value; its {@link IllegalArgumentException} message says what is expected
     * @param <T> the value's type
     * @return the parsed value, if the key is present
     * @throws RailConfigurationException when the value does not parse
     */
    default <T> Optional<T> parse(String key, Function<String, T> parser) {
        Optional<String> text = get(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(text.get()));
        } catch (RuntimeException e) {
            throw new RailConfigurationException(
                    fullKey(key), e.getMessage() == null ? "invalid value" : e.getMessage(), e);
        }
    }

    /**
     * @param key a key without the prefix
     * @param fallback the value when absent
     * @return the value as a long
     * @throws RailConfigurationException when it is not a whole number
     */
    default long getLong(String key, long fallback) {
        return parse(key, s -> {
                    try {
                        return Long.parseLong(s);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not a whole number: '" + s + "'");
                    }
                })
                .orElse(fallback);
    }

    /**
     * @param key a key without the prefix
     * @param fallback the value when absent
     * @return the value as an int
     * @throws RailConfigurationException when it is not a whole number in int range
     */
    default int getInt(String key, int fallback) {
        long value = getLong(key, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new RailConfigurationException(fullKey(key), "out of range: " + value);
        }
        return (int) value;
    }

    /**
     * @param key a key without the prefix
     * @param fallback the value when absent
     * @return the value as a boolean
     * @throws RailConfigurationException when it is neither {@code true} nor {@code false}
     */
    default boolean getBoolean(String key, boolean fallback) {
        return parse(key, s -> switch (s.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("expected true or false, got '" + s + "'");
                })
                .orElse(fallback);
    }

    /**
     * @param key a key without the prefix
     * @param fallback the value when absent
     * @return the value as a positive duration
     * @throws RailConfigurationException when it is not a positive duration
     */
    default Duration getDuration(String key, Duration fallback) {
        return parse(key, RailSettings::parseDuration).orElse(fallback);
    }

    /**
     * Parses {@code PT10S}, {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h} or {@code 1d}.
     *
     * @param text the text
     * @return a positive duration
     * @throws IllegalArgumentException when it is not one
     */
    static Duration parseDuration(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (s.startsWith("p")) {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } else if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("d")) {
                d = Duration.ofDays(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                throw new IllegalArgumentException();
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            d = null;
        } catch (IllegalArgumentException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(
                    "expected a positive duration such as PT10S, 500ms, 10s, 5m, 2h or 1d, got '" + text + "'");
        }
        return d;
    }

    /**
     * Settings over a map of keys without the prefix, for Java SE hosts and tests.
     *
     * @param railName the rail's configuration name
     * @param values keys without the prefix to values (copied)
     * @param clock the clock
     * @return the settings, without host components
     */
    static RailSettings of(String railName, Map<String, String> values, Clock clock) {
        Objects.requireNonNull(railName, "railName");
        Map<String, String> copy = Map.copyOf(values);
        Objects.requireNonNull(clock, "clock");
        return new RailSettings() {
            @Override
            public String railName() {
                return railName;
            }

            @Override
            public Optional<String> get(String key) {
                return Optional.ofNullable(copy.get(key)).map(String::trim).filter(v -> !v.isEmpty());
            }

            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public String toString() {
                return "RailSettings[" + railName + ", keys=" + copy.keySet() + "]";
            }
        };
    }
}
