/**
 * The Stellar payment rail: {@link dev.holdfast.stellar.StellarPaymentRail}, configured by {@link
 * dev.holdfast.stellar.StellarRailConfig}. Ports the host implements: {@link
 * dev.holdfast.stellar.StellarAccountDirectory} (party to Stellar account) and {@link
 * dev.holdfast.stellar.StellarTransferLog} (the rail's record per transfer id); in-memory implementations of both are
 * included. Protocol code lives in {@code dev.holdfast.stellar.internal}. See {@code docs/rails/stellar.md}.
 */
package dev.holdfast.stellar;
