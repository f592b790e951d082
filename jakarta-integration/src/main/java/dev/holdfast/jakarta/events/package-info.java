/**
 * The event feed ({@code GET holdfast/v1/events}) and live events over server-sent events
 * ({@code GET holdfast/v1/events/stream}), both read from the engine's outbox in the shared store, so every app node
 * serves every event; operators read everything, a party only the escrows it is buyer, seller or arbiter of.
 */
package dev.holdfast.jakarta.events;
