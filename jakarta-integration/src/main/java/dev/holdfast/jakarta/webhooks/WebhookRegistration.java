package dev.holdfast.jakarta.webhooks;

import java.util.List;

/**
 * The body of a webhook registration.
 *
 * @param url where to POST events, http or https
 * @param eventTypes the event types to receive; {@code null} or empty for every type
 * @param description the operator's note, optional
 * @param secret the signing secret (24 to 200 characters), or {@code null} to have one generated
 */
public record WebhookRegistration(String url, List<String> eventTypes, String description, String secret) {
    @Override
    public String toString() {
        return "WebhookRegistration[url=" + url + ", eventTypes=" + eventTypes + ", secret=***]";
    }
}
