/** Stellar protocol code of the Stellar rail: Horizon access and escrow transaction builders. Not an API. */
package dev.holdfast.stellar.internal;
