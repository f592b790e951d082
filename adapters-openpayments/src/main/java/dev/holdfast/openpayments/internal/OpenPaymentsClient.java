package dev.holdfast.openpayments.internal;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonObject;
import javax.json.JsonReader;
import javax.json.JsonValue;

/**
 * A small Open Payments client: every request it sends with a body carries {@code Content-Digest} (RFC 9530, SHA-512
 * over the exact compact JSON bytes) and every request to an authorization or resource server is signed (RFC 9421,
 * {@code sig1}, Ed25519, {@code keyid} and {@code created}).
 *
 * <p>Retries only where safe: a GET that failed on the network is tried once more; a POST or DELETE never is, and a
 * lost answer to one is reported as {@link OpenPaymentsException#outcomeUnknown()}.
 *
 * <p>Thread-safe: it holds no state besides its configuration.
 */
public final class OpenPaymentsClient {
    private final HttpClient http;
    private final PrivateKey key;
    private final String keyId;
    private final String clientWalletAddress;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param http the HTTP client
     * @param key the Ed25519 private key
     * @param keyId its id in the client's JWKS
     * @param clientWalletAddress the client's wallet address (GNAP {@code client})
     * @param clock for {@code created}
     * @param timeout per request
     */
    public OpenPaymentsClient(
            HttpClient http, PrivateKey key, String keyId, String clientWalletAddress, Clock clock, Duration timeout) {
        this.http = Objects.requireNonNull(http);
        this.key = Objects.requireNonNull(key);
        this.keyId = Objects.requireNonNull(keyId);
        this.clientWalletAddress = Objects.requireNonNull(clientWalletAddress);
        this.clock = Objects.requireNonNull(clock);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /**
     * A wallet address as its server describes it.
     *
     * @param id the wallet address URL
     * @param assetCode its asset code
     * @param assetScale its asset scale
     * @param authServer its authorization server's grant endpoint
     * @param resourceServer its resource server's base URL
     */
    public record WalletAddress(
            String id, String assetCode, int assetScale, String authServer, String resourceServer) {}

    /**
     * An access token and where to manage it.
     *
     * @param value the token
     * @param manage its management URL (rotation, revocation)
     * @param expiresAt when it lapses, or {@link Instant#MAX}
     */
    public record AccessToken(String value, String manage, Instant expiresAt) {}

    /**
     * What a grant request or continuation answered.
     *
     * @param token the access token, when the grant was issued
     * @param redirect the interaction URL, when the grant needs interaction
     * @param asNonce the AS's {@code interact.finish} nonce, for the hash
     * @param continueUri the continuation URL
     * @param continueToken the continuation token
     */
    public record GrantResponse(
            AccessToken token, String redirect, String asNonce, String continueUri, String continueToken) {}

    /**
     * @param url a wallet address URL
     * @return its description
     */
    public WalletAddress walletAddress(String url) {
        JsonObject json = send("GET", url, null, null, false);
        String id = json.getString("id", "");
        if (!stripSlash(id).equals(stripSlash(url))) {
            throw new OpenPaymentsException(0, "WALLET_ADDRESS_MISMATCH", "the server names itself " + id, false);
        }
        return new WalletAddress(
                url,
                json.getString("assetCode"),
                json.getInt("assetScale"),
                json.getString("authServer"),
                stripSlash(json.getString("resourceServer")));
    }

    /**
     * Requests a grant.
     *
     * @param authServer the grant endpoint
     * @param access the {@code access_token.access} array
     * @param finishUri for an interactive grant, where the AS sends the browser back; null for none
     * @param clientNonce for an interactive grant, the client's nonce
     * @return the token, or the interaction to run
     */
    public GrantResponse grant(String authServer, JsonArray access, String finishUri, String clientNonce) {
        var body = Json.createObjectBuilder()
                .add("access_token", Json.createObjectBuilder().add("access", access))
                .add("client", clientWalletAddress);
        if (finishUri != null) {
            body.add(
                    "interact",
                    Json.createObjectBuilder()
                            .add("start", Json.createArrayBuilder().add("redirect"))
                            .add(
                                    "finish",
                                    Json.createObjectBuilder()
                                            .add("method", "redirect")
                                            .add("uri", finishUri)
                                            .add("nonce", clientNonce)));
        }
        return grantResponse(send("POST", authServer, null, body.build(), true));
    }

    /**
     * Continues an interactive grant after the finish redirect.
     *
     * @param continueUri the continuation URL
     * @param continueToken the continuation token
     * @param interactRef the {@code interact_ref} of the redirect
     * @return the issued grant
     */
    public GrantResponse continueGrant(String continueUri, String continueToken, String interactRef) {
        return grantResponse(send(
                "POST",
                continueUri,
                "GNAP " + continueToken,
                Json.createObjectBuilder().add("interact_ref", interactRef).build(),
                true));
    }

    /**
     * @param token a token, expired or not
     * @return its replacement; the old value stops working
     */
    public AccessToken rotate(AccessToken token) {
        return accessToken(send("POST", token.manage(), "GNAP " + token.value(), null, true)
                .getJsonObject("access_token"));
    }

    /** @param token a token to revoke */
    public void revoke(AccessToken token) {
        send("DELETE", token.manage(), "GNAP " + token.value(), null, true);
    }

    /**
     * @param url a resource URL
     * @param token the access token
     * @param body the JSON body
     * @return the created resource
     */
    public JsonObject post(String url, AccessToken token, JsonObject body) {
        return send("POST", url, "GNAP " + token.value(), body, true);
    }

    /**
     * @param url a resource URL
     * @param token the access token
     * @return the resource
     */
    public JsonObject get(String url, AccessToken token) {
        return send("GET", url, "GNAP " + token.value(), null, true);
    }

    /**
     * The interaction hash the AS puts on the finish redirect.
     *
     * @param clientNonce the client's nonce
     * @param asNonce the AS's nonce
     * @param interactRef the interaction reference
     * @param grantEndpoint the URL the grant request went to
     * @return base64 SHA-256 of the four, newline-separated
     */
    public static String interactionHash(String clientNonce, String asNonce, String interactRef, String grantEndpoint) {
        return Base64.getEncoder()
                .encodeToString(sha(
                        "SHA-256",
                        (clientNonce + "\n" + asNonce + "\n" + interactRef + "\n" + grantEndpoint)
                                .getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @param expected the hash we computed
     * @param received the hash on the redirect
     * @return whether they are equal, compared in constant time
     */
    public static boolean hashMatches(String expected, String received) {
        return received != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), received.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The headers this client signs and sends, exposed for independent checks of the signature.
     *
     * @param method the method
     * @param url the target URI
     * @param authorization the Authorization value, or null
     * @param body the exact body bytes, or empty
     * @return lower-case header names to values, content and signature headers included
     */
    public Map<String, String> signedHeaders(String method, String url, String authorization, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        if (body.length > 0) {
            headers.put("content-digest", "sha-512=:" + Base64.getEncoder().encodeToString(sha("SHA-512", body)) + ":");
            headers.put("content-length", Integer.toString(body.length));
            headers.put("content-type", "application/json");
        }
        List<String> components = new ArrayList<>(List.of("@method", "@target-uri"));
        if (authorization != null) {
            components.add("authorization");
        }
        if (body.length > 0) {
            components.addAll(List.of("content-digest", "content-length", "content-type"));
        }
        StringBuilder params = new StringBuilder("(");
        StringBuilder base = new StringBuilder();
        for (int i = 0; i < components.size(); i++) {
            String c = components.get(i);
            params.append(i == 0 ? "" : " ").append('"').append(c).append('"');
            String value = c.equals("@method")
                    ? method.toUpperCase(Locale.ROOT)
                    : c.equals("@target-uri") ? url : headers.get(c);
            base.append('"').append(c).append("\": ").append(value).append('\n');
        }
        params.append(");keyid=\"")
                .append(keyId)
                .append("\";created=")
                .append(clock.instant().getEpochSecond());
        base.append("\"@signature-params\": ").append(params);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(base.toString().getBytes(StandardCharsets.UTF_8));
            headers.put("signature-input", "sig1=" + params);
            headers.put("signature", "sig1=:" + Base64.getEncoder().encodeToString(signer.sign()) + ":");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
        return headers;
    }

    private JsonObject send(String method, String url, String authorization, JsonObject body, boolean sign) {
        byte[] bytes = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
        int attempts = method.equals("GET") ? 2 : 1;
        for (int attempt = 1; ; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Accept", "application/json")
                    .method(
                            method,
                            bytes.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(bytes));
            if (sign) {
                // Content-Length is set by the HTTP client from the same bytes; it refuses to let us set it.
                signedHeaders(method, url, authorization, bytes).forEach((k, v) -> {
                    if (!k.equals("content-length")) {
                        b.header(k, v);
                    }
                });
            }
            HttpResponse<String> response;
            try {
                response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                throw new OpenPaymentsException(0, "TIMEOUT", method + " " + url + " timed out", !method.equals("GET"));
            } catch (IOException e) {
                if (attempt < attempts) {
                    continue;
                }
                throw new OpenPaymentsException(0, "NETWORK", method + " " + url + ": " + e, !method.equals("GET"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OpenPaymentsException(0, "INTERRUPTED", method + " " + url, !method.equals("GET"));
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                String text = response.body();
                if (text == null || text.isBlank()) {
                    return JsonValue.EMPTY_JSON_OBJECT;
                }
                try (JsonReader reader = Json.createReader(new StringReader(text))) {
                    return reader.readObject();
                } catch (RuntimeException e) {
                    throw new OpenPaymentsException(status, "BAD_RESPONSE", "not JSON: " + e.getMessage(), false);
                }
            }
            if (status >= 500 && attempt < attempts) {
                continue;
            }
            throw error(method, status, response.body());
        }
    }

    private static OpenPaymentsException error(String method, int status, String body) {
        String code = "HTTP_" + status;
        String description = body == null ? "" : body;
        try (JsonReader reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            JsonObject json = reader.readObject();
            JsonObject error = json.getJsonObject("error");
            if (error != null) {
                code = error.getString("code", code);
                description = error.getString("description", "");
            } else if (json.containsKey("message")) {
                description = json.getString("message", "");
            }
        } catch (RuntimeException ignored) {
            // not JSON: keep the HTTP status as the code
        }
        // A 5xx to a request that creates something may have been acted on before the server failed.
        boolean unknown = status >= 500 && !method.equals("GET");
        return new OpenPaymentsException(
                status, "OP_" + code.toUpperCase(Locale.ROOT).replace('-', '_'), description, unknown);
    }

    private GrantResponse grantResponse(JsonObject json) {
        AccessToken token = json.containsKey("access_token") ? accessToken(json.getJsonObject("access_token")) : null;
        JsonObject interact = json.getJsonObject("interact");
        JsonObject cont = json.getJsonObject("continue");
        return new GrantResponse(
                token,
                interact == null ? null : interact.getString("redirect", null),
                interact == null ? null : interact.getString("finish", null),
                cont == null ? null : cont.getString("uri", null),
                cont == null ? null : cont.getJsonObject("access_token").getString("value", null));
    }

    private AccessToken accessToken(JsonObject json) {
        Instant expiresAt = json.containsKey("expires_in")
                ? clock.instant().plusSeconds(json.getJsonNumber("expires_in").longValue())
                : Instant.MAX;
        return new AccessToken(json.getString("value"), json.getString("manage", null), expiresAt);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static byte[] sha(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
