package dev.holdfast.jakarta.webhooks;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.jakarta.secrets.Secret;
import dev.holdfast.jakarta.secrets.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Managing webhook endpoints: registration with URL validation and a generated secret, rotation with a grace period,
 * the delivery log and manual redelivery. Secrets are sealed with the {@link SecretCipher} before they reach the
 * database and leave this class in clear only once, in the answer to creation or rotation. Thread-safe.
 */
@ApplicationScoped
public class WebhookService {
    static final String SECRET_PREFIX = "whsec_";
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,200}");
    private static final int MAX_URL = 2048;

    private WebhookRepository repository;
    private SecretCipher cipher;
    private Clock clock;
    private WebhookConfig config;

    /** For the CDI proxy. */
    protected WebhookService() {}

    /**
     * @param repository the webhook tables
     * @param cipher seals secrets at rest
     * @param clock the time
     * @param config the grace period of rotated secrets
     */
    @Inject
    public WebhookService(WebhookRepository repository, SecretCipher cipher, Clock clock, WebhookConfig config) {
        this.repository = repository;
        this.cipher = cipher;
        this.clock = clock;
        this.config = config;
    }

    /**
     * @param registration what to register
     * @return the endpoint with its secret, which is never shown again
     * @throws EscrowException {@link ErrorCode#INVALID_REQUEST} for a bad URL, event type or secret
     */
    public CreatedWebhook register(WebhookRegistration registration) {
        if (registration == null) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "a webhook registration body is required");
        }
        String url = validUrl(registration.url());
        List<String> types = validTypes(registration.eventTypes());
        Secret secret =
                registration.secret() == null ? Secret.generate(SECRET_PREFIX) : validSecret(registration.secret());
        String description = registration.description() == null ? "" : registration.description();
        if (description.length() > 500) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "description is longer than 500 characters");
        }
        Instant now = clock.instant();
        String id = "whe_" + UUID.randomUUID();
        WebhookEndpoint endpoint = new WebhookEndpoint(id, url, types, description, true, now, now, null);
        repository.insertEndpoint(new StoredEndpoint(endpoint, cipher.seal(secret, id), null));
        return new CreatedWebhook(endpoint, secret.reveal());
    }

    /** @return every endpoint, oldest first */
    public List<WebhookEndpoint> list() {
        return repository.listEndpoints().stream().map(StoredEndpoint::endpoint).toList();
    }

    /**
     * @param id an endpoint id
     * @return the endpoint
     * @throws EscrowException {@link ErrorCode#WEBHOOK_NOT_FOUND}
     */
    public WebhookEndpoint get(String id) {
        return stored(id).endpoint();
    }

    /**
     * @param id an endpoint id
     * @param enabled false to stop delivering to it
     * @return the endpoint after the change
     * @throws EscrowException {@link ErrorCode#WEBHOOK_NOT_FOUND}
     */
    public WebhookEndpoint setEnabled(String id, boolean enabled) {
        if (!repository.setEnabled(id, enabled, clock.instant())) {
            throw new EscrowException(ErrorCode.WEBHOOK_NOT_FOUND, id);
        }
        return get(id);
    }

    /**
     * Deletes an endpoint with its deliveries and their log.
     *
     * @param id an endpoint id
     * @throws EscrowException {@link ErrorCode#WEBHOOK_NOT_FOUND}
     */
    public void delete(String id) {
        if (!repository.deleteEndpoint(id)) {
            throw new EscrowException(ErrorCode.WEBHOOK_NOT_FOUND, id);
        }
    }

    /**
     * Replaces the secret; the old one keeps signing (as a second {@code v1} entry) for the grace period, so
     * receivers can switch without losing a request.
     *
     * @param id an endpoint id
     * @param newSecret the new secret, or {@code null} to generate one
     * @return the endpoint with the new secret, which is never shown again
     * @throws EscrowException {@link ErrorCode#WEBHOOK_NOT_FOUND}, {@link ErrorCode#INVALID_REQUEST}
     */
    public CreatedWebhook rotateSecret(String id, String newSecret) {
        StoredEndpoint current = stored(id);
        Secret secret = newSecret == null ? Secret.generate(SECRET_PREFIX) : validSecret(newSecret);
        Instant now = clock.instant();
        Instant until = now.plus(config.secretGracePeriod());
        if (!repository.rotateSecret(id, cipher.seal(secret, id), current.secretSealed(), until, now)) {
            throw new EscrowException(ErrorCode.WEBHOOK_NOT_FOUND, id);
        }
        return new CreatedWebhook(get(id), secret.reveal());
    }

    /**
     * @param id an endpoint id
     * @param afterSequence deliveries of events after this outbox sequence
     * @param limit at most this many
     * @return the deliveries with their attempt logs, in event order
     * @throws EscrowException {@link ErrorCode#WEBHOOK_NOT_FOUND}
     */
    public List<DeliveryView> deliveries(String id, long afterSequence, int limit) {
        stored(id);
        List<DeliveryView> out = new ArrayList<>();
        for (WebhookDelivery d : repository.listDeliveries(id, afterSequence, limit)) {
            out.add(DeliveryView.of(d, repository.attempts(d.id())));
        }
        return out;
    }

    /**
     * @param id an endpoint id
     * @param deliveryId one of its deliveries
     * @return the delivery with its attempt log
     * @throws EscrowException {@link ErrorCode#WEBHOOK_DELIVERY_NOT_FOUND}
     */
    public DeliveryView delivery(String id, String deliveryId) {
        WebhookDelivery d = repository
                .findDelivery(id, deliveryId)
                .orElseThrow(() -> new EscrowException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, id, deliveryId));
        return DeliveryView.of(d, repository.attempts(d.id()));
    }

    /**
     * Sends a delivery again as soon as a worker runs, whatever its status, with a fresh retry window.
     *
     * @param id an endpoint id
     * @param deliveryId one of its deliveries
     * @return the re-armed delivery
     * @throws EscrowException {@link ErrorCode#WEBHOOK_DELIVERY_NOT_FOUND}
     */
    public DeliveryView redeliver(String id, String deliveryId) {
        if (!repository.rearm(id, deliveryId, clock.instant())) {
            throw new EscrowException(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, id, deliveryId);
        }
        return delivery(id, deliveryId);
    }

    /**
     * @param endpoint an endpoint row
     * @param now the time
     * @return the secrets to sign with now: the current one, and the previous one during its grace period
     */
    List<Secret> signingSecrets(StoredEndpoint endpoint, Instant now) {
        List<Secret> out = new ArrayList<>(2);
        out.add(cipher.open(endpoint.secretSealed(), endpoint.id()));
        if (endpoint.previousSecretActive(now)) {
            out.add(cipher.open(endpoint.previousSecretSealed(), endpoint.id()));
        }
        return out;
    }

    private StoredEndpoint stored(String id) {
        return repository.findEndpoint(id).orElseThrow(() -> new EscrowException(ErrorCode.WEBHOOK_NOT_FOUND, id));
    }

    static String validUrl(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "url must be an absolute http or https URL");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "url is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "url must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            // credentials in the URL would be stored and shown in clear; the signature authenticates instead
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "url must not contain credentials");
        }
        if (uri.getRawFragment() != null) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "url must not have a fragment");
        }
        return uri.toString();
    }

    private static List<String> validTypes(List<String> types) {
        if (types == null) {
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String t : types) {
            if (t == null || !EVENT_TYPE.matcher(t).matches()) {
                throw new EscrowException(ErrorCode.INVALID_REQUEST, "event type is not valid: " + t);
            }
            out.add(t);
        }
        return List.copyOf(out);
    }

    private static Secret validSecret(String secret) {
        if (secret.length() < 24 || secret.length() > 200 || secret.isBlank()) {
            // never echo the secret itself
            throw new EscrowException(ErrorCode.INVALID_REQUEST, "a webhook secret has 24 to 200 characters");
        }
        return Secret.of(secret);
    }
}
