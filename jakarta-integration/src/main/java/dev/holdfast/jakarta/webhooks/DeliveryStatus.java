package dev.holdfast.jakarta.webhooks;

/** Where a webhook delivery stands. */
public enum DeliveryStatus {
    /** Waiting for its next attempt. */
    PENDING,
    /** An attempt was answered 2xx. */
    DELIVERED,
    /** Retried for the whole retry window without a 2xx (or its endpoint is disabled); a manual redelivery re-arms it. */
    FAILED
}
