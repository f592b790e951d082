package dev.holdfast.jakarta.rest;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small HTTP client for the API: every call names its user (or none), JSON answers are read into maps. Paths are
 * relative to the host application path, e.g. {@code holdfast/v1/escrows}.
 */
final class Http {
    static final Jsonb JSONB = JsonbBuilder.create();
    static final String OPERATOR_ROLE = "holdfast-operator";

    private final URI base;
    // HTTP/1.1: the JDK server speaks nothing else, and an h2c upgrade attempt on every request costs time
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Http(URI base) {
        this.base = base;
    }

    /** Who calls: a principal name and roles, or nobody. */
    record User(String name, String roles) {
        static User party(String name) {
            return new User(name, null);
        }

        static User operator(String name) {
            return new User(name, OPERATOR_ROLE);
        }

        static final User ANONYMOUS = new User(null, null);
    }

    /** An answer. */
    record Resp(int status, Map<String, List<String>> headers, byte[] bytes) {
        String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        String contentType() {
            return header("Content-Type");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return JSONB.fromJson(body(), LinkedHashMap.class);
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jsonList() {
            return JSONB.fromJson(body(), ArrayList.class);
        }

        String code() {
            Object code = json().get("code");
            return code == null ? null : code.toString();
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }

    Resp get(User user, String path) {
        return send(user, "GET", path, null, null, null, Map.of());
    }

    Resp get(User user, String path, Map<String, String> headers) {
        return send(user, "GET", path, null, null, null, headers);
    }

    Resp post(User user, String path, String key, Object body) {
        return send(user, "POST", path, key, "application/json", body == null ? null : json(body), Map.of());
    }

    Resp postJson(User user, String path, String key, String json) {
        return send(user, "POST", path, key, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    Resp postRaw(User user, String path, String key, String contentType, byte[] bytes, Map<String, String> headers) {
        return send(user, "POST", path, key, contentType, bytes, headers);
    }

    Resp send(
            User user,
            String method,
            String path,
            String key,
            String contentType,
            byte[] body,
            Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
        if (user.name() != null) {
            b.header(RestServer.USER, user.name());
        }
        if (user.roles() != null) {
            b.header(RestServer.ROLES, user.roles());
        }
        if (key != null) {
            b.header(IdempotencyKeys.HEADER, key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        b.method(
                method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Resp(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] json(Object body) {
        return (body instanceof String s ? s : JSONB.toJson(body)).getBytes(StandardCharsets.UTF_8);
    }
}
