/**
 * CDI wiring of the plugin: {@link dev.holdfast.jakarta.cdi.HoldfastConfig} from MicroProfile Config, producers of
 * the engine and its parts ({@link dev.holdfast.jakarta.cdi.HoldfastProducers}, each replaceable by an {@code
 * @Alternative @Priority} bean of the host), the rails found by {@link dev.holdfast.spi.RailProvider}s ({@link
 * dev.holdfast.jakarta.cdi.HoldfastRails}), the background work on the container's managed scheduled executor
 * ({@link dev.holdfast.jakarta.cdi.HoldfastWorker}), readiness and metrics. Nothing in escrow-api or escrow-core needs
 * CDI: {@link dev.holdfast.jakarta.cdi.RailLoader} and {@link dev.holdfast.jakarta.cdi.MeteredPaymentRail} are plain
 * Java for Java SE hosts too.
 */
package dev.holdfast.jakarta.cdi;
