package dev.holdfast.core.sandbox;

import dev.holdfast.api.RailId;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailProvider;
import dev.holdfast.spi.RailSettings;

/**
 * Builds the {@link SandboxRail} from configuration, for a host's test mode and demos. Keys under {@code
 * holdfast.rails.sandbox.}, all optional:
 *
 * <ul>
 *   <li>{@code id}: the rail id, default {@code sandbox}
 *   <li>{@code auto-fund}: fundings are paid as soon as they are opened, default {@code false}
 *   <li>{@code max-hold}: how long a funded hold lasts (e.g. {@code 22h}), default none
 *   <li>{@code party-signatures}: releases and refunds wait for a party's signature, default {@code false}
 *   <li>{@code partial-release}, {@code refund-after-settlement}: default {@code true}
 *   <li>{@code rail-fee-minor}: flat fee per payout to a rail address, default 0
 * </ul>
 *
 * <p>Moves no real money: never enable it in production. Stateless and thread-safe.
 *
 * @since 0.5
 */
public final class SandboxRailProvider implements RailProvider {
    /** The provider's name. */
    public static final String NAME = "sandbox";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PaymentRail create(RailSettings settings) {
        SandboxRail.Builder b = SandboxRail.builder()
                .id(RailId.of(settings.get("id").orElse(NAME)))
                .clock(settings.clock())
                .autoFund(settings.getBoolean("auto-fund", false))
                .partySignatures(settings.getBoolean("party-signatures", false))
                .partialRelease(settings.getBoolean("partial-release", true))
                .refundAfterSettlement(settings.getBoolean("refund-after-settlement", true))
                .railFeeMinor(settings.getLong("rail-fee-minor", 0));
        settings.parse("max-hold", RailSettings::parseDuration).ifPresent(b::maxHold);
        return b.build();
    }
}
