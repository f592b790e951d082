package dev.holdfast.openpayments.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Strict parsing of payment pointers ({@code $wallet.example/alice}) and wallet address URLs. Stateless.
 */
public final class WalletAddresses {
    private WalletAddresses() {}

    /**
     * @param text a payment pointer or a wallet address URL
     * @param allowHttp whether plain {@code http} is accepted (local simulators only)
     * @return the wallet address URL, without a trailing slash
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static String parse(String text, boolean allowHttp) {
        if (text == null || text.isBlank() || text.length() > 2000 || !text.equals(text.strip())) {
            throw new IllegalArgumentException("a wallet address must be a non-blank URL or $pointer without spaces");
        }
        String url;
        if (text.startsWith("$")) {
            String rest = text.substring(1);
            if (rest.contains("://") || rest.startsWith("/")) {
                throw new IllegalArgumentException("a payment pointer is $host/path, not " + text);
            }
            // A bare $host means the well-known path (the payment pointer specification).
            url = "https://" + (rest.contains("/") ? rest : rest + "/.well-known/pay");
        } else {
            url = text;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new IllegalArgumentException("a wallet address must use https: " + text);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("a wallet address needs a host: " + text);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a wallet address has no user info, query or fragment: " + text);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.contains("//") || path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
            throw new IllegalArgumentException("a wallet address path must be plain: " + text);
        }
        String normalized = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (normalized.equals(scheme + "://" + uri.getRawAuthority())) {
            throw new IllegalArgumentException("a wallet address needs a path: " + text);
        }
        return normalized;
    }
}
