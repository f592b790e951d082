/**
 * The Open Payments client written in-house: wallet address discovery, GNAP grants, resources, RFC 9421 signatures
 * and RFC 9530 digests. Not API: may change in any release.
 */
package dev.holdfast.openpayments.internal;
