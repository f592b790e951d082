/**
 * A simulated LND node for testing Lightning payment rails: LND's gRPC services (Lightning, Invoices, Router) served
 * in-process and over TLS with macaroons, with LND's hold-invoice state machine, error strings, block-height clock,
 * BOLT11 payment requests and steerable faults. Entry point: {@link dev.holdfast.lightning.simulator.LndSimulator}.
 */
package dev.holdfast.lightning.simulator;
