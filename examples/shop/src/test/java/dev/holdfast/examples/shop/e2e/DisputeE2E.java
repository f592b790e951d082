package dev.holdfast.examples.shop.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dispute from start to split: ana pays for the film camera on Open Payments, ben marks it delivered, ana disputes it
 * with a photo as evidence and escalates; carol, the arbiter, splits it, and each side's wallet receives its share:
 * ben the part carol gave him less the shop's 1 % fee on it, ana the rest of what she paid.
 */
@ExtendWith(Chromium.class)
class DisputeE2E {

    private static final String RAIL = "openpayments";
    private static final String LISTING = "camera";

    @Test
    void arbiterSplitsADisputedOrderAndEachSideGetsItsShare(Chromium.Personas personas, @TempDir Path tmp)
            throws IOException {
        Browser ben = Shop.login(personas.of("ben"));
        long benBefore = Wallets.balance(ben, "ben", RAIL);
        Browser ana = Shop.login(personas.of("ana"));
        long anaBefore = Wallets.balance(ana, "ana", RAIL);

        ana.open(Shop.URL);
        ana.select("listing-" + LISTING + "-rail", RAIL);
        ana.click("listing-" + LISTING + "-checkout");
        String escrowId = Shop.escrowId(ana);
        ana.waitText("escrow-status", "AWAITING_FUNDING"::equals);
        long paid = Shop.minor(ana.text("funding-amount"));
        ana.click("wallet-fund");
        ana.waitText("escrow-status", "FUNDED"::equals);
        assertThat(Wallets.balance(ana, "ana", RAIL)).isEqualTo(anaBefore - paid);

        ben.open(Shop.URL + "escrow.html?id=" + escrowId);
        ben.click("milestone-m1-deliver");
        ben.waitText("milestone-m1-status", "DELIVERED"::equals);
        Live.awaitConnected(ben);

        // ana disputes the delivery, with a statement and a photo.
        ana.open(Shop.URL + "escrow.html?id=" + escrowId);
        ana.waitText("milestone-m1-status", "DELIVERED"::equals);
        ana.click("milestone-m1-dispute");
        ana.find("dispute-form");
        ana.type("dispute-reason", "The light seal leaks: every frame of the test roll is fogged.");
        ana.shot("dispute-form");
        ana.click("dispute-open");
        ana.waitText("dispute-status", "OPEN"::equals);
        // The page rebuilds the dispute section when the event arrives: fill the evidence form after that.
        ana.waitText("last-event", "DisputeOpened"::equals);

        Path photo = tmp.resolve("fogged-frame.png");
        Files.write(photo, Evidence.png());
        ana.type("evidence-statement", "A scan of frame 12 of the test roll.");
        ana.upload("evidence-file", photo);
        ana.click("evidence-submit");
        ana.find("evidence-item");
        ana.find("evidence-attachment");
        ana.shot("evidence");

        ben.waitText("dispute-status", "OPEN"::equals);
        Live.assertNotReloaded(ben);
        ben.shot("sees-dispute-live");

        ana.click("dispute-escalate");
        ana.waitText("dispute-status", "ARBITRATION"::equals);

        // carol finds the case on her list, reads the evidence and gives ben 60 %.
        Browser carol = Shop.login(personas.of("carol"));
        carol.open(Shop.URL + "arbiter.html");
        carol.find("case-" + escrowId);
        carol.shot("cases");
        carol.click("case-" + escrowId + "-open");
        carol.find("evidence-attachment");
        long toSeller = paid * 60 / 100;
        carol.select("decision-kind", "SPLIT_AMOUNT");
        carol.type("decision-amount", Long.toString(toSeller));
        carol.type("decision-reason", "The camera works; the seal was not as described. 60 % to the seller.");
        carol.shot("decision");
        carol.click("decision-submit");
        carol.waitText("dispute-status", s -> s.equals("RESOLVED") || s.equals("DECIDED"));
        carol.text("dispute-resolution");
        carol.shot("decided");

        // A split milestone closes as released (its seller part); SETTLED is for escrows whose milestones ended
        // differently. The refund of the rest shows as a REFUND payout in the history.
        ana.waitText("escrow-status", "RELEASED"::equals);
        ana.until("the buyer's share paid out as a refund", d -> ana.all("history-item").stream()
                .anyMatch(e -> "PayoutRequested".equals(e.getAttribute("data-type"))
                        && e.getText().contains("kind REFUND")));
        ana.text("dispute-resolution");
        ana.shot("settled");

        // The fee is earned only on what is released, by the one rounding rule (floor).
        long fee = Math.floorDiv(toSeller * Shop.FEE_BASIS_POINTS, 10_000);
        Wallets.awaitBalance(ben, "ben", RAIL, benBefore + toSeller - fee);
        ben.shot("wallet-after");
        Wallets.awaitBalance(ana, "ana", RAIL, anaBefore - paid + (paid - toSeller));
        ana.shot("wallet-after");
    }
}
