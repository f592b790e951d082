package dev.holdfast.lightning.simulator;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.lightningj.lnd.wrapper.StatusException;
import org.lightningj.lnd.wrapper.SynchronousLndAPI;
import org.lightningj.lnd.wrapper.invoices.AsynchronousInvoicesAPI;
import org.lightningj.lnd.wrapper.invoices.SynchronousInvoicesAPI;
import org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceRequest;
import org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceResp;
import org.lightningj.lnd.wrapper.router.AsynchronousRouterAPI;
import org.lightningj.lnd.wrapper.router.SynchronousRouterAPI;

/** An in-process simulator on a {@link MutableClock}, with LightningJ's client APIs on one channel. */
abstract class SimulatorTestBase {
    static final Instant EPOCH = Instant.parse("2026-01-15T12:00:00Z");
    private static final SecureRandom RANDOM = new SecureRandom();

    MutableClock clock;
    LndSimulator sim;
    ManagedChannel channel;
    SynchronousLndAPI lnd;
    SynchronousInvoicesAPI invoices;
    AsynchronousInvoicesAPI asyncInvoices;
    SynchronousRouterAPI router;
    AsynchronousRouterAPI asyncRouter;

    LndSimulator.Builder configure(LndSimulator.Builder builder) {
        return builder;
    }

    @BeforeEach
    void startSimulator() throws Exception {
        clock = MutableClock.startingAt(EPOCH);
        sim = configure(LndSimulator.builder().clock(clock)).build().start();
        connect();
    }

    void connect() {
        channel = sim.newInProcessChannel();
        lnd = new SynchronousLndAPI(channel);
        invoices = new SynchronousInvoicesAPI(channel);
        asyncInvoices = new AsynchronousInvoicesAPI(channel);
        router = new SynchronousRouterAPI(channel);
        asyncRouter = new AsynchronousRouterAPI(channel);
    }

    @AfterEach
    void stopSimulator() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        sim.close();
    }

    static byte[] randomPreimage() {
        byte[] preimage = new byte[32];
        RANDOM.nextBytes(preimage);
        return preimage;
    }

    /** Adds a hold invoice on sha256(preimage). */
    AddHoldInvoiceResp addHold(byte[] preimage, long valueMsat, long expiry, long cltvExpiry) throws Exception {
        AddHoldInvoiceRequest req = new AddHoldInvoiceRequest();
        req.setHash(SimulatedNode.sha256(preimage));
        req.setValueMsat(valueMsat);
        req.setMemo("escrow 42");
        req.setExpiry(expiry);
        req.setCltvExpiry(cltvExpiry);
        return invoices.addHoldInvoice(req);
    }

    /** Asserts that {@code call} fails with LightningJ's StatusException carrying {@code code} and {@code message}. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertLndError(
            ThrowingCallable call, Status.Code code, String message) {
        return assertThatThrownBy(call).isInstanceOf(StatusException.class).satisfies(e -> {
            Status status = ((StatusException) e).getStatus();
            org.assertj.core.api.Assertions.assertThat(status.getCode()).isEqualTo(code);
            org.assertj.core.api.Assertions.assertThat(status.getDescription()).isEqualTo(message);
        });
    }
}
