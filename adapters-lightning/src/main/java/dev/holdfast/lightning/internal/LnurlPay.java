package dev.holdfast.lightning.internal;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.json.Json;
import javax.json.JsonException;
import javax.json.JsonObject;
import javax.json.JsonReader;

/**
 * Resolves a Lightning address ({@code name@host}, LUD-16) to a BOLT11 invoice for an exact amount (LUD-06): {@code GET
 * <scheme>://host/.well-known/lnurlp/name}, then {@code GET <callback>?amount=<msat>}. Thread-safe.
 */
public final class LnurlPay {
    private static final Pattern NAME = Pattern.compile("[a-z0-9\\-_.+]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+");
    private final HttpClient http;
    private final String scheme;
    private final int port;
    private final Duration timeout;

    /**
     * @param scheme http or https
     * @param port 0 for the scheme's default
     * @param timeout per request
     */
    public LnurlPay(String scheme, int port, Duration timeout) {
        this.scheme = scheme;
        this.port = port;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** @param address a destination @return whether it has the form of a Lightning address */
    public static boolean isAddress(String address) {
        int at = address.indexOf('@');
        return at > 0
                && at == address.lastIndexOf('@')
                && NAME.matcher(address.substring(0, at)).matches()
                && HOST.matcher(address.substring(at + 1)).matches();
    }

    /**
     * @param address {@code name@host}
     * @param amountMsat the exact amount
     * @return the invoice, and the hash of the metadata its description hash must commit to
     * @throws LnurlException when the service refuses or cannot be reached
     */
    public Resolved resolve(String address, long amountMsat) throws LnurlException {
        int at = address.indexOf('@');
        String name = address.substring(0, at).toLowerCase(Locale.ROOT);
        String host = address.substring(at + 1).toLowerCase(Locale.ROOT);
        URI wellKnown =
                URI.create(scheme + "://" + host + (port > 0 ? ":" + port : "") + "/.well-known/lnurlp/" + name);
        JsonObject params = get(wellKnown);
        if (!"payRequest".equals(params.getString("tag", ""))) {
            throw new LnurlException("LNURL_INVALID", "not a payRequest: " + params.getString("tag", "(no tag)"));
        }
        String callback = params.getString("callback", "");
        long min = params.getJsonNumber("minSendable") == null
                ? 0
                : params.getJsonNumber("minSendable").longValueExact();
        long max = params.getJsonNumber("maxSendable") == null
                ? 0
                : params.getJsonNumber("maxSendable").longValueExact();
        if (amountMsat < min || amountMsat > max) {
            throw new LnurlException(
                    "LNURL_AMOUNT_OUT_OF_RANGE", amountMsat + " msat is outside " + min + ".." + max + " msat");
        }
        URI callbackUri;
        try {
            callbackUri = URI.create(callback);
        } catch (IllegalArgumentException e) {
            throw new LnurlException("LNURL_INVALID", "bad callback URL");
        }
        if (!scheme.equals(callbackUri.getScheme())) {
            throw new LnurlException("LNURL_INVALID", "callback must use " + scheme);
        }
        String separator = callback.contains("?") ? "&" : "?";
        JsonObject invoice = get(URI.create(callback + separator + "amount="
                + URLEncoder.encode(Long.toString(amountMsat), StandardCharsets.UTF_8)));
        String pr = invoice.getString("pr", "");
        if (pr.isEmpty()) {
            throw new LnurlException("LNURL_INVALID", "no invoice in the callback's answer");
        }
        String metadata = params.getString("metadata", "");
        String metadataHash = HexFormat.of().formatHex(Preimages.hash(metadata.getBytes(StandardCharsets.UTF_8)));
        return new Resolved(pr, metadataHash);
    }

    private JsonObject get(URI uri) throws LnurlException {
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(timeout)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new LnurlException(
                    "LNURL_UNREACHABLE", uri.getHost() + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LnurlException("LNURL_UNREACHABLE", "interrupted");
        }
        JsonObject body;
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            body = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new LnurlException("LNURL_INVALID", "HTTP " + response.statusCode() + " without a JSON object");
        }
        if ("ERROR".equalsIgnoreCase(body.getString("status", ""))) {
            throw new LnurlException("LNURL_ERROR", body.getString("reason", "refused"));
        }
        if (response.statusCode() != 200) {
            throw new LnurlException("LNURL_ERROR", "HTTP " + response.statusCode());
        }
        return body;
    }

    /**
     * @param paymentRequest the BOLT11
     * @param metadataHash hex SHA-256 of the LNURL metadata
     */
    public record Resolved(String paymentRequest, String metadataHash) {}

    /** The service refused, answered nonsense, or could not be reached. */
    public static final class LnurlException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;

        /** @param code a rail error code @param message for people */
        public LnurlException(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        /** @return the rail error code */
        public String code() {
            return code;
        }
    }
}
