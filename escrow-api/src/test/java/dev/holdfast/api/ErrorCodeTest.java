package dev.holdfast.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorCodeTest {
    @Test
    void everyCodeHasAnHttpErrorStatusAndATemplate() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(c.httpStatus()).as(c.code()).isBetween(400, 599);
            assertThat(c.template()).as(c.code()).isNotBlank();
            assertThat(c.code()).isEqualTo(c.name());
        }
    }

    @Test
    void exceptionsCarryTheCodeAndAReadableDetail() {
        EscrowException e = new EscrowException(ErrorCode.ESCROW_NOT_FOUND, EscrowId.of("esc_1"));
        assertThat(e.code()).isEqualTo(ErrorCode.ESCROW_NOT_FOUND);
        assertThat(e.detail()).isEqualTo("escrow esc_1 does not exist");
        assertThat(e.getMessage()).startsWith("ESCROW_NOT_FOUND: ");
    }

    @Test
    void idsRefuseBlankAndUnsafeText() {
        for (String bad : new String[] {"", " ", "a b", "x\ny", "é", "a".repeat(201)}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EscrowId.of(bad))
                    .isInstanceOf(EscrowException.class);
        }
        assertThat(EscrowId.of("esc_0a:b/c-d.e").value()).isEqualTo("esc_0a:b/c-d.e");
    }
}
