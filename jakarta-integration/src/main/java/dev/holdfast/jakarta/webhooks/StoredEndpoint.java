package dev.holdfast.jakarta.webhooks;

import java.time.Instant;

/**
 * An endpoint row with its sealed secrets; never leaves the package. The record's {@code toString} is overridden so
 * even sealed secrets stay out of logs.
 */
record StoredEndpoint(WebhookEndpoint endpoint, String secretSealed, String previousSecretSealed) {
    String id() {
        return endpoint.id();
    }

    /**
     * @param now the time
     * @return true while the rotated-out secret still signs
     */
    boolean previousSecretActive(Instant now) {
        return previousSecretSealed != null
                && endpoint.previousSecretUntil() != null
                && now.isBefore(endpoint.previousSecretUntil());
    }

    @Override
    public String toString() {
        return "StoredEndpoint[" + endpoint + "]";
    }
}
