package dev.holdfast.lightning.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lightningj.lnd.wrapper.StatusException;
import org.lightningj.lnd.wrapper.SynchronousLndAPI;
import org.lightningj.lnd.wrapper.invoices.AsynchronousInvoicesAPI;
import org.lightningj.lnd.wrapper.invoices.SynchronousInvoicesAPI;
import org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceRequest;
import org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceResp;
import org.lightningj.lnd.wrapper.invoices.message.SubscribeSingleInvoiceRequest;
import org.lightningj.lnd.wrapper.message.Invoice;
import org.lightningj.lnd.wrapper.message.Invoice.InvoiceState;

/** The simulator over TCP with TLS, driven by LightningJ's own (host, port, cert, macaroon) constructors. */
class TlsMacaroonIT {
    private LndSimulator sim;
    private File cert;
    private File macaroon;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        sim = LndSimulator.builder().tcp(0).dataDir(dir.resolve("lnd")).build().start();
        cert = sim.tlsCertPath().toFile();
        macaroon = sim.adminMacaroonPath().toFile();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void aClientWithTheNodesCertificateAndMacaroonRunsTheHoldInvoiceFlow() throws Exception {
        SynchronousLndAPI lnd = new SynchronousLndAPI("localhost", sim.port(), cert, macaroon);
        SynchronousInvoicesAPI invoices = new SynchronousInvoicesAPI("localhost", sim.port(), cert, macaroon);
        try {
            assertThat(lnd.getInfo().getIdentityPubkey()).isEqualTo(sim.identityPubkey());
            byte[] preimage = SimulatorTestBase.randomPreimage();
            AddHoldInvoiceResp resp = invoices.addHoldInvoice(holdRequest(preimage));
            sim.payInvoiceAsBuyer(resp.getPaymentRequest());

            assertThat(lnd.lookupInvoice(null, SimulatedNode.sha256(preimage)).getState())
                    .isEqualTo(InvoiceState.ACCEPTED);
        } finally {
            lnd.close();
            invoices.close();
        }
    }

    @Test
    void aMacaroonOfAnotherNodeIsRefusedOverTls(@TempDir Path other) throws Exception {
        File foreign;
        try (LndSimulator stranger = LndSimulator.builder().dataDir(other).build()) {
            foreign = stranger.adminMacaroonPath().toFile();
        }
        SynchronousLndAPI lnd = new SynchronousLndAPI("localhost", sim.port(), cert, foreign);
        try {
            assertThatThrownBy(lnd::getInfo).isInstanceOf(StatusException.class).satisfies(e -> {
                Status status = ((StatusException) e).getStatus();
                assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(status.getDescription())
                        .isEqualTo("verification failed: signature mismatch after caveat verification");
            });
        } finally {
            lnd.close();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect(@TempDir Path other) throws Exception {
        File strangerCert;
        try (LndSimulator stranger =
                LndSimulator.builder().tcp(0).dataDir(other).build()) {
            strangerCert = stranger.tlsCertPath().toFile();
        }
        SynchronousLndAPI lnd = new SynchronousLndAPI("localhost", sim.port(), strangerCert, macaroon);
        try {
            assertThatThrownBy(lnd::getInfo).isInstanceOf(StatusException.class).satisfies(e -> assertThat(
                            ((StatusException) e).getStatus().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            lnd.close();
        }
    }

    @Test
    void afterARestartOnTheSamePortTheSameClientReconnectsAndFindsItsInvoice() throws Exception {
        int port = sim.port();
        SynchronousLndAPI lnd = new SynchronousLndAPI("localhost", port, cert, macaroon);
        SynchronousInvoicesAPI invoices = new SynchronousInvoicesAPI("localhost", port, cert, macaroon);
        AsynchronousInvoicesAPI asyncInvoices = new AsynchronousInvoicesAPI("localhost", port, cert, macaroon);
        try {
            byte[] preimage = SimulatorTestBase.randomPreimage();
            AddHoldInvoiceResp resp = invoices.addHoldInvoice(holdRequest(preimage));
            Recorder<Invoice> stream = new Recorder<>();
            SubscribeSingleInvoiceRequest sub = new SubscribeSingleInvoiceRequest();
            sub.setRHash(SimulatedNode.sha256(preimage));
            asyncInvoices.subscribeSingleInvoice(sub, stream);
            assertThat(stream.nextValue().getState()).isEqualTo(InvoiceState.OPEN);

            sim.restart();
            assertThat(stream.next().error().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(sim.port()).isEqualTo(port);
            sim.payInvoiceAsBuyer(resp.getPaymentRequest());

            Invoice after = retry(() -> lnd.lookupInvoice(null, SimulatedNode.sha256(preimage)));
            assertThat(after.getState()).isEqualTo(InvoiceState.ACCEPTED);
        } finally {
            lnd.close();
            invoices.close();
            asyncInvoices.close();
        }
    }

    private static AddHoldInvoiceRequest holdRequest(byte[] preimage) {
        AddHoldInvoiceRequest req = new AddHoldInvoiceRequest();
        req.setHash(SimulatedNode.sha256(preimage));
        req.setValueMsat(2_000_000);
        req.setExpiry(3_600);
        req.setCltvExpiry(144);
        return req;
    }

    // A client's channel may still be backing off from the restart; an adapter retries the same way.
    private static <T> T retry(Callable<T> call) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return call.call();
            } catch (StatusException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
