package dev.holdfast.core.internal.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.Asset;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.MilestoneTerms;
import dev.holdfast.api.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FeeCalculatorTest {
    private static final Asset USD = Asset.USD;
    private static final Instant T = Instant.parse("2027-01-01T00:00:00Z");

    private static List<MilestoneSpec> specs(long... amounts) {
        List<MilestoneSpec> out = new ArrayList<>();
        for (int i = 0; i < amounts.length; i++) {
            out.add(new MilestoneSpec(MilestoneId.of("m" + (i + 1)), "", amounts[i], T));
        }
        return out;
    }

    @Test
    void rateRoundsDownPerMilestoneAndFixedPartGoesOnTheFirst() {
        List<MilestoneTerms> t = FeeCalculator.freeze(specs(999, 1001), new FeeSchedule(250, 30, FeePayer.BUYER), USD);
        // 2.5 % of 999 = 24.975 → 24, plus 30 fixed; 2.5 % of 1001 = 25.025 → 25
        assertThat(t.get(0).buyerFee()).isEqualTo(Money.of(54, USD));
        assertThat(t.get(1).buyerFee()).isEqualTo(Money.of(25, USD));
        assertThat(t.get(0).sellerFee().isZero()).isTrue();
        assertThat(t.get(0).funded()).isEqualTo(Money.of(999 + 54, USD));
    }

    @Test
    void splitFeeGivesTheOddUnitToTheSeller() {
        MilestoneTerms t = FeeCalculator.freeze(specs(1000), new FeeSchedule(0, 7, FeePayer.SPLIT), USD)
                .get(0);
        assertThat(t.buyerFee()).isEqualTo(Money.of(3, USD));
        assertThat(t.sellerFee()).isEqualTo(Money.of(4, USD));
    }

    @Test
    void aSellerFeeThatTakesTheWholeMilestoneIsRefused() {
        assertThatThrownBy(() -> FeeCalculator.freeze(specs(10), new FeeSchedule(0, 10, FeePayer.SELLER), USD))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INVALID_FEE);
    }

    @Property
    void feesNeverExceedTheRateOnTheTotalPlusTheFixedPart(
            @ForAll @Size(min = 1, max = 20) List<@LongRange(min = 1, max = 1_000_000_000L) Long> amounts,
            @ForAll @IntRange(min = 0, max = 5000) int bp,
            @ForAll @LongRange(min = 0, max = 1000) long fixed) {
        long[] a = amounts.stream().mapToLong(Long::longValue).toArray();
        long total = amounts.stream().mapToLong(Long::longValue).sum();
        List<MilestoneTerms> terms;
        try {
            terms = FeeCalculator.freeze(specs(a), new FeeSchedule(bp, fixed, FeePayer.SPLIT), USD);
        } catch (EscrowException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FEE);
            return;
        }
        long fees = 0;
        for (MilestoneTerms t : terms) {
            fees += t.buyerFee().minor() + t.sellerFee().minor();
            assertThat(t.buyerFee().minor()).isLessThanOrEqualTo(t.sellerFee().minor());
        }
        long cap = Money.of(total, USD).basisPoints(bp).minor() + fixed;
        assertThat(fees).isLessThanOrEqualTo(cap).isGreaterThanOrEqualTo(cap - amounts.size() + 1);
    }
}
