package dev.holdfast.api;

/** Shared validation of the typed ids; not API. */
final class Ids {
    private Ids() {}

    static String check(String kind, String value) {
        if (value == null || value.isEmpty() || value.length() > 200) {
            throw new EscrowException(ErrorCode.INVALID_ID, kind, String.valueOf(value));
        }
        // a loop rather than a regex: ids are checked on every command and every rail call
        for (int i = 0; i < value.length(); i++) {
            if (!safe(value.charAt(i))) {
                throw new EscrowException(ErrorCode.INVALID_ID, kind, value);
            }
        }
        return value;
    }

    private static boolean safe(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == ':'
                || c == '@'
                || c == '$'
                || c == '/'
                || c == '+'
                || c == '-';
    }
}
