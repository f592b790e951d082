/**
 * An in-memory {@link dev.holdfast.spi.HoldfastStore} for tests, demos and a host's test mode: {@link
 * dev.holdfast.core.memory.InMemoryStore}. Everything else in this package is its implementation.
 *
 * @since 0.1
 */
package dev.holdfast.core.memory;
