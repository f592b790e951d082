/**
 * A simulated Horizon server for testing Stellar payment rails: Horizon's REST and server-sent-event endpoints over
 * an in-memory ledger that validates and applies submitted envelopes the way stellar-core does (sequence numbers,
 * time bounds, fees, signature weights, reserves, trustlines, claimable-balance predicates), with steerable faults.
 * Entry point: {@link dev.holdfast.stellar.simulator.HorizonSimulator}.
 */
package dev.holdfast.stellar.simulator;
