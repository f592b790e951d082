package dev.holdfast.core.internal.lifecycle;

import dev.holdfast.api.Asset;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand.CreateEscrow;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.MilestoneTerms;
import dev.holdfast.api.Money;
import dev.holdfast.api.Role;
import dev.holdfast.core.internal.ledger.FeeCalculator;
import dev.holdfast.spi.AssetLimits;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailCapabilities;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@link CreateEscrow} against itself, the clock and the chosen rail's capabilities before anything is
 * recorded, so a bad request changes nothing. Stateless and thread-safe.
 */
public final class CreateValidation {
    static final int MAX_MILESTONES = 100;
    static final int MAX_METADATA = 20;
    static final Duration MAX_PERIOD = Duration.ofDays(366);

    private CreateValidation() {}

    /**
     * @param c the command
     * @param now the engine's time
     * @param rails configured rails by id
     * @return the milestones with frozen fees
     * @throws EscrowException with the first problem found
     */
    public static List<MilestoneTerms> validate(CreateEscrow c, Instant now, Map<?, PaymentRail> rails) {
        require(c.buyer() != null, "buyer is required");
        require(c.seller() != null, "seller is required");
        require(c.rail() != null, "rail is required");
        require(c.amount() != null, "amount is required");
        require(c.fundBy() != null, "fundBy is required");
        require(c.inspectionPeriod() != null, "inspectionPeriod is required");
        require(c.disputeWindow() != null, "disputeWindow is required");
        Role role = c.actor().role();
        if (!(role == Role.PLATFORM || (role == Role.BUYER && c.actor().party().equals(c.buyer())))) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, c.actor(), "create", "for buyer " + c.buyer());
        }
        if (c.buyer().equals(c.seller())) {
            throw new EscrowException(ErrorCode.SAME_PARTY, c.buyer());
        }
        if (!c.amount().isPositive()) {
            throw new EscrowException(ErrorCode.INVALID_AMOUNT, c.amount());
        }
        checkPeriods(c);
        checkText(c);
        if (!c.fundBy().isAfter(now)) {
            throw new EscrowException(ErrorCode.DEADLINE_IN_PAST, "fundBy", c.fundBy(), now);
        }
        List<MilestoneSpec> specs = c.milestones();
        checkMilestones(c, specs, now);

        PaymentRail rail = rails.get(c.rail());
        if (rail == null) {
            throw new EscrowException(ErrorCode.RAIL_NOT_FOUND, c.rail());
        }
        Asset asset = c.amount().asset();
        List<MilestoneTerms> terms = FeeCalculator.freeze(specs, c.fee(), asset);
        checkRail(c, rail, terms, now);
        return terms;
    }

    private static void checkPeriods(CreateEscrow c) {
        if (c.inspectionPeriod().isNegative() || c.inspectionPeriod().compareTo(MAX_PERIOD) > 0) {
            throw new EscrowException(ErrorCode.INVALID_DEADLINES, "inspectionPeriod must be 0 to 366 days");
        }
        if (c.disputeWindow().isNegative() || c.disputeWindow().compareTo(MAX_PERIOD) > 0) {
            throw new EscrowException(ErrorCode.INVALID_DEADLINES, "disputeWindow must be 0 to 366 days");
        }
    }

    private static void checkText(CreateEscrow c) {
        require(c.reference().length() <= 200, "reference is longer than 200 characters");
        require(c.metadata().size() <= MAX_METADATA, "metadata has more than " + MAX_METADATA + " entries");
        c.metadata().forEach((k, v) -> {
            require(k.length() >= 1 && k.length() <= 40, "metadata key must be 1 to 40 characters: " + k);
            require(v != null && v.length() <= 500, "metadata value of " + k + " is longer than 500 characters");
        });
    }

    private static void checkMilestones(CreateEscrow c, List<MilestoneSpec> specs, Instant now) {
        if (specs.isEmpty() || specs.size() > MAX_MILESTONES) {
            throw new EscrowException(ErrorCode.INVALID_MILESTONES, "an escrow has 1 to " + MAX_MILESTONES);
        }
        Set<MilestoneId> seen = new HashSet<>();
        Money sum = Money.zero(c.amount().asset());
        for (MilestoneSpec m : specs) {
            if (!seen.add(m.id())) {
                throw new EscrowException(ErrorCode.INVALID_MILESTONES, "milestone id " + m.id() + " is used twice");
            }
            if (m.amountMinor() <= 0) {
                throw new EscrowException(ErrorCode.INVALID_AMOUNT, "milestone " + m.id() + ": " + m.amountMinor());
            }
            if (m.title().length() > 200) {
                throw new EscrowException(ErrorCode.INVALID_MILESTONES, "title of " + m.id() + " is too long");
            }
            if (!m.deliverBy().isAfter(now)) {
                throw new EscrowException(ErrorCode.DEADLINE_IN_PAST, "deliverBy of " + m.id(), m.deliverBy(), now);
            }
            if (!m.deliverBy().isAfter(c.fundBy())) {
                throw new EscrowException(
                        ErrorCode.INVALID_DEADLINES, "deliverBy of " + m.id() + " must be after fundBy " + c.fundBy());
            }
            sum = sum.plus(Money.of(m.amountMinor(), c.amount().asset()));
        }
        if (!sum.equals(c.amount())) {
            throw new EscrowException(ErrorCode.MILESTONE_SUM_MISMATCH, sum, c.amount());
        }
    }

    private static void checkRail(CreateEscrow c, PaymentRail rail, List<MilestoneTerms> terms, Instant now) {
        RailCapabilities caps = rail.capabilities();
        Asset asset = c.amount().asset();
        AssetLimits limits = caps.limits(asset)
                .orElseThrow(() -> new EscrowException(ErrorCode.ASSET_NOT_SUPPORTED, rail.id(), asset));
        Money funded = Money.zero(asset);
        for (MilestoneTerms t : terms) {
            funded = funded.plus(t.funded());
        }
        if (!limits.accepts(funded)) {
            throw new EscrowException(
                    ErrorCode.AMOUNT_OUT_OF_RAIL_RANGE, rail.id(), limits.minMinor(), limits.maxMinor(), funded);
        }
        if (terms.size() > 1 && !caps.partialRelease()) {
            throw new EscrowException(ErrorCode.PARTIAL_RELEASE_NOT_SUPPORTED, rail.id());
        }
        if (caps.maxHoldDuration().isPresent()) {
            Duration max = caps.maxHoldDuration().get();
            Duration worst = Duration.between(now, holdUntil(c, terms));
            if (worst.compareTo(max) > 0) {
                throw new EscrowException(ErrorCode.TERMS_EXCEED_RAIL_HOLD, worst, rail.id(), max);
            }
        }
    }

    /**
     * @param c the command
     * @param terms frozen milestones
     * @return the latest moment the terms may still need the funds held: last delivery deadline plus inspection
     *     period plus dispute window
     */
    public static Instant holdUntil(CreateEscrow c, List<MilestoneTerms> terms) {
        return holdUntil(terms, c.inspectionPeriod(), c.disputeWindow());
    }

    /**
     * @param terms frozen milestones
     * @param inspection inspection period
     * @param dispute dispute window
     * @return last delivery deadline plus inspection period plus dispute window
     */
    public static Instant holdUntil(List<MilestoneTerms> terms, Duration inspection, Duration dispute) {
        Instant last = terms.get(0).deliverBy();
        for (MilestoneTerms t : terms) {
            if (t.deliverBy().isAfter(last)) {
                last = t.deliverBy();
            }
        }
        return last.plus(inspection).plus(dispute);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, problem);
        }
    }
}
