package dev.holdfast.examples.shop.e2e;

/** The simulated wallets page ({@code /wallets.html}) as a persona sees it. */
final class Wallets {

    private Wallets() {}

    /** The persona's wallet balance on the rail, in minor units, read from {@code /wallets.html}. */
    static long balance(Browser browser, String party, String rail) {
        browser.open(Shop.URL + "wallets.html");
        return Long.parseLong(browser.attribute("wallet-balance-" + party + "-" + rail, "data-minor"));
    }

    /**
     * Reloads {@code /wallets.html} until the balance is exactly {@code expected} (a payout may settle a moment after
     * the escrow says released), bounded by the harness's wait; fails with the last balance seen.
     */
    static void awaitBalance(Browser browser, String party, String rail, long expected) {
        String id = "wallet-balance-" + party + "-" + rail;
        long[] last = {Long.MIN_VALUE};
        browser.until(
                () -> party + "'s " + rail + " wallet to hold exactly " + expected + ", last seen " + last[0], d -> {
                    browser.open(Shop.URL + "wallets.html");
                    last[0] = Long.parseLong(browser.attribute(id, "data-minor"));
                    return last[0] == expected ? Boolean.TRUE : null;
                });
    }
}
