package dev.holdfast.core.internal.ledger;

import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.MilestoneSpec;
import dev.holdfast.api.MilestoneTerms;
import dev.holdfast.api.Money;
import java.util.ArrayList;
import java.util.List;

/**
 * Freezes each milestone's share of the platform fee at creation, by the one rounding rule of {@link FeeSchedule}:
 * rate part {@code floor(amount × bp / 10 000)} per milestone, fixed part on the first milestone, and for {@link
 * dev.holdfast.api.FeePayer#SPLIT} the buyer pays {@code floor(fee / 2)} and the seller the rest. Rounding down per
 * milestone means the sum over milestones may be a few units below the rate applied to the total: that difference is
 * never charged, so no remainder account is needed. Stateless and thread-safe.
 */
public final class FeeCalculator {
    private FeeCalculator() {}

    /**
     * @param specs the milestones asked for
     * @param fee the schedule
     * @param asset the escrow asset
     * @return frozen milestone terms with buyer and seller fee parts
     * @throws EscrowException INVALID_FEE when a seller's fee would take a whole milestone
     */
    public static List<MilestoneTerms> freeze(
            List<MilestoneSpec> specs, FeeSchedule fee, dev.holdfast.api.Asset asset) {
        List<MilestoneTerms> out = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            MilestoneSpec s = specs.get(i);
            Money amount = Money.of(s.amountMinor(), asset);
            Money total = amount.basisPoints(fee.basisPoints());
            if (i == 0) {
                total = total.plus(Money.of(fee.fixedMinor(), asset));
            }
            Money buyerPart;
            Money sellerPart;
            switch (fee.payer()) {
                case BUYER -> {
                    buyerPart = total;
                    sellerPart = Money.zero(asset);
                }
                case SELLER -> {
                    buyerPart = Money.zero(asset);
                    sellerPart = total;
                }
                case SPLIT -> {
                    buyerPart = Money.of(total.minor() / 2, asset);
                    sellerPart = total.minus(buyerPart);
                }
                default -> throw new IllegalStateException("unknown payer " + fee.payer());
            }
            if (sellerPart.compareTo(amount) >= 0) {
                throw new EscrowException(
                        ErrorCode.INVALID_FEE,
                        "the seller's fee " + sellerPart + " leaves nothing of milestone " + s.id());
            }
            out.add(new MilestoneTerms(s.id(), s.title(), amount, s.deliverBy(), buyerPart, sellerPart));
        }
        return out;
    }
}
