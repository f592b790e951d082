package dev.holdfast.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request that came back to the host for a rail: a browser redirect after an interactive consent (Open Payments'
 * interaction finish), or a provider's notification. The host serves one generic endpoint per rail ({@code GET
 * .../rails/{rail}/callback[/{path}]}) and hands what it received to {@link PaymentRail#onCallback}, so it never needs
 * to know the rail's protocol. Anybody can call such an endpoint: a rail authenticates the callback itself (a hash,
 * a signature) and ignores one it cannot verify. Immutable and thread-safe.
 *
 * @param path what followed {@code /callback/} in the URL, without a leading slash, URL-decoded; empty when nothing
 * @param query the query parameters, each name to its values in order
 * @since 0.5
 */
public record RailCallback(String path, Map<String, List<String>> query) {
    public RailCallback {
        path = path == null ? "" : path;
        Objects.requireNonNull(query, "query");
        query = query.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(
                        Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /**
     * @param name a query parameter's name
     * @return its first value, if present
     */
    public Optional<String> first(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
