package dev.holdfast.core.internal.lifecycle;

import dev.holdfast.api.DisputeId;
import dev.holdfast.api.DisputeStatus;
import dev.holdfast.api.DisputeView;
import dev.holdfast.api.EscrowEvent.DisputeEvent;
import dev.holdfast.api.EscrowEvent.DisputeEvent.ArbiterAssigned;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeAppealed;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeDecided;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeMessagePosted;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeOpened;
import dev.holdfast.api.EscrowEvent.DisputeEvent.DisputeResolved;
import dev.holdfast.api.EscrowEvent.DisputeEvent.EvidenceSubmitted;
import dev.holdfast.api.EscrowEvent.DisputeEvent.SettlementOffered;
import dev.holdfast.api.MilestoneId;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.Role;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One dispute as the fold of its events (part of {@link EscrowState}'s fold). Not thread-safe: one per command.
 */
public final class DisputeState {
    private final DisputeOpened opened;
    private DisputeStatus status = DisputeStatus.OPEN;
    private final List<EvidenceSubmitted> evidence = new ArrayList<>();
    private final List<DisputeMessagePosted> messages = new ArrayList<>();
    private final Map<Role, SettlementOffered> offers = new EnumMap<>(Role.class);
    private int offerCount;
    private boolean buyerAnswered;
    private boolean sellerAnswered;
    private PartyId arbiter;
    private PartyId appealArbiter;
    private DisputeDecided decision;
    private boolean appealed;
    private DisputeResolved resolution;

    DisputeState(DisputeOpened opened) {
        this.opened = opened;
        answered(opened.actor().role());
    }

    void apply(DisputeEvent event) {
        if (event instanceof EvidenceSubmitted e) {
            evidence.add(e);
            answered(e.actor().role());
        } else if (event instanceof DisputeMessagePosted e) {
            messages.add(e);
            answered(e.actor().role());
        } else if (event instanceof SettlementOffered e) {
            offerCount = Math.max(offerCount, e.offer());
            offers.put(e.actor().role(), e);
            answered(e.actor().role());
        } else if (event instanceof ArbiterAssigned e) {
            if (e.round() == 1) {
                arbiter = e.arbiter();
                status = DisputeStatus.ARBITRATION;
            } else {
                appealArbiter = e.arbiter();
            }
        } else if (event instanceof DisputeDecided e) {
            decision = e;
            status = DisputeStatus.DECIDED;
            offers.clear();
        } else if (event instanceof DisputeAppealed) {
            appealed = true;
            status = DisputeStatus.APPEALED;
        } else if (event instanceof DisputeResolved e) {
            resolution = e;
            status = DisputeStatus.RESOLVED;
            offers.clear();
        }
    }

    private void answered(Role role) {
        if (role == Role.BUYER) {
            buyerAnswered = true;
        } else if (role == Role.SELLER) {
            sellerAnswered = true;
        }
    }

    public DisputeId id() {
        return opened.dispute();
    }

    public DisputeOpened opened() {
        return opened;
    }

    public DisputeStatus status() {
        return status;
    }

    public List<MilestoneId> milestones() {
        return opened.milestones();
    }

    /** @return the next offer's number */
    public int nextOffer() {
        return offerCount + 1;
    }

    /**
     * @param number an offer number
     * @return the offer, if it is some party's latest and the dispute is not decided
     */
    public SettlementOffered openOffer(int number) {
        for (SettlementOffered o : offers.values()) {
            if (o.offer() == number) {
                return o;
            }
        }
        return null;
    }

    public PartyId arbiter() {
        return arbiter;
    }

    public PartyId appealArbiter() {
        return appealArbiter;
    }

    public DisputeDecided decision() {
        return decision;
    }

    public boolean appealed() {
        return appealed;
    }

    public DisputeResolved resolution() {
        return resolution;
    }

    public boolean buyerAnswered() {
        return buyerAnswered;
    }

    public boolean sellerAnswered() {
        return sellerAnswered;
    }

    /** @return a read-only snapshot */
    public DisputeView view() {
        List<SettlementOffered> open = new ArrayList<>(offers.values());
        open.sort((a, b) -> Integer.compare(a.offer(), b.offer()));
        return new DisputeView(
                opened.dispute(),
                status,
                opened.milestones(),
                opened.actor(),
                opened.reason(),
                opened.at(),
                opened.buyerRespondBy(),
                opened.sellerRespondBy(),
                opened.deadline(),
                buyerAnswered,
                sellerAnswered,
                evidence,
                messages,
                open,
                arbiter,
                appealArbiter,
                decision,
                appealed,
                resolution);
    }
}
