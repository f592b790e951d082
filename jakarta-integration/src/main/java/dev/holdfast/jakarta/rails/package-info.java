/**
 * The REST endpoint rails' callbacks come back to ({@code GET holdfast/v1/rails/{rail}/callback}), adapter-agnostic
 * through {@link dev.holdfast.spi.PaymentRail#onCallback}.
 */
package dev.holdfast.jakarta.rails;
