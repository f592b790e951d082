/**
 * The Jakarta EE plugin: durable stores on JPA, the REST API, live events, webhooks and CDI wiring for a host app.
 */
package dev.holdfast.jakarta;
