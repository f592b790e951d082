package dev.holdfast.jakarta.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    private static final String K1 = Base64.getEncoder().encodeToString(bytes(1));
    private static final String K2 = Base64.getEncoder().encodeToString(bytes(2));

    private static byte[] bytes(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    private static SecretCipher cipher(String keys, String current) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put(SecretCipher.KEYS, keys);
        if (current != null) {
            config.put(SecretCipher.CURRENT_KEY, current);
        }
        return SecretCipher.fromConfig(k -> Optional.ofNullable(config.get(k)));
    }

    @Test
    void sealsAndOpensWithARandomNonceAndTheKeyIdInFront() {
        SecretCipher cipher = cipher("k1:" + K1, null);
        Secret secret = Secret.of("whsec_top-secret-value");

        String a = cipher.seal(secret, "whe_1");
        String b = cipher.seal(secret, "whe_1");

        assertThat(a).startsWith("k1:").doesNotContain("top-secret");
        assertThat(a).isNotEqualTo(b); // a fresh nonce each time
        assertThat(cipher.open(a, "whe_1").reveal()).isEqualTo("whsec_top-secret-value");
        assertThat(cipher.open(b, "whe_1").reveal()).isEqualTo("whsec_top-secret-value");
        // 12-byte nonce + 22 bytes of text + 16-byte tag
        assertThat(Base64.getUrlDecoder().decode(a.substring(3))).hasSize(12 + 22 + 16);
    }

    @Test
    void detectsEveryTamperedByte() {
        SecretCipher cipher = cipher("k1:" + K1, null);
        String sealed = cipher.seal(Secret.of("whsec_abcdefghijklmnopqrstuvwxyz"), "whe_1");
        byte[] raw = Base64.getUrlDecoder().decode(sealed.substring(3));
        for (int i = 0; i < raw.length; i++) {
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            String forged = "k1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThatThrownBy(() -> cipher.open(forged, "whe_1"))
                    .as("byte %d", i)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesAnotherRowsContextOrAnotherKeyLabel() {
        SecretCipher cipher = cipher("k1:" + K1 + ",k2:" + K2, "k1");
        String sealed = cipher.seal(Secret.of("whsec_abcdefghijklmnopqrstuvwxyz"), "whe_1");

        assertThatThrownBy(() -> cipher.open(sealed, "whe_2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.open("k2" + sealed.substring(2), "whe_1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cipher.open("k9" + sealed.substring(2), "whe_1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not configured");
        assertThatThrownBy(() -> cipher.open("garbage", "whe_1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void opensValuesOfAnOlderKeyAfterRotationAndSealsWithTheNewOne() {
        String old = cipher("k1:" + K1, null).seal(Secret.of("whsec_old-secret-000000000000"), "whe_1");
        SecretCipher rotated = cipher("k1:" + K1 + ",k2:" + K2, "k2");

        assertThat(rotated.open(old, "whe_1").reveal()).isEqualTo("whsec_old-secret-000000000000");
        assertThat(rotated.needsRotation(old)).isTrue();
        String resealed = rotated.seal(rotated.open(old, "whe_1"), "whe_1");
        assertThat(resealed).startsWith("k2:");
        assertThat(rotated.needsRotation(resealed)).isFalse();
        assertThatThrownBy(() -> cipher("k1:" + K1, null).open(resealed, "whe_1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void showsNoSecretOrKeyMaterialInToStringOrErrors() {
        SecretCipher cipher = cipher("k1:" + K1, null);
        Secret secret = Secret.of("whsec_do-not-print-me-000000000");

        assertThat(secret.toString()).doesNotContain("do-not-print-me").isEqualTo("Secret[***]");
        assertThat(cipher.toString()).doesNotContain(K1).contains("k1");
        assertThat(Secret.generate("whsec_").toString()).isEqualTo("Secret[***]");
        assertThatThrownBy(() -> cipher("k1:not!base64" + K1, null))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(K1));
        assertThatThrownBy(() -> cipher("k1:" + Base64.getEncoder().encodeToString(new byte[16]), null))
                .hasMessageContaining("32 bytes");
    }

    @Test
    void generatedSecretsAreRandomAndComparedByValue() {
        Secret a = Secret.generate("whsec_");
        Secret b = Secret.generate("whsec_");
        assertThat(a).isNotEqualTo(b);
        assertThat(a.reveal()).startsWith("whsec_").hasSize(6 + 43);
        assertThat(Secret.of(a.reveal())).isEqualTo(a);
    }
}
