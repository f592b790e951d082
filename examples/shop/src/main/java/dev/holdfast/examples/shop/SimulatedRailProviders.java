package dev.holdfast.examples.shop;

import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailSettings;

/**
 * Rail providers named {@code simulated-lightning}, {@code simulated-stellar} and {@code simulated-openpayments}: they
 * hand the plugin the real Lightning, Stellar and Open Payments rails that {@link SimulatedNetwork} built against the
 * in-process simulators. {@code holdfast.rails.enabled=simulated-lightning,simulated-stellar,simulated-openpayments}
 * is the shop's default; {@code lightning,stellar,openpayments} (the adapters' own providers) with real endpoints is
 * the same shop on real networks. The rail ids are the same either way. Registered in {@code
 * META-INF/services/dev.holdfast.spi.RailProvider}.
 */
public final class SimulatedRailProviders {
    private SimulatedRailProviders() {}

    /** {@code simulated-lightning}. */
    public static final class Lightning implements RailProvider {
        @Override
        public String name() {
            return "simulated-lightning";
        }

        @Override
        public PaymentRail create(RailSettings settings) {
            return SimulatedNetwork.rails().lightning();
        }
    }

    /** {@code simulated-stellar}. */
    public static final class Stellar implements RailProvider {
        @Override
        public String name() {
            return "simulated-stellar";
        }

        @Override
        public PaymentRail create(RailSettings settings) {
            return SimulatedNetwork.rails().stellar();
        }
    }

    /** {@code simulated-openpayments}. */
    public static final class OpenPayments implements RailProvider {
        @Override
        public String name() {
            return "simulated-openpayments";
        }

        @Override
        public PaymentRail create(RailSettings settings) {
            return SimulatedNetwork.rails().openPayments();
        }
    }
}
