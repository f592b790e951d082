/**
 * What payment rails and stores implement so the engine can use them.
 *
 * <p><b>Rails</b> implement {@link dev.holdfast.spi.PaymentRail}. The engine generates every {@link
 * dev.holdfast.api.TransferId}; a rail must be idempotent on it: a second request with a transfer id it has seen
 * returns the first request's outcome and moves no money. Outcomes are values ({@link
 * dev.holdfast.spi.RailResult}), not exceptions. The contract is written down with requirement ids in {@code
 * docs/rail-contract.md} and checked by the {@code escrow-tck} module.
 *
 * <p><b>Stores</b> implement {@link dev.holdfast.spi.HoldfastStore}: one unit of work over events, ledger,
 * idempotency records, timers, rail operations, audit log and outbox, so a state change and everything it implies
 * commit together or not at all.
 *
 * @since 0.1
 */
package dev.holdfast.spi;
