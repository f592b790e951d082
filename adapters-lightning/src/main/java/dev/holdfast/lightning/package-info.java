/**
 * The Lightning payment rail: escrow with LND hold invoices.
 *
 * <p>Public surface: {@link dev.holdfast.lightning.LightningPaymentRail} (the {@link dev.holdfast.spi.PaymentRail}),
 * {@link dev.holdfast.lightning.LightningRailConfig} (how to reach the node and the rail's limits) and {@link
 * dev.holdfast.lightning.LightningTransferLog} (the port for the adapter's small per-transfer record, with {@link
 * dev.holdfast.lightning.InMemoryLightningTransferLog} for tests). The LND protocol client lives in {@code
 * dev.holdfast.lightning.internal} and is not API.
 *
 * <p>The adapter depends on the API's ports only, never on the engine ({@code escrow-core}).
 *
 * @since 0.1
 */
package dev.holdfast.lightning;
