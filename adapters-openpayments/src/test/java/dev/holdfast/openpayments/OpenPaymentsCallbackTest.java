package dev.holdfast.openpayments;

import static dev.holdfast.openpayments.OpenPaymentsSimulatorFixture.BUYER;
import static dev.holdfast.openpayments.OpenPaymentsSimulatorFixture.USD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.TransferId;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.RailCallback;
import dev.holdfast.spi.RailError;
import dev.holdfast.spi.RailResult;
import dev.holdfast.spi.RailStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The finish redirect through the generic {@code onCallback} hook, against the Open Payments simulator. */
class OpenPaymentsCallbackTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final OpenPaymentsSimulatorFixture fixture = new OpenPaymentsSimulatorFixture();
    private final OpenPaymentsPaymentRail rail = fixture.openPaymentsRail();

    @AfterEach
    void close() {
        fixture.close();
    }

    private FundingRequest funding(long minor) {
        String id = "cb-fund-" + IDS.incrementAndGet();
        Instant now = fixture.mutableClock().instant();
        return new FundingRequest(
                TransferId.of(id),
                EscrowId.of("escrow-" + id),
                Money.of(minor, USD),
                BUYER,
                PartyId.of("seller"),
                now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(3)),
                Map.of());
    }

    private Map<String, String> approveAndBrowse(FundingRequest request, boolean approve) {
        RailResult opened = rail.openFunding(request);
        String url = ((PartyInstruction.ApproveAt) opened.instruction()).url();
        if (approve) {
            fixture.simulator().approveNext();
        } else {
            fixture.simulator().denyNext();
        }
        return fixture.browse(url);
    }

    private static RailCallback callback(String path, Map<String, String> query) {
        Map<String, List<String>> q = new HashMap<>();
        query.forEach((k, v) -> q.put(k, List.of(v)));
        return new RailCallback(path, q);
    }

    private RailStatus awaitFunding(TransferId id) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            RailStatus s = rail.query(id).status();
            if (s != RailStatus.PENDING) {
                return s;
            }
            Thread.sleep(25);
        }
        return RailStatus.PENDING;
    }

    @Test
    void theGenuineFinishRedirectFundsTheEscrowOnce() throws Exception {
        FundingRequest request = funding(12_345);
        Map<String, String> finish = approveAndBrowse(request, true);

        RailResult r = rail.onCallback(callback(request.transferId().value(), finish));

        assertThat(r.status()).isIn(RailStatus.PENDING, RailStatus.SUCCEEDED);
        assertThat(r.error()).isNull();
        assertThat(awaitFunding(request.transferId())).isEqualTo(RailStatus.SUCCEEDED);
        assertThat(fixture.simulator().balance("escrow")).isEqualTo(12_345);
        // The same redirect again (a browser reload) moves nothing more.
        rail.onCallback(callback(request.transferId().value(), finish));
        assertThat(fixture.simulator().outgoingPayments("buyer")).hasSize(1);
    }

    @Test
    void aForgedHashIsIgnoredAndTheFundingKeepsWaiting() {
        FundingRequest request = funding(5_000);
        Map<String, String> finish = new HashMap<>(approveAndBrowse(request, true));
        finish.put("hash", "Zm9yZ2Vk");

        RailResult r = rail.onCallback(callback(request.transferId().value(), finish));

        assertThat(r.status()).isEqualTo(RailStatus.PENDING);
        assertThat(r.error().code()).isEqualTo("INTERACTION_HASH_MISMATCH");
        assertThat(fixture.simulator().outgoingPayments("buyer")).isEmpty();
    }

    @Test
    void aRejectedGrantFailsTheFundingWithConsentDenied() {
        FundingRequest request = funding(5_000);
        Map<String, String> finish = approveAndBrowse(request, false);
        assertThat(finish).containsEntry("result", "grant_rejected");

        RailResult r = rail.onCallback(callback(request.transferId().value(), finish));

        assertThat(r.status()).isEqualTo(RailStatus.FAILED);
        assertThat(r.error().code()).isEqualTo("CONSENT_DENIED");
    }

    @Test
    void aCallbackWithoutPathOrParametersIsInvalidAndAnUnknownTransferIsNotFound() {
        assertThat(rail.onCallback(callback("", Map.of("interact_ref", "x", "hash", "y")))
                        .error()
                        .code())
                .isEqualTo(RailError.INVALID_CALLBACK);
        assertThat(rail.onCallback(callback("t-1", Map.of())).error().code()).isEqualTo(RailError.INVALID_CALLBACK);
        assertThat(rail.onCallback(callback("escrow-grant", Map.of("interact_ref", "x")))
                        .error()
                        .code())
                .isEqualTo(RailError.INVALID_CALLBACK);
        assertThat(rail.onCallback(callback("never-opened", Map.of("interact_ref", "x", "hash", "y")))
                        .error()
                        .code())
                .isEqualTo(RailError.NOT_FOUND);
    }

    @Test
    void aForgedEscrowGrantRedirectIsRefused() {
        RailResult r = rail.onCallback(callback("escrow-grant", Map.of("interact_ref", "x", "hash", "y")));
        assertThat(r.status()).isEqualTo(RailStatus.FAILED);
        assertThat(r.error().code()).isIn("INTERACTION_HASH_MISMATCH");
    }
}
