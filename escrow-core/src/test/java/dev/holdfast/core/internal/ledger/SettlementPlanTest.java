package dev.holdfast.core.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SettlementPlanTest {
    private static final Asset USD = Asset.USD;

    private static Money usd(long minor) {
        return Money.of(minor, USD);
    }

    @Test
    void aSplitChargesTheFeeOnlyOnTheReleasedPartRoundedDown() {
        // 10 000 milestone, buyer fee 300 on top, seller fee 1 000; the seller gets 2 501 of the 10 000
        SettlementPlan p = SettlementPlan.of(usd(10_300), usd(300), usd(1_000), usd(2_501));
        assertThat(p.releaseFee()).isEqualTo(usd(75 + 250)); // floor(300 × 0.2501), floor(1 000 × 0.2501)
        assertThat(p.releaseAmount()).isEqualTo(usd(2_501 - 250));
        assertThat(p.refund()).isEqualTo(usd(10_300 - 2_501 - 75));
    }

    @Test
    void theWholeContestedAmountIsANormalReleaseAndNothingIsANormalRefund() {
        SettlementPlan release = SettlementPlan.of(usd(10_300), usd(300), usd(1_000), usd(10_000));
        assertThat(release.hasRefund()).isFalse();
        assertThat(release.releaseFee()).isEqualTo(usd(1_300));
        SettlementPlan refund = SettlementPlan.of(usd(10_300), usd(300), usd(1_000), usd(0));
        assertThat(refund.hasRelease()).isFalse();
        assertThat(refund.refund()).isEqualTo(usd(10_300));
    }

    /** The legs draw exactly what is held, the fee never exceeds the frozen fee, and nobody gets a negative amount. */
    @Property
    void theLegsAlwaysDrawExactlyWhatIsHeld(
            @ForAll @LongRange(min = 2, max = 4_000_000_000_000_000L) long amount,
            @ForAll @LongRange(min = 0, max = 1_000_000_000L) long buyerFee,
            @ForAll @LongRange(min = 0, max = 10_000) long sellerFeeBp,
            @ForAll @LongRange(min = 0, max = 10_000) long shareBp) {
        long sellerFee = Math.min(
                amount - 1, Money.of(amount, USD).basisPoints((int) sellerFeeBp).minor());
        long toSeller = Money.of(amount, USD).basisPoints((int) shareBp).minor();
        Money held = usd(amount + buyerFee);
        SettlementPlan p = SettlementPlan.of(held, usd(buyerFee), usd(sellerFee), usd(toSeller));
        assertThat(p.refund().plus(p.releaseDrawn())).isEqualTo(held);
        assertThat(p.refund().isNegative()).isFalse();
        assertThat(p.releaseAmount().isNegative()).isFalse();
        assertThat(p.releaseFee().minor()).isBetween(0L, buyerFee + sellerFee);
        assertThat(p.releaseAmount().minor()).isLessThanOrEqualTo(toSeller);
    }
}
