package dev.holdfast.core.sandbox;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.Role;
import dev.holdfast.api.TestClock;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.RailResult;
import dev.holdfast.tck.rail.RailFaults;
import dev.holdfast.tck.rail.RailTestFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/** Plays the world around a {@link SandboxRail} for the rail contract test kit. */
final class SandboxRailFixture implements RailTestFixture {
    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T09:00:00Z"));
    private final AtomicLong destinations = new AtomicLong();
    private final SandboxRail rail;

    /** @param configure adjusts the builder, which already has this fixture's clock */
    SandboxRailFixture(UnaryOperator<SandboxRail.Builder> configure) {
        this.rail = configure.apply(SandboxRail.builder().clock(clock)).build();
    }

    @Override
    public SandboxRail rail() {
        return rail;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Money fundingAmount() {
        return Money.of(12_345, Asset.USD);
    }

    @Override
    public boolean buyerPays(FundingRequest request, RailResult openResult) {
        return rail.fund(request.transferId());
    }

    @Override
    public String sign(PartyInstruction.SignTransaction instruction) {
        return SandboxRail.sign(instruction);
    }

    @Override
    public PayoutDestination.RailAddress validDestination(Role party, Money amount) {
        return new PayoutDestination.RailAddress(
                "sandbox:" + party.name().toLowerCase(java.util.Locale.ROOT) + ":" + destinations.incrementAndGet());
    }

    @Override
    public void advanceRailTime(Duration duration) {
        clock.advance(duration);
        rail.tick();
    }

    @Override
    public Optional<RailFaults> faults() {
        return Optional.of(new RailFaults() {
            @Override
            public void failNext(String code) {
                rail.failNext(code);
            }

            @Override
            public void unknownNext() {
                rail.unknownNext();
            }

            @Override
            public void stallNext() {
                rail.stallNext();
            }

            @Override
            public void completeStalled() {
                rail.completeStalled();
            }
        });
    }

    @Override
    public Money receivedAt(PayoutDestination.RailAddress destination, Asset asset) {
        return Money.of(rail.paidTo(destination.address(), asset), asset);
    }

    @Override
    public Money platformBalance(Asset asset) {
        return Money.of(rail.platformBalance(asset), asset);
    }

    @Override
    public Money buyerNetPaid(FundingRequest funding) {
        return Money.of(
                rail.buyerNetPaid(funding.transferId()), funding.amount().asset());
    }

    @Override
    public Duration asyncTimeout() {
        // everything is synchronous: a wait that is not answered at once never will be
        return Duration.ofMillis(200);
    }
}
