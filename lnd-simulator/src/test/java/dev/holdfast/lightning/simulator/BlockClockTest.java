package dev.holdfast.lightning.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lightningj.lnd.wrapper.invoices.message.AddHoldInvoiceResp;
import org.lightningj.lnd.wrapper.invoices.message.SettleInvoiceMsg;
import org.lightningj.lnd.wrapper.message.Invoice.InvoiceState;

class BlockClockTest extends SimulatorTestBase {

    @Override
    LndSimulator.Builder configure(LndSimulator.Builder builder) {
        return builder.startHeight(1_000);
    }

    @Test
    void blockHeightAdvancesEveryTenSimulatedMinutesAndByMinedBlocks() throws Exception {
        assertThat(sim.blockHeight()).isEqualTo(1_000);

        clock.advance(Duration.ofMinutes(25));
        sim.mineBlocks(3);

        assertThat(sim.blockHeight()).isEqualTo(1_005);
        assertThat(lnd.getInfo().getBlockHeight()).isEqualTo(1_005);
    }

    @Test
    void anUnpaidInvoiceIsCanceledWhenItsExpiryPasses() throws Exception {
        byte[] preimage = randomPreimage();
        addHold(preimage, 1_000_000, 600, 80);

        clock.advance(Duration.ofSeconds(599));
        sim.tick();
        assertThat(state(preimage)).isEqualTo(InvoiceState.OPEN);

        clock.advance(Duration.ofSeconds(1));
        sim.tick();
        assertThat(state(preimage)).isEqualTo(InvoiceState.CANCELED);
    }

    @Test
    void theTickerAppliesExpiryWithoutAnExplicitTick() throws Exception {
        byte[] preimage = randomPreimage();
        addHold(preimage, 1_000_000, 60, 80);

        clock.advance(Duration.ofMinutes(2));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (state(preimage) != InvoiceState.CANCELED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(state(preimage)).isEqualTo(InvoiceState.CANCELED);
    }

    @Test
    void anAcceptedHoldInvoiceIsAutoCanceledTwelveBlocksBeforeItsHtlcExpires() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 1_000_000, 600, 40);
        sim.payInvoiceAsBuyer(resp.getPaymentRequest());

        // Accepted holds do not expire by time, only by height.
        clock.advance(Duration.ofMinutes(20));
        sim.mineBlocks(25);
        assertThat(state(preimage)).isEqualTo(InvoiceState.ACCEPTED);

        sim.mineBlocks(1); // height = accept height + 40 - 12
        assertThat(state(preimage)).isEqualTo(InvoiceState.CANCELED);
        SettleInvoiceMsg settle = new SettleInvoiceMsg();
        settle.setPreimage(preimage);
        assertLndError(() -> invoices.settleInvoice(settle), io.grpc.Status.Code.UNKNOWN, "invoice already canceled");
    }

    @Test
    void anAcceptedHoldInvoiceCanBeSettledJustBeforeTheAutoCancelHeight() throws Exception {
        byte[] preimage = randomPreimage();
        AddHoldInvoiceResp resp = addHold(preimage, 1_000_000, 600, 40);
        sim.payInvoiceAsBuyer(resp.getPaymentRequest());
        sim.mineBlocks(27);

        SettleInvoiceMsg settle = new SettleInvoiceMsg();
        settle.setPreimage(preimage);
        invoices.settleInvoice(settle);
        sim.mineBlocks(10);

        assertThat(state(preimage)).isEqualTo(InvoiceState.SETTLED);
    }

    private InvoiceState state(byte[] preimage) throws Exception {
        return lnd.lookupInvoice(null, SimulatedNode.sha256(preimage)).getState();
    }
}
