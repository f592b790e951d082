/**
 * The LND protocol client behind {@link dev.holdfast.lightning.LightningPaymentRail}: channels, LightningJ calls,
 * error classification, preimage derivation and LNURL-pay. Not API: may change in any release.
 */
package dev.holdfast.lightning.internal;
