/**
 * What a host marketplace calls: the {@link dev.holdfast.api.EscrowEngine}, its commands, read-only views,
 * events, exact {@link dev.holdfast.api.Money} and the stable {@link dev.holdfast.api.ErrorCode}s.
 *
 * <p>Every type here is immutable and thread-safe unless its Javadoc says otherwise. Amounts are always
 * integers in the asset's smallest unit; nothing in this package uses floating point.
 *
 * @since 0.1
 */
package dev.holdfast.api;
