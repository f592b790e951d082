package dev.holdfast.stellar.internal;

import java.math.BigDecimal;

/** Stroops (long) to and from the SDK's decimal strings, exactly. */
public final class Stroops {
    private Stroops() {}

    /**
     * @param stroops an amount in stroops
     * @return it as the SDK writes amounts, e.g. {@code 1.2500000}
     */
    public static String format(long stroops) {
        return BigDecimal.valueOf(stroops, 7).toPlainString();
    }

    /**
     * @param amount an amount as Horizon writes it
     * @return stroops
     * @throws ArithmeticException when it has more than 7 decimals or does not fit a long
     */
    public static long parse(String amount) {
        return new BigDecimal(amount).movePointRight(7).longValueExact();
    }
}
