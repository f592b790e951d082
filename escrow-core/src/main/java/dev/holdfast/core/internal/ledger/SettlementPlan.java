package dev.holdfast.core.internal.ledger;

import dev.holdfast.api.Money;
import java.math.BigInteger;

/**
 * How a dispute's outcome is paid for one milestone: a refund leg to the buyer and a release leg to the seller, each
 * possibly zero. The two legs always draw exactly what is held.
 *
 * <p>The fee rule on splits: the platform fee is charged only on the released part, pro rata. With {@code C} the
 * contested amount (held less the buyer's fee) and {@code S} the seller's part of it, each frozen fee part is scaled
 * by {@code S / C} and rounded down: {@code floor(buyerFee × S / C)} and {@code floor(sellerFee × S / C)}. The unused
 * part of the buyer's fee goes back to the buyer with the refund leg. Immutable and thread-safe.
 *
 * @param refund what the buyer gets back (zero: no refund leg)
 * @param releaseAmount what the seller receives (zero: no release leg)
 * @param releaseFee what the platform keeps with the release leg
 */
public record SettlementPlan(Money refund, Money releaseAmount, Money releaseFee) {

    /**
     * @param held what the escrow holds for the milestone
     * @param buyerFee the milestone's frozen buyer fee
     * @param sellerFee the milestone's frozen seller fee
     * @param toSeller the seller's part of the contested amount {@code held − buyerFee}
     * @return the plan
     * @throws IllegalArgumentException when toSeller is outside 0..contested
     */
    public static SettlementPlan of(Money held, Money buyerFee, Money sellerFee, Money toSeller) {
        Money contested = held.minus(buyerFee);
        Money zero = Money.zero(held.asset());
        if (toSeller.isNegative() || toSeller.compareTo(contested) > 0) {
            throw new IllegalArgumentException(toSeller + " is not a share of " + contested);
        }
        if (toSeller.isZero()) {
            return new SettlementPlan(held, zero, zero);
        }
        Money fee = buyerFee.plus(sellerFee);
        if (toSeller.equals(contested)) {
            return new SettlementPlan(zero, held.minus(fee), fee);
        }
        Money buyerPart = proRata(buyerFee, toSeller, contested);
        Money sellerPart = proRata(sellerFee, toSeller, contested);
        return new SettlementPlan(
                held.minus(toSeller).minus(buyerPart), toSeller.minus(sellerPart), buyerPart.plus(sellerPart));
    }

    /** @return what the release leg draws from the held funds */
    public Money releaseDrawn() {
        return releaseAmount.plus(releaseFee);
    }

    /** @return true when the seller gets something */
    public boolean hasRelease() {
        return releaseDrawn().isPositive();
    }

    /** @return true when the buyer gets something */
    public boolean hasRefund() {
        return refund.isPositive();
    }

    private static Money proRata(Money fee, Money part, Money whole) {
        // exact integer arithmetic (no decimals): fee × part can exceed a long at msat scale
        BigInteger scaled = BigInteger.valueOf(fee.minor())
                .multiply(BigInteger.valueOf(part.minor()))
                .divide(BigInteger.valueOf(whole.minor()));
        return Money.of(scaled.longValueExact(), fee.asset());
    }
}
