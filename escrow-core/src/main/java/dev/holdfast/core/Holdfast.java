package dev.holdfast.core;

import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.RailId;
import dev.holdfast.core.internal.engine.DefaultEscrowEngine;
import dev.holdfast.core.memory.InMemoryEvidenceStore;
import dev.holdfast.spi.EventSink;
import dev.holdfast.spi.EvidenceStore;
import dev.holdfast.spi.HoldfastStore;
import dev.holdfast.spi.PaymentRail;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds an {@link EscrowEngine}. The engine's only entry point in this module:
 *
 * <pre>{@code
 * EscrowEngine engine = Holdfast.builder()
 *         .store(new InMemoryStore())
 *         .rail(SandboxRail.builder().build())
 *         .build();
 * }</pre>
 *
 * <p>Several engines may share one store (one per app node); give each its own {@link EngineConfig#nodeId()}. The
 * builder is not thread-safe; the engine is.
 *
 * @since 0.1
 */
public final class Holdfast {
    private Holdfast() {}

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects what the engine needs. */
    public static final class Builder {
        private HoldfastStore store;
        private final Map<RailId, PaymentRail> rails = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private EventSink sink;
        private EngineConfig config = EngineConfig.defaults();
        private DisputePolicy disputes = DisputePolicy.defaults();
        private EvidenceStore evidence;

        private Builder() {}

        /**
         * @param store where state lives
         * @return this
         */
        public Builder store(HoldfastStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Adds a rail; escrows name it by {@link PaymentRail#id()}.
         *
         * @param rail a rail
         * @return this
         */
        public Builder rail(PaymentRail rail) {
            if (rails.putIfAbsent(rail.id(), rail) != null) {
                throw new IllegalArgumentException("two rails named " + rail.id());
            }
            return this;
        }

        /**
         * @param clock the clock; a {@link dev.holdfast.api.TestClock} enables {@link EscrowEngine#advanceTime}
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param sink where the outbox delivers events, or {@code null} to keep them in the store's feed only
         * @return this
         */
        public Builder eventSink(EventSink sink) {
            this.sink = sink;
            return this;
        }

        /**
         * @param config tuning
         * @return this
         */
        public Builder config(EngineConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param policy how disputes run; {@link DisputePolicy#defaults()} when not given
         * @return this
         * @since 0.2
         */
        public Builder disputes(DisputePolicy policy) {
            this.disputes = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param store where evidence bytes are kept; an {@link InMemoryEvidenceStore} when not given
         * @return this
         * @since 0.2
         */
        public Builder evidenceStore(EvidenceStore store) {
            this.evidence = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * @return the engine, registered as listener of every rail
         * @throws IllegalStateException when no store or no rail was given
         */
        public EscrowEngine build() {
            if (store == null || rails.isEmpty()) {
                throw new IllegalStateException("an engine needs a store and at least one rail");
            }
            return new DefaultEscrowEngine(
                    store,
                    Map.copyOf(rails),
                    clock,
                    sink,
                    config,
                    disputes,
                    evidence != null ? evidence : new InMemoryEvidenceStore());
        }
    }
}
