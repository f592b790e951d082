package dev.holdfast.api;

import java.util.regex.Pattern;

/**
 * A currency or token and the number of decimal places its smallest unit stands for.
 *
 * <p>Examples: {@code Asset("BTC", 11)} counts millisatoshi, {@code Asset("XLM", 7)} counts stroops, {@code
 * Asset("USD", 2)} counts cents. Two assets are equal only when code and scale are both equal, so the same code
 * at two scales can never be mixed by accident. Immutable and thread-safe.
 *
 * @param code upper-case code of 1 to 12 letters or digits
 * @param scale number of decimal places of the smallest unit, 0 to 18
 * @since 0.1
 */
public record Asset(String code, int scale) {
    private static final Pattern CODE = Pattern.compile("[A-Z0-9]{1,12}");

    /** Bitcoin counted in millisatoshi, as Lightning does. */
    public static final Asset BTC_MSAT = new Asset("BTC", 11);
    /** Stellar lumens counted in stroops. */
    public static final Asset XLM = new Asset("XLM", 7);
    /** US dollars counted in cents. */
    public static final Asset USD = new Asset("USD", 2);
    /** Euros counted in cents. */
    public static final Asset EUR = new Asset("EUR", 2);

    /**
     * @throws EscrowException with {@link ErrorCode#INVALID_ASSET} when the code or scale is out of range
     */
    public Asset {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new EscrowException(ErrorCode.INVALID_ASSET, String.valueOf(code));
        }
        if (scale < 0 || scale > 18) {
            throw new EscrowException(ErrorCode.INVALID_ASSET, code + " at scale " + scale);
        }
    }

    @Override
    public String toString() {
        return code + "/" + scale;
    }
}
