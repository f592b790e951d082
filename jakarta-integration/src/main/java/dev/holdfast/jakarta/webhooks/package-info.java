/**
 * Signed outbound webhooks: endpoints an operator registers, a fan-out {@link dev.holdfast.spi.EventSink} that turns
 * each outbox event into one delivery per matching endpoint, a worker that POSTs due deliveries (leases with
 * {@code FOR UPDATE SKIP LOCKED}, so several app nodes share the work) and retries with capped exponential backoff,
 * the operator REST API, and {@link dev.holdfast.jakarta.webhooks.WebhookVerifier} for receivers.
 *
 * <p>Storage is plain JDBC on the tables of migration {@code V100__webhooks.sql}, independent of the JPA unit.
 */
package dev.holdfast.jakarta.webhooks;
