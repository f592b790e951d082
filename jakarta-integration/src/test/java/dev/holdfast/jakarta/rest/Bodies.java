package dev.holdfast.jakarta.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request bodies as the API's clients write them: plain JSON objects. */
final class Bodies {
    private Bodies() {}

    static Map<String, Object> money(long minor) {
        return Map.of("minor", minor, "asset", "USD", "scale", 2);
    }

    /**
     * @param buyer who pays
     * @param seller who is paid; releases go to the rail address {@code sandbox:<seller>}
     * @param now the engine's time
     * @param milestones the milestone amounts in cents, named m1, m2, ...
     */
    static Map<String, Object> create(String buyer, String seller, Instant now, long... milestones) {
        return create(
                buyer, seller, now, Map.of("kind", "RAIL_ADDRESS", "address", "sandbox:" + seller), null, milestones);
    }

    static Map<String, Object> create(
            String buyer,
            String seller,
            Instant now,
            Map<String, Object> sellerPayout,
            Map<String, Object> buyerRefund,
            long... milestones) {
        List<Map<String, Object>> ms = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < milestones.length; i++) {
            ms.add(Map.of(
                    "id",
                    "m" + (i + 1),
                    "title",
                    "part " + (i + 1),
                    "amountMinor",
                    milestones[i],
                    "deliverBy",
                    now.plus(Duration.ofDays(10 + i)).toString()));
            total += milestones[i];
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("buyer", buyer);
        body.put("seller", seller);
        body.put("rail", "sandbox");
        body.put("amount", money(total));
        body.put("milestones", ms);
        body.put("fundBy", now.plus(Duration.ofDays(1)).toString());
        body.put("inspectionPeriod", "P3D");
        body.put("disputeWindow", "P7D");
        body.put("sellerPayout", sellerPayout);
        if (buyerRefund != null) {
            body.put("buyerRefund", buyerRefund);
        }
        body.put("reference", "order-1");
        body.put("metadata", Map.of("listing", "42"));
        return body;
    }

    static final Map<String, Object> INTERNAL_BALANCE = Map.of("kind", "INTERNAL_BALANCE");
}
