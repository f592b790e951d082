package dev.holdfast.jakarta.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.PartyId;
import dev.holdfast.jakarta.security.Caller;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {
    static final Caller ALICE = Caller.party(PartyId.of("alice"));
    static final Caller BOB = Caller.party(PartyId.of("bob"));

    @Test
    void keysArePrivateToTheirCaller() {
        assertThat(IdempotencyKeys.of("k-1", ALICE, "POST /x")).isEqualTo(IdempotencyKeys.of("k-1", ALICE, "POST /y"));
        assertThat(IdempotencyKeys.of("k-1", ALICE, "POST /x")).isNotEqualTo(IdempotencyKeys.of("k-1", BOB, "POST /x"));
        assertThat(IdempotencyKeys.of("k-1", Caller.platformOperator(), "POST /x"))
                .isNotEqualTo(IdempotencyKeys.of("k-1", ALICE, "POST /x"));
    }

    @Test
    void theLongestPartyAndKeyStillFitTheEngine() {
        Caller longest = Caller.party(PartyId.of("p".repeat(200)));
        String key = "k".repeat(IdempotencyKeys.MAX_LENGTH);
        assertThat(IdempotencyKeys.of(key, longest, "POST /x").value()).hasSizeLessThanOrEqualTo(200);
    }

    @Test
    void missingBlankLongOrUnsafeKeysAreRefused() {
        assertThatThrownBy(() -> IdempotencyKeys.of(null, ALICE, "POST /x"))
                .isInstanceOfSatisfying(
                        EscrowException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_MISSING));
        assertThatThrownBy(() -> IdempotencyKeys.of(" ", ALICE, "POST /x"))
                .isInstanceOfSatisfying(
                        EscrowException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_MISSING));
        for (String bad : new String[] {"k".repeat(IdempotencyKeys.MAX_LENGTH + 1), "a b", "ключ", "a\nb"}) {
            assertThatThrownBy(() -> IdempotencyKeys.of(bad, ALICE, "POST /x"))
                    .isInstanceOfSatisfying(EscrowException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.IDEMPOTENCY_KEY_INVALID));
        }
    }
}
