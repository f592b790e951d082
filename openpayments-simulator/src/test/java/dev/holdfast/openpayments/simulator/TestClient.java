package dev.holdfast.openpayments.simulator;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.json.Json;
import javax.json.JsonArray;
import javax.json.JsonObject;
import javax.json.JsonReader;

/** A minimal signing Open Payments client for the simulator's own tests; the real one lives in the adapter. */
final class TestClient {
    final KeyPair keys;
    final String kid;
    final String walletAddress;
    private final Clock clock;
    private final HttpClient http = HttpClient.newHttpClient();
    /** Replaces the body after signing, to play a tampering proxy. */
    byte[] tamperedBody;
    /** Every signed request as a job for the npm signature check (src/test/node/check.js). */
    final java.util.List<JsonObject> signedRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

    TestClient(OpenPaymentsSimulator sim, String walletName, String kid, Clock clock) {
        try {
            this.keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.kid = kid;
        this.walletAddress = sim.walletAddressUrl(walletName);
        this.clock = clock;
        sim.addKey(walletName, jwk().toString());
    }

    JsonObject jwk() {
        return Json.createObjectBuilder()
                .add("kid", kid)
                .add("kty", "OKP")
                .add("crv", "Ed25519")
                .add("alg", "EdDSA")
                .add("x", HttpSignatures.jwkX(keys.getPublic()))
                .build();
    }

    record Answer(int status, JsonObject json, HttpResponse<String> raw) {
        String errorCode() {
            return json.getJsonObject("error").getString("code");
        }
    }

    Answer send(String method, String url, String authorization, JsonObject body) {
        return send(method, url, authorization, body, true);
    }

    Answer send(String method, String url, String authorization, JsonObject body, boolean sign) {
        byte[] bytes = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("authorization", authorization);
        }
        if (bytes.length > 0) {
            headers.put("content-digest", HttpSignatures.contentDigest(bytes));
            headers.put("content-length", Integer.toString(bytes.length));
            headers.put("content-type", "application/json");
        }
        if (sign) {
            headers.putAll(HttpSignatures.sign(
                    keys.getPrivate(), kid, clock.instant().getEpochSecond(), method, url, headers));
        }
        byte[] sent = tamperedBody != null ? tamperedBody : bytes;
        if (sign) {
            var h = Json.createObjectBuilder();
            headers.forEach(h::add);
            var request = Json.createObjectBuilder()
                    .add("method", method)
                    .add("url", url)
                    .add("headers", h);
            if (bytes.length > 0) {
                request.add("body", new String(bytes, StandardCharsets.UTF_8));
            }
            signedRequests.add(Json.createObjectBuilder()
                    .add("kind", "signature")
                    .add("jwk", jwk())
                    .add("request", request)
                    .build());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        sent.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(sent));
        headers.forEach((k, v) -> {
            if (!k.equals("content-length")) {
                b.header(k, v);
            }
        });
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonObject json = Json.createObjectBuilder().build();
            if (r.body() != null && r.body().startsWith("{")) {
                try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
                    json = reader.readObject();
                }
            }
            return new Answer(r.statusCode(), json, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A non-interactive grant; answers the grant response. */
    Answer grant(String authServer, JsonArray access) {
        return send(
                "POST",
                authServer,
                null,
                Json.createObjectBuilder()
                        .add("access_token", Json.createObjectBuilder().add("access", access))
                        .add("client", walletAddress)
                        .build());
    }

    static String token(Answer grant) {
        return "GNAP " + grant.json().getJsonObject("access_token").getString("value");
    }

    static JsonObject amount(long value, String code, int scale) {
        return Json.createObjectBuilder()
                .add("value", Long.toString(value))
                .add("assetCode", code)
                .add("assetScale", scale)
                .build();
    }

    static JsonArray access(String type, String identifier, String... actions) {
        var a = Json.createObjectBuilder()
                .add("type", type)
                .add("actions", Json.createArrayBuilder(java.util.List.of(actions)));
        if (identifier != null) {
            a.add("identifier", identifier);
        }
        return Json.createArrayBuilder().add(a).build();
    }
}
