/**
 * Secrets the plugin keeps at rest (webhook signing secrets), encrypted with AES-256-GCM under keys that can rotate.
 * A {@link dev.holdfast.jakarta.secrets.Secret} never shows its value in {@code toString()}, logs or responses.
 */
package dev.holdfast.jakarta.secrets;
