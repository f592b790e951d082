package dev.holdfast.lightning.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.wrapper.MacaroonClientInterceptor;
import org.lightningj.lnd.wrapper.SynchronousLndAPI;

class MacaroonTest extends SimulatorTestBase {

    @Test
    void aCallWithoutMacaroonIsRefused() throws Exception {
        ManagedChannel bare = sim.inProcessChannelBuilder().build();
        try {
            assertLndError(
                    () -> new SynchronousLndAPI(bare).getInfo(),
                    Status.Code.UNAUTHENTICATED,
                    "expected 1 macaroon, got 0");
        } finally {
            bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMacaroonFromAnotherNodeFailsSignatureVerification() throws Exception {
        String foreign;
        try (LndSimulator other = LndSimulator.builder().build()) {
            foreign = other.adminMacaroonHex();
        }
        assertRefused(foreign, "verification failed: signature mismatch after caveat verification");
    }

    @Test
    void aTamperedCaveatFailsSignatureVerification() throws Exception {
        String attenuated = sim.adminMacaroonHexWithCaveat("time-before 2030-01-01T00:00:00Z");
        String tampered = attenuated.replace(
                HexFormat.of().formatHex("2030".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                HexFormat.of().formatHex("2099".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

        assertRefused(tampered, "verification failed: signature mismatch after caveat verification");
    }

    @Test
    void anExpiredTimeBeforeCaveatIsRefusedAndAValidOneAccepted() throws Exception {
        assertAccepted(sim.adminMacaroonHexWithCaveat("time-before 2030-01-01T00:00:00Z"));
        String expired = "time-before 2025-01-01T00:00:00Z";
        assertRefused(
                sim.adminMacaroonHexWithCaveat(expired),
                "verification failed: caveat \"" + expired + "\" not satisfied: macaroon has expired");
    }

    @Test
    void adminMacaroonFileHoldsTheV2BinaryOfTheHexMacaroon() throws Exception {
        byte[] file = Files.readAllBytes(sim.adminMacaroonPath());

        assertThat(HexFormat.of().formatHex(file)).isEqualTo(sim.adminMacaroonHex());
        assertThat(file[0]).isEqualTo((byte) 2);
        assertThat(Macaroon.fromBinary(file).location()).isEqualTo("lnd");
        assertAccepted(sim.adminMacaroonHex());
    }

    private void assertRefused(String macaroonHex, String message) throws Exception {
        ManagedChannel ch = sim.inProcessChannelBuilder()
                .intercept(new MacaroonClientInterceptor(() -> macaroonHex))
                .build();
        try {
            assertLndError(() -> new SynchronousLndAPI(ch).getInfo(), Status.Code.UNAUTHENTICATED, message);
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void assertAccepted(String macaroonHex) throws Exception {
        ManagedChannel ch = sim.inProcessChannelBuilder()
                .intercept(new MacaroonClientInterceptor(() -> macaroonHex))
                .build();
        try {
            assertThat(new SynchronousLndAPI(ch).getInfo().getIdentityPubkey()).isEqualTo(sim.identityPubkey());
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
