/**
 * The sandbox rail: a steerable, in-memory {@link dev.holdfast.spi.PaymentRail} for tests, demos and a host's test
 * mode, modelled on Kill Bill's {@code MockPaymentProviderPlugin}.
 *
 * <p>{@link dev.holdfast.core.sandbox.SandboxRail} holds funds natively (like a Lightning hold invoice), lets a test
 * make the next call fail, lose its answer or stall, and keeps exact books so a test can check that money is
 * conserved and that nothing moved twice. It passes the rail contract test kit ({@code escrow-tck}).
 *
 * @since 0.1
 */
package dev.holdfast.core.sandbox;
