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

    /** Rail ids (the values of the checkout's rail select) and the scale of the asset the shop charges in on each. */
    static final Map<String, Integer> SCALES = Map.of("lightning", 11, "openpayments", 2, "stellar", 7);

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
    static long sellerGets(Browser page, int scale) {
        long amount = minor(page.text("escrow-amount"), scale);
        return amount - Math.floorDiv(Math.multiplyExact(amount, FEE_BASIS_POINTS), 10_000);
    }

    /**
     * Minor units of a formatted amount such as {@code 25.00 USD} or {@code 0.00025000 BTC}, in the given scale. The
     * decimal arithmetic stays in the test: it reads what a person reads.
     */
    static long minor(String formatted, int scale) {
        String number = formatted.strip().split("\\s+")[0].replace(",", "");
        return new BigDecimal(number).movePointRight(scale).longValueExact();
    }
}
