package dev.holdfast.jakarta.webhooks;

/**
 * The answer to registering an endpoint or rotating its secret: the only time the secret is shown.
 *
 * @param endpoint the endpoint
 * @param secret the signing secret; store it with the receiver, it cannot be read again
 */
public record CreatedWebhook(WebhookEndpoint endpoint, String secret) {
    @Override
    public String toString() {
        return "CreatedWebhook[endpoint=" + endpoint + ", secret=***]";
    }
}
