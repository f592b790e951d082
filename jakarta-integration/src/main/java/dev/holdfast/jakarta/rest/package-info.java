/**
 * The plugin's REST API (JAX-RS 3.1, JSON-B): escrows, disputes, party balances and withdrawals, the audit log, under
 * {@code holdfast/v1} relative to the host's JAX-RS application path ({@code holdfast.rest.base-path} moves it; see
 * {@link dev.holdfast.jakarta.rest.BasePathFilter}).
 *
 * <p>Resources are thin: they ask {@link dev.holdfast.jakarta.security.EscrowAccess} who the caller is in the escrow,
 * build one command from a validated request body ({@link dev.holdfast.jakarta.rest.Requests}), and answer the
 * engine's view ({@link dev.holdfast.jakarta.rest.Views}). Every POST takes an {@code Idempotency-Key}, namespaced by
 * caller ({@link dev.holdfast.jakarta.rest.IdempotencyKeys}). Every error is an RFC 9457 problem with the stable
 * {@link dev.holdfast.api.ErrorCode} in {@code code} ({@link dev.holdfast.jakarta.rest.Problems}). Amounts are whole
 * numbers of the asset's smallest unit with its code and scale, never fractions.
 */
package dev.holdfast.jakarta.rest;
