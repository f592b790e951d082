package dev.holdfast.jakarta.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.jakarta.secrets.Secret;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String BODY =
            "{\"id\":\"esc_1#1\",\"type\":\"EscrowCreated\",\"data\":{\"amount\":\"12.34 €\"}}";
    private static final Secret SECRET = Secret.of("whsec_independent-check-0123456789");
    private static final long T = 1_796_000_000L;
    private static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);

    /** HMAC-SHA256 of "t.body" computed by openssl, not by the JDK. */
    private static String openssl(long t, String body, String secret) throws Exception {
        Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-hmac", secret)
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write((t + "." + body).getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertThat(p.waitFor()).isZero();
        String text = out.toString(StandardCharsets.UTF_8).trim();
        // "SHA2-256(stdin)= <hex>" or "(stdin)= <hex>", depending on the openssl version
        return text.substring(text.lastIndexOf(' ') + 1);
    }

    @Test
    void signatureMatchesOpensslHmacSha256() throws Exception {
        String header = WebhookSignature.header(T, BODY, List.of(SECRET));

        String expected = openssl(T, BODY, SECRET.reveal());
        assertThat(expected).matches("[0-9a-f]{64}");
        assertThat(header).isEqualTo("t=" + T + ",v1=" + expected);
    }

    @Test
    void signsWithEverySecretDuringARotation() throws Exception {
        Secret next = Secret.of("whsec_the-next-secret-987654321");
        String header = WebhookSignature.header(T, BODY, List.of(next, SECRET));

        assertThat(header)
                .isEqualTo("t=" + T + ",v1=" + openssl(T, BODY, next.reveal()) + ",v1="
                        + openssl(T, BODY, SECRET.reveal()));
        // receivers that know only the old or only the new secret both accept it
        assertThat(new WebhookVerifier(List.of(SECRET.reveal()), Duration.ofMinutes(5), AT_T).isValid(header, BODY))
                .isTrue();
        assertThat(new WebhookVerifier(List.of(next.reveal()), Duration.ofMinutes(5), AT_T).isValid(header, BODY))
                .isTrue();
    }

    @Test
    void verifierAcceptsAGenuineRecentRequest() throws Exception {
        String header = "t=" + T + ",v1=" + openssl(T, BODY, SECRET.reveal());
        WebhookVerifier verifier =
                new WebhookVerifier(List.of(SECRET.reveal()), WebhookVerifier.DEFAULT_TOLERANCE, AT_T);

        verifier.verify(header, BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.isValid(header, BODY)).isTrue();
        // unknown schemes are ignored, whitespace after commas is tolerated
        assertThat(verifier.isValid(header.replace(",v1=", ", v0=abc, v1="), BODY))
                .isTrue();
        assertThat(verifier.toString()).doesNotContain(SECRET.reveal());
    }

    @Test
    void verifierRejectsATamperedBody() {
        String header = WebhookSignature.header(T, BODY, List.of(SECRET));
        WebhookVerifier verifier = new WebhookVerifier(List.of(SECRET.reveal()), Duration.ofMinutes(5), AT_T);

        assertThat(verifier.isValid(header, BODY.replace("12.34", "92.34"))).isFalse();
        assertThat(verifier.isValid(header, BODY + " ")).isFalse();
        assertThatThrownBy(() -> verifier.verify(header, (BODY + "x").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SignatureException.class)
                .hasMessage("no signature matches");
    }

    @Test
    void verifierRejectsTheWrongSecret() {
        String header = WebhookSignature.header(T, BODY, List.of(SECRET));
        WebhookVerifier verifier =
                new WebhookVerifier(List.of("whsec_independent-check-0123456788"), Duration.ofMinutes(5), AT_T);

        assertThat(verifier.isValid(header, BODY)).isFalse();
    }

    @Test
    void verifierRejectsAStaleOrFutureTimestampAndAcceptsTheEdgeOfTheTolerance() {
        WebhookVerifier verifier =
                new WebhookVerifier(List.of(SECRET.reveal()), WebhookVerifier.DEFAULT_TOLERANCE, AT_T);

        assertThat(verifier.isValid(WebhookSignature.header(T - 300, BODY, List.of(SECRET)), BODY))
                .isTrue();
        assertThat(verifier.isValid(WebhookSignature.header(T - 301, BODY, List.of(SECRET)), BODY))
                .isFalse();
        assertThat(verifier.isValid(WebhookSignature.header(T + 301, BODY, List.of(SECRET)), BODY))
                .isFalse();
        // a replay with the timestamp moved forward no longer matches
        String old = WebhookSignature.header(T - 3600, BODY, List.of(SECRET));
        assertThat(verifier.isValid(old.replace("t=" + (T - 3600), "t=" + T), BODY))
                .isFalse();
    }

    @Test
    void verifierRejectsMalformedHeaders() {
        WebhookVerifier verifier = new WebhookVerifier(List.of(SECRET.reveal()), Duration.ofMinutes(5), AT_T);
        String good = WebhookSignature.header(T, BODY, List.of(SECRET));
        String v1 = good.substring(good.indexOf("v1="));

        for (String header : new String[] {
            null,
            "",
            "garbage",
            v1, // no timestamp
            "t=" + T, // no signature
            "t=abc," + v1,
            "t=" + T + ",t=" + T + "," + v1,
            "t=" + T + ",v1=zz" + v1.substring(5),
            "t=" + T + ",v1=" + v1.substring(4),
            "t=" + T + ",," + v1,
            "=x,t=" + T + "," + v1
        }) {
            assertThat(verifier.isValid(header, BODY))
                    .as(String.valueOf(header))
                    .isFalse();
        }
    }
}
