package dev.holdfast.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class MoneyTest {
    private static final Asset USD = Asset.USD;

    @Property
    void addingThenSubtractingGivesTheSameAmount(
            @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long a,
            @ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long b) {
        assertThat(Money.of(a, USD).plus(Money.of(b, USD)).minus(Money.of(b, USD)))
                .isEqualTo(Money.of(a, USD));
    }

    @Property
    void basisPointSharesNeverExceedTheWholeAndLoseLessThanOneUnit(
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long amount,
            @ForAll @IntRange(min = 0, max = 10_000) int bp) {
        Money share = Money.of(amount, USD).basisPoints(bp);
        assertThat(share.minor()).isBetween(0L, amount);
        // exact check with 128-bit arithmetic: share = floor(amount × bp / 10 000)
        java.math.BigInteger exact = java.math.BigInteger.valueOf(amount)
                .multiply(java.math.BigInteger.valueOf(bp))
                .divide(java.math.BigInteger.valueOf(10_000));
        assertThat(share.minor()).isEqualTo(exact.longValueExact());
    }

    @Property
    void splittingByBasisPointsConservesTheAmount(
            @ForAll("amounts") long amount, @ForAll @IntRange(min = 0, max = 10_000) int bp) {
        Money whole = Money.of(amount, USD);
        Money part = whole.basisPoints(bp);
        Money rest = whole.minus(part);
        assertThat(part.plus(rest)).isEqualTo(whole);
        assertThat(rest.isNegative()).isFalse();
    }

    @Provide
    Arbitrary<Long> amounts() {
        return Arbitraries.longs().between(0, 9_000_000_000_000_000L);
    }

    @Test
    void overflowIsAnErrorNotAWrapAround() {
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, USD).plus(Money.of(1, USD)))
                .isInstanceOf(EscrowException.class)
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.AMOUNT_OVERFLOW);
    }

    @Test
    void mixingAssetsIsAnError() {
        assertThatThrownBy(() -> Money.of(1, USD).plus(Money.of(1, Asset.EUR)))
                .isInstanceOf(EscrowException.class)
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.ASSET_MISMATCH);
    }

    @Test
    void sameCodeAtAnotherScaleIsAnotherAsset() {
        assertThatThrownBy(() -> Money.of(1, new Asset("BTC", 8)).plus(Money.of(1, Asset.BTC_MSAT)))
                .isInstanceOf(EscrowException.class);
    }

    @Test
    void invalidAssetsAreRefused() {
        assertThatThrownBy(() -> new Asset("usd", 2)).isInstanceOf(EscrowException.class);
        assertThatThrownBy(() -> new Asset("USD", 19)).isInstanceOf(EscrowException.class);
        assertThatThrownBy(() -> new Asset("USD", -1)).isInstanceOf(EscrowException.class);
    }

    @Test
    void basisPointsOutsideTheWholeAreRefused() {
        assertThatThrownBy(() -> Money.of(100, USD).basisPoints(10_001))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INVALID_FEE);
    }
}
