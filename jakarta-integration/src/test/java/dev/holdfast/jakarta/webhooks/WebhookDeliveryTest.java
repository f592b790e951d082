package dev.holdfast.jakarta.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.jakarta.secrets.SecretCipher;
import dev.holdfast.jakarta.testing.Databases;
import dev.holdfast.jakarta.testing.TestEngine;
import dev.holdfast.spi.OutboxMessage;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fan-out, delivery, retries, redelivery and rotation on H2, with the engine producing real events. */
class WebhookDeliveryTest {
    static final SecretCipher CIPHER = new SecretCipher(Map.of("k1", new byte[32]), "k1");

    DataSource ds;
    TestEngine holdfast;
    WebhookRepository repository;
    WebhookService service;
    WebhookFanOut fanOut;
    WebhookDeliveryWorker worker;
    WebhookConfig config;
    Receiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        ds = Databases.h2();
        repository = new WebhookRepository(ds);
        config = new WebhookConfig(
                "node-a",
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                20,
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                Duration.ofHours(24),
                Duration.ofHours(24));
        // the engine's sink reads the field when it delivers, after the fan-out exists on the engine's clock
        holdfast = new TestEngine(m -> fanOut.deliver(m));
        fanOut = new WebhookFanOut(repository, holdfast.clock);
        service = new WebhookService(repository, CIPHER, holdfast.clock, config);
        worker = new WebhookDeliveryWorker(
                repository, service, holdfast.clock, config, HttpClient.newHttpClient(), new Random(7)::nextDouble);
        receiver = new Receiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        holdfast.close();
    }

    private List<OutboxMessage> outbox() {
        return holdfast.store.inTransaction(tx -> tx.outbox().read(0, 1000));
    }

    private WebhookDelivery onlyDelivery(String endpoint) {
        List<WebhookDelivery> all = repository.listDeliveries(endpoint, 0, 100);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void fanOutInsertsOneDeliveryPerMatchingEndpointAndEventEvenWhenTheEngineDeliversTwice() {
        CreatedWebhook all = service.register(new WebhookRegistration(receiver.url(), null, "all", null));
        CreatedWebhook created =
                service.register(new WebhookRegistration(receiver.url(), List.of("EscrowCreated"), "created", null));

        holdfast.createEscrow(1000);
        holdfast.engine.runDueWork();
        List<OutboxMessage> events = outbox();
        assertThat(events).isNotEmpty();

        // the engine delivers at least once: replay every message, twice, as a retrying engine would
        for (int i = 0; i < 2; i++) {
            events.forEach(fanOut::deliver);
        }

        List<WebhookDelivery> toAll = repository.listDeliveries(all.endpoint().id(), 0, 1000);
        assertThat(toAll)
                .extracting(WebhookDelivery::eventId)
                .containsExactlyElementsOf(
                        events.stream().map(OutboxMessage::eventId).toList());
        assertThat(repository.listDeliveries(created.endpoint().id(), 0, 1000))
                .extracting(WebhookDelivery::eventType)
                .containsExactly("EscrowCreated");
        assertThat(toAll).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.PENDING);
            assertThat(d.body()).contains("\"id\":\"" + d.eventId() + "\"").contains("\"data\":{");
        });
    }

    @Test
    void aDisabledEndpointGetsNoNewDeliveriesAndADeletedOneLosesItsLog() {
        CreatedWebhook hook = service.register(new WebhookRegistration(receiver.url(), null, null, null));
        service.setEnabled(hook.endpoint().id(), false);

        holdfast.createEscrow(1000);
        holdfast.engine.runDueWork();
        assertThat(repository.listDeliveries(hook.endpoint().id(), 0, 100)).isEmpty();

        service.setEnabled(hook.endpoint().id(), true);
        holdfast.createEscrow(2000);
        holdfast.engine.runDueWork();
        assertThat(repository.listDeliveries(hook.endpoint().id(), 0, 100)).isNotEmpty();

        service.delete(hook.endpoint().id());
        assertThat(repository.listDeliveries(hook.endpoint().id(), 0, 100)).isEmpty();
        assertThatThrownBy(() -> service.get(hook.endpoint().id()))
                .isInstanceOf(EscrowException.class)
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.WEBHOOK_NOT_FOUND);
    }

    @Test
    void aReceiverThatFailsThreeTimesGetsTheEventDeliveredOnceWithTheAttemptLog() {
        CreatedWebhook hook =
                service.register(new WebhookRegistration(receiver.url(), List.of("EscrowCreated"), null, null));
        receiver.failNext(500, 503, 404);
        holdfast.createEscrow(1000);
        holdfast.engine.runDueWork();
        String endpoint = hook.endpoint().id();

        List<Instant> attemptTimes = new ArrayList<>();
        for (int i = 0; i < 10 && onlyDelivery(endpoint).status() == DeliveryStatus.PENDING; i++) {
            attemptTimes.add(holdfast.clock.instant());
            assertThat(worker.runOnce()).isEqualTo(1);
            WebhookDelivery d = onlyDelivery(endpoint);
            if (d.status() == DeliveryStatus.PENDING) {
                assertThat(d.nextAttemptAt()).isAfter(holdfast.clock.instant());
                // nothing is due before the backoff passes
                assertThat(worker.runOnce()).isZero();
                holdfast.clock.advance(Duration.between(holdfast.clock.instant(), d.nextAttemptAt()));
            }
        }

        WebhookDelivery d = onlyDelivery(endpoint);
        assertThat(d.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(d.attempts()).isEqualTo(4);
        assertThat(d.deliveredAt()).isEqualTo(attemptTimes.get(3));
        DeliveryView view = service.delivery(endpoint, d.id());
        assertThat(view.attemptLog())
                .extracting(DeliveryAttempt::attempt, DeliveryAttempt::httpStatus, DeliveryAttempt::error)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 500, "HTTP 500"),
                        org.assertj.core.groups.Tuple.tuple(2, 503, "HTTP 503"),
                        org.assertj.core.groups.Tuple.tuple(3, 404, "HTTP 404"),
                        org.assertj.core.groups.Tuple.tuple(4, 200, null));
        assertThat(view.attemptLog()).extracting(DeliveryAttempt::attemptedAt).containsExactlyElementsOf(attemptTimes);
        assertThat(view.attemptLog()).allSatisfy(a -> {
            assertThat(a.node()).isEqualTo("node-a");
            assertThat(a.durationMillis()).isNotNegative();
        });

        // four POSTs of the same bytes, each signed for the secret shown at registration
        List<Receiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(4);
        for (int i = 0; i < 4; i++) {
            Receiver.Request r = requests.get(i);
            assertThat(r.body()).isEqualTo(d.body());
            assertThat(r.header("Holdfast-Event-Id")).isEqualTo(d.eventId());
            assertThat(r.header("Holdfast-Delivery-Id")).isEqualTo(d.id());
            assertThat(r.header("Holdfast-Event-Type")).isEqualTo("EscrowCreated");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            String signature = r.header("Holdfast-Signature");
            assertThat(signature).startsWith("t=" + attemptTimes.get(i).getEpochSecond() + ",v1=");
            WebhookVerifier verifier =
                    new WebhookVerifier(List.of(hook.secret()), Duration.ofMinutes(5), clockAt(attemptTimes.get(i)));
            assertThat(verifier.isValid(signature, r.body())).isTrue();
        }

        // delivered means done: no more POSTs, however late
        holdfast.clock.advance(Duration.ofDays(3));
        assertThat(worker.runOnce()).isZero();
        assertThat(receiver.requests()).hasSize(4);
    }

    @Test
    void backoffGrowsWithJitterUpToTheCapAndGivesUpOnlyAfter24Hours() {
        CreatedWebhook hook =
                service.register(new WebhookRegistration(receiver.url(), List.of("EscrowCreated"), null, null));
        receiver.alwaysAnswer(500);
        holdfast.createEscrow(1000);
        holdfast.engine.runDueWork();
        String endpoint = hook.endpoint().id();
        Instant first = holdfast.clock.instant();

        List<Duration> delays = new ArrayList<>();
        int guard = 0;
        while (onlyDelivery(endpoint).status() == DeliveryStatus.PENDING && guard++ < 200) {
            assertThat(worker.runOnce()).isEqualTo(1);
            WebhookDelivery d = onlyDelivery(endpoint);
            if (d.status() == DeliveryStatus.PENDING) {
                Duration delay = Duration.between(holdfast.clock.instant(), d.nextAttemptAt());
                delays.add(delay);
                holdfast.clock.advance(delay);
            }
        }

        WebhookDelivery d = onlyDelivery(endpoint);
        assertThat(d.status()).isEqualTo(DeliveryStatus.FAILED);
        List<DeliveryAttempt> log = repository.attempts(d.id());
        assertThat(log).hasSize(delays.size() + 1).hasSize(d.attempts());
        Instant last = log.get(log.size() - 1).attemptedAt();
        assertThat(Duration.between(first, last)).isGreaterThanOrEqualTo(Duration.ofHours(24));
        // the one before the last was still inside the window: it gave up at the first failure after 24 h
        assertThat(Duration.between(first, log.get(log.size() - 2).attemptedAt()))
                .isLessThan(Duration.ofHours(24));
        for (int i = 0; i < delays.size(); i++) {
            long exponential = Math.min(Duration.ofHours(1).toMillis(), 10_000L << Math.min(i, 30));
            assertThat(delays.get(i).toMillis())
                    .as("delay after attempt %d", i + 1)
                    .isBetween(exponential / 2, exponential);
        }
        assertThat(delays.get(delays.size() - 1)).isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(delays).as("jitter").doesNotHaveDuplicates();
        assertThat(receiver.requests()).hasSize(d.attempts());

        holdfast.clock.advance(Duration.ofDays(2));
        assertThat(worker.runOnce()).isZero();
    }

    @Test
    void manualRedeliveryReArmsAFailedDeliveryWithAFreshRetryWindow() {
        CreatedWebhook hook =
                service.register(new WebhookRegistration(receiver.url(), List.of("EscrowCreated"), null, null));
        String endpoint = hook.endpoint().id();
        service.setEnabled(endpoint, true);
        receiver.alwaysAnswer(500);
        holdfast.createEscrow(1000);
        holdfast.engine.runDueWork();
        while (onlyDelivery(endpoint).status() == DeliveryStatus.PENDING) {
            worker.runOnce();
            WebhookDelivery d = onlyDelivery(endpoint);
            if (d.status() == DeliveryStatus.PENDING) {
                holdfast.clock.advance(Duration.between(holdfast.clock.instant(), d.nextAttemptAt()));
            }
        }
        WebhookDelivery failed = onlyDelivery(endpoint);
        int attempts = failed.attempts();
        assertThat(failed.status()).isEqualTo(DeliveryStatus.FAILED);

        receiver.alwaysAnswer(0); // back to 200
        holdfast.clock.advance(Duration.ofHours(5));
        DeliveryView rearmed = service.redeliver(endpoint, failed.id());
        assertThat(rearmed.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(rearmed.nextAttemptAt()).isEqualTo(holdfast.clock.instant());

        assertThat(worker.runOnce()).isEqualTo(1);
        DeliveryView delivered = service.delivery(endpoint, failed.id());
        assertThat(delivered.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivered.attempts()).isEqualTo(attempts + 1);
        assertThat(delivered.attemptLog().get(attempts).httpStatus()).isEqualTo(200);

        // redelivering a delivered event sends it again (a receiver that lost it asks for it)
        service.redeliver(endpoint, failed.id());
        assertThat(worker.runOnce()).isEqualTo(1);
        assertThat(receiver.requests()).hasSize(attempts + 2);
        assertThat(receiver.requests().get(attempts + 1).header("Holdfast-Event-Id"))
                .isEqualTo(failed.eventId());
        assertThatThrownBy(() -> service.redeliver(endpoint, "whd_nope"))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND);
    }

    @Test
    void rotationSignsWithBothSecretsDuringTheGracePeriodThenOnlyTheNewOne() {
        CreatedWebhook hook =
                service.register(new WebhookRegistration(receiver.url(), List.of("EscrowCreated"), null, null));
        String endpoint = hook.endpoint().id();
        CreatedWebhook rotated = service.rotateSecret(endpoint, null);
        assertThat(rotated.secret()).isNotEqualTo(hook.secret()).startsWith("whsec_");
        assertThat(rotated.endpoint().previousSecretUntil())
                .isEqualTo(holdfast.clock.instant().plus(Duration.ofHours(24)));

        holdfast.createEscrow(1000);
        holdfast.engine.runDueWork();
        worker.runOnce();
        holdfast.clock.advance(Duration.ofHours(25));
        holdfast.createEscrow(2000);
        holdfast.engine.runDueWork();
        worker.runOnce();

        List<Receiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(2);
        String during = requests.get(0).header("Holdfast-Signature");
        String after = requests.get(1).header("Holdfast-Signature");
        assertThat(during.split(",v1=")).hasSize(3);
        assertThat(after.split(",v1=")).hasSize(2);
        Instant now = holdfast.clock.instant();
        Instant then = now.minus(Duration.ofHours(25));
        assertThat(verifier(hook.secret(), then).isValid(during, requests.get(0).body()))
                .isTrue();
        assertThat(verifier(rotated.secret(), then)
                        .isValid(during, requests.get(0).body()))
                .isTrue();
        assertThat(verifier(rotated.secret(), now)
                        .isValid(after, requests.get(1).body()))
                .isTrue();
        assertThat(verifier(hook.secret(), now).isValid(after, requests.get(1).body()))
                .isFalse();
    }

    @Test
    void secretsAreSealedAtRestAndNeverShownAfterCreation() throws Exception {
        CreatedWebhook hook = service.register(new WebhookRegistration(receiver.url(), null, "shop", null));

        try (var c = ds.getConnection();
                var rs = c.createStatement().executeQuery("SELECT secret_sealed FROM holdfast_webhook_endpoint")) {
            rs.next();
            String sealed = rs.getString(1);
            assertThat(sealed).startsWith("k1:").doesNotContain(hook.secret());
            assertThat(CIPHER.open(sealed, hook.endpoint().id()).reveal()).isEqualTo(hook.secret());
        }
        assertThat(hook.toString()).doesNotContain(hook.secret());
        assertThat(service.get(hook.endpoint().id()).toString()).doesNotContain(hook.secret());
        assertThat(repository.findEndpoint(hook.endpoint().id()).orElseThrow().toString())
                .doesNotContain("k1:");
        assertThat(new WebhookRegistration("https://x.example/h", null, null, "whsec_supplied-secret-1234567890")
                        .toString())
                .doesNotContain("supplied");
    }

    @Test
    void registrationValidatesUrlTypesAndSecret() {
        for (String bad : new String[] {
            null,
            "",
            "ftp://x.example/h",
            "/relative",
            "https://user:pw@x.example/h",
            "https://x.example/h#frag",
            "nope"
        }) {
            assertThatThrownBy(() -> service.register(new WebhookRegistration(bad, null, null, null)))
                    .as(String.valueOf(bad))
                    .extracting(e -> ((EscrowException) e).code())
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
        }
        assertThatThrownBy(() ->
                        service.register(new WebhookRegistration("https://x.example/h", List.of("a,b"), null, null)))
                .extracting(e -> ((EscrowException) e).code())
                .isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThatThrownBy(() ->
                        service.register(new WebhookRegistration("https://x.example/h", null, null, "short-secret")))
                .hasMessageNotContaining("short-secret");
        CreatedWebhook supplied = service.register(
                new WebhookRegistration("HTTPS://x.example/h", null, null, "whsec_supplied-secret-1234567890"));
        assertThat(supplied.secret()).isEqualTo("whsec_supplied-secret-1234567890");
    }

    private static java.time.Clock clockAt(Instant t) {
        return java.time.Clock.fixed(t, java.time.ZoneOffset.UTC);
    }

    private static WebhookVerifier verifier(String secret, Instant at) {
        return new WebhookVerifier(List.of(secret), Duration.ofMinutes(5), clockAt(at));
    }
}
