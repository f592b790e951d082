package dev.holdfast.api;

import java.util.regex.Pattern;

/** Shared validation of the typed ids; not API. */
final class Ids {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:@$/+\\-]{1,200}");

    private Ids() {}

    static String check(String kind, String value) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new EscrowException(ErrorCode.INVALID_ID, kind, String.valueOf(value));
        }
        return value;
    }
}
