package dev.holdfast.examples.shop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebElement;

/**
 * The happy path on each rail, as the three people would click it: ana (buyer) checks out the film camera, sees how to
 * pay, pays from the simulated wallet panel; ben (seller), whose page is open all along, sees the escrow funded live;
 * he marks it delivered, ana accepts, and ben's simulated wallet has received exactly what was promised.
 */
@ExtendWith(Chromium.class)
class RailCheckoutE2E {

    private static final String LISTING = "camera";
    private static final String MILESTONE = "m1";

    @ParameterizedTest
    @ValueSource(strings = {"lightning", "openpayments", "stellar"})
    void buyerFundsOnTheRailAndSellerIsPaidOnAcceptance(String rail, Chromium.Personas personas) {
        Browser ben = Shop.login(personas.of("ben"));
        long benBefore = Wallets.balance(ben, "ben", rail);
        ben.shot("wallet-before");

        Browser ana = Shop.login(personas.of("ana"));
        ana.find("listing-" + LISTING);
        ana.select("listing-" + LISTING + "-rail", rail);
        ana.shot("catalog");
        ana.click("listing-" + LISTING + "-checkout");
        String escrowId = Shop.escrowId(ana);

        // The funding instruction, as the rail's own wallet would need it.
        ana.waitText("escrow-status", "AWAITING_FUNDING"::equals);
        String promised = ana.text("funding-amount");
        assertThat(Shop.minor(promised)).isPositive();
        assertThat(Shop.minor(ana.text("escrow-amount"))).isEqualTo(Shop.minor(promised));
        switch (rail) {
            case "lightning" -> {
                assertThat(ana.text("funding-bolt11")).startsWith("ln");
                WebElement qr = ana.find("funding-qr");
                ana.until("the QR code image loaded", d ->
                        (Boolean) ana.script("return arguments[0].complete && arguments[0].naturalWidth > 0", qr));
            }
            case "openpayments" -> assertThat(ana.attribute("funding-consent-link", "href"))
                    .startsWith("http");
            case "stellar" -> {
                assertThat(ana.text("funding-stellar-xdr")).matches("[A-Za-z0-9+/=]{40,}");
                assertThat(ana.text("funding-stellar-network")).isNotBlank();
            }
            default -> throw new IllegalArgumentException(rail);
        }
        ana.shot("funding-instruction");

        // ben watches the same escrow; the marker shows the page was never reloaded.
        ben.open(Shop.URL + "escrow.html?id=" + escrowId);
        ben.waitText("escrow-status", "AWAITING_FUNDING"::equals);
        Live.awaitConnected(ben);
        Live.awaitConnected(ana);

        ana.click("wallet-fund");
        ana.text("wallet-result");
        ana.waitText("escrow-status", "FUNDED"::equals);
        ana.shot("funded");
        ben.waitText("escrow-status", "FUNDED"::equals);
        Live.assertNotReloaded(ben);
        Live.assertNotReloaded(ana);
        ben.shot("sees-funded-live");

        ben.click("milestone-" + MILESTONE + "-deliver");
        ben.waitText("milestone-" + MILESTONE + "-status", "DELIVERED"::equals);
        ben.shot("delivered");

        ana.waitText("milestone-" + MILESTONE + "-status", "DELIVERED"::equals);
        ana.click("milestone-" + MILESTONE + "-accept");
        if (rail.equals("stellar")) {
            // The payout leaves a multisig escrow account: the buyer's co-signature releases it.
            ana.find("pending-signature");
            ana.shot("cosign");
            ana.click("wallet-cosign");
        }
        ana.waitText("escrow-status", "RELEASED"::equals);
        ana.shot("released");

        long benGets = Shop.sellerGets(ana);
        Live.assertNotReloaded(ben);
        ben.waitText("escrow-status", "RELEASED"::equals);
        Wallets.awaitBalance(ben, "ben", rail, benBefore + benGets);
        ben.shot("wallet-after");
    }
}
