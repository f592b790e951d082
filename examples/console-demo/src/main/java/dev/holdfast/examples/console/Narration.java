package dev.holdfast.examples.console;

import dev.holdfast.api.EscrowEvent;
import dev.holdfast.api.Money;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PayoutKind;

/** Turns events into sentences for the timeline. */
final class Narration {
    private Narration() {}

    static String describe(EscrowEvent e) {
        if (e instanceof EscrowEvent.EscrowCreated c) {
            return c.actor() + " opened the escrow: " + fmt(c.amount()) + " from " + c.buyer() + " to " + c.seller()
                    + " in " + c.milestones().size() + " milestone(s)";
        } else if (e instanceof EscrowEvent.FundingRequested f) {
            return "asked the rail to collect " + fmt(f.amount()) + " (amount + buyer fee) as " + f.transferId();
        } else if (e instanceof EscrowEvent.InstructionIssued i) {
            return "the rail issued an instruction for the "
                    + i.instruction().party().name().toLowerCase();
        } else if (e instanceof EscrowEvent.EscrowFunded f) {
            return "funded: the rail holds " + fmt(f.amount()) + " (ref " + f.railReference() + ")";
        } else if (e instanceof EscrowEvent.MilestoneDelivered d) {
            return d.actor() + " marked " + d.milestone() + " delivered; auto-release at " + d.autoReleaseAt();
        } else if (e instanceof EscrowEvent.PayoutRequested p) {
            String to = p.destination() instanceof PayoutDestination.InternalBalance
                    ? "internal balance"
                    : p.destination() instanceof PayoutDestination.RailAddress a ? a.address() : "the funding source";
            return (p.kind() == PayoutKind.RELEASE ? "release " : "refund ") + "of " + p.milestone() + ": "
                    + fmt(p.amount()) + " to " + to + (p.platformFee().isZero() ? "" : ", fee " + fmt(p.platformFee()))
                    + " — " + p.actor() + (p.reason().isEmpty() ? "" : " (" + p.reason() + ")");
        } else if (e instanceof EscrowEvent.PayoutSucceeded p) {
            return "paid: " + p.transferId() + " (ref " + p.railReference() + ")";
        } else if (e instanceof EscrowEvent.PayoutFailed p) {
            return "payout failed: " + p.transferId() + ": " + p.reason();
        } else if (e instanceof EscrowEvent.EscrowExpired) {
            return "expired: not funded before the deadline";
        } else if (e instanceof EscrowEvent.EscrowCancelled c) {
            return c.actor() + " cancelled: " + c.reason();
        } else if (e instanceof EscrowEvent.FundingFailed f) {
            return "the rail refused funding: " + f.reason();
        } else if (e instanceof EscrowEvent.EscrowClosed c) {
            return "closed as " + c.status();
        }
        return e.getClass().getSimpleName();
    }

    static String fmt(Money m) {
        long minor = m.minor();
        int scale = m.asset().scale();
        if (scale == 0) {
            return minor + " " + m.asset().code();
        }
        long unit = 1;
        for (int i = 0; i < scale; i++) {
            unit *= 10;
        }
        String sign = minor < 0 ? "-" : "";
        long abs = Math.abs(minor);
        String frac = String.valueOf(abs % unit);
        return sign + (abs / unit) + "." + "0".repeat(scale - frac.length()) + frac + " "
                + m.asset().code();
    }
}
