/**
 * Who may do what: the caller comes from the host's authentication, the role from the escrow itself. Anyone who is
 * not a party of an escrow (and not an operator) is told it does not exist.
 */
package dev.holdfast.jakarta.security;
