/**
 * A simulated Open Payments account servicing entity (like Rafiki) for testing Open Payments clients and rails: wallet
 * addresses with JWKS, a GNAP authorization server (non-interactive and interactive grants, continuation, token
 * rotation and revocation) and a resource server (incoming payments, quotes, outgoing payments) that verifies the
 * RFC 9421 signature and RFC 9530 content digest of every request, binds tokens to keys, enforces access and limits,
 * and moves money between its wallets. Entry point: {@link dev.holdfast.openpayments.simulator.OpenPaymentsSimulator}.
 */
package dev.holdfast.openpayments.simulator;
