/**
 * The three rail simulators in-process, the real rails built against them from {@code holdfast.rails.*} properties,
 * and a simulated wallet that plays the buyer and the seller: {@link dev.holdfast.examples.simrails.SimulatedRails},
 * {@link dev.holdfast.examples.simrails.SimulatedWallet}, {@link dev.holdfast.examples.simrails.RailProperties}, {@link
 * dev.holdfast.examples.simrails.OpenPaymentsReturn}. For demos and tests; a host on real networks uses only {@code
 * RailProperties} and {@code OpenPaymentsReturn} from here, with the same keys pointing at real nodes.
 */
package dev.holdfast.examples.simrails;
