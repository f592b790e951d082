package dev.holdfast.examples.shop.e2e;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The running shop as the tests see it: its address, the personas' logins, and the few facts of the UI contract
 * ({@code examples/shop/UI-CONTRACT.md}) that several tests share. The address comes from {@code -Dshop.url}, which
 * the {@code e2e} Maven profile sets to the port it reserved and started Liberty on.
 */
final class Shop {

    /** The shop's base URL, ending in a slash. */
    static final String URL = withSlash(System.getProperty("shop.url", "http://localhost:9080/"));

    private Shop() {}

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    /** Logs {@code persona} in through the FORM login page (password {@code <persona>-pw}) and lands on the catalog. */
    static Browser login(Browser browser) {
        String persona = browser.persona();
        browser.open(URL);
        browser.find("login-username");
        browser.shot("login");
        browser.type("login-username", persona);
        browser.type("login-password", persona + "-pw");
        browser.click("login-submit");
        browser.until(
                "the login to be accepted",
                d -> !d.getCurrentUrl().contains("login") && !d.getCurrentUrl().contains("j_security_check"));
        if (!browser.url().equals(URL) && !browser.url().startsWith(URL + "index.html")) {
            // Liberty's FORM login returns to the last protected URL the browser asked for, which is the favicon that
            // Chromium fetched behind the login page: go to the catalog, as a person would.
            browser.open(URL);
        }
        browser.waitText("nav-user", persona::equals);
        return browser;
    }

    /** The escrow id of the escrow page a browser shows. */
    static String escrowId(Browser browser) {
        return browser.until("an escrow page", d -> {
            String url = d.getCurrentUrl();
            int at = url.indexOf("escrow.html?id=");
            return at < 0
                    ? null
                    : url.substring(at + "escrow.html?id=".length()).replaceAll("[&#].*$", "");
        });
    }

    /** The shop's fee, from {@code Checkout.FEE}: 1 % of what is released, paid by the seller. */
    static final int FEE_BASIS_POINTS = 100;

    /**
     * What the seller is promised for the escrow on this page: the escrow amount less the shop's fee, by the engine's
     * one rounding rule ({@code floor(amount × bp / 10 000)}, see {@code FeeSchedule}).
     */
    static long sellerGets(Browser page) {
        long amount = minor(page.text("escrow-amount"));
        return amount - Math.floorDiv(Math.multiplyExact(amount, FEE_BASIS_POINTS), 10_000);
    }

    /** Decimal places between each shown unit and the minor unit the engine and the wallets count in. */
    private static final Map<String, Integer> UNIT_SCALES = Map.of("sat", 3, "BTC", 11, "USD", 2, "EUR", 2, "XLM", 7);

    /**
     * Minor units of an amount as the shop shows it ({@code 25,000 sat} is 25,000,000 msat, {@code 25.00 USD} 2,500
     * cents, {@code 250.00 XLM} 2,500,000,000 stroops; UI-CONTRACT.md, Formats). The decimal arithmetic stays in the
     * test: it reads what a person reads.
     */
    static long minor(String formatted) {
        String[] parts = formatted.strip().split("\\s+");
        Integer scale = parts.length == 2 ? UNIT_SCALES.get(parts[1]) : null;
        if (scale == null) {
            throw new IllegalArgumentException("not an amount as the shop shows one: '" + formatted + "'");
        }
        return new BigDecimal(parts[0].replace(",", "")).movePointRight(scale).longValueExact();
    }
}
