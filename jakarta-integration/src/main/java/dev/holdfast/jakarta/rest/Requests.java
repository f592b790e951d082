package dev.holdfast.jakarta.rest;

import dev.holdfast.api.Asset;
import dev.holdfast.api.DisputeOutcome;
import dev.holdfast.api.FeePayer;
import dev.holdfast.api.FeeSchedule;
import dev.holdfast.api.Money;
import dev.holdfast.api.PayoutDestination;
import jakarta.json.bind.annotation.JsonbTransient;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request bodies of the API. Amounts are whole numbers of the asset's smallest unit ({@code minor}) with the
 * asset's code and scale; never fractions. Bean Validation checks the shape before any command is built; the
 * engine then checks the rules that depend on state. Ids are checked when they become typed ids ({@code
 * INVALID_ID}). Immutable.
 */
public final class Requests {
    private Requests() {}

    /** The party an escrow-level request names. */
    public enum Party {
        BUYER,
        SELLER
    }

    /**
     * An exact amount.
     *
     * @param minor whole number of the asset's smallest unit
     * @param asset the asset code, e.g. {@code USD}
     * @param scale decimal places of the smallest unit, e.g. 2 for cents
     */
    @Schema(name = "MoneyInput", description = "an exact amount in the asset's smallest unit")
    public record MoneyAmount(
            @NotNull @Positive @Schema(example = "12500") Long minor,
            @NotBlank @Pattern(regexp = "[A-Z0-9]{1,12}") @Schema(example = "USD") String asset,
            @NotNull @Min(0) @Max(18) @Schema(example = "2") Integer scale) {
        Money toMoney() {
            return Money.of(minor, new Asset(asset, scale));
        }
    }

    /**
     * A new escrow.
     *
     * @param buyer who pays; a party creates escrows only as their buyer
     * @param seller who is paid
     * @param rail the payment rail's name
     * @param amount the escrow amount without the buyer's fee
     * @param milestones 1 to 100, adding up to the amount
     * @param fee the platform fee, none when absent
     * @param fundBy funding deadline
     * @param inspectionPeriod ISO-8601 duration, e.g. {@code P3D}
     * @param disputeWindow ISO-8601 duration
     * @param sellerPayout where releases go; the seller's internal balance when absent
     * @param buyerRefund where refunds go; the funding source when absent
     * @param reference the host's reference, e.g. an order number
     * @param metadata up to 20 host key/value pairs
     */
    @Schema(name = "CreateEscrowRequest")
    public record CreateEscrow(
            @NotBlank @Size(max = 200) String buyer,
            @NotBlank @Size(max = 200) String seller,
            @NotBlank @Size(max = 200) @Schema(example = "sandbox") String rail,
            @NotNull @Valid MoneyAmount amount,
            @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Milestone> milestones,
            @Valid Fee fee,
            @NotNull Instant fundBy,
            @NotNull
                    @Schema(
                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                            example = "P3D")
                    Duration inspectionPeriod,
            @NotNull
                    @Schema(
                            type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                            example = "P7D")
                    Duration disputeWindow,
            @Valid Destination sellerPayout,
            @Valid Destination buyerRefund,
            @Size(max = 200) String reference,
            @Size(max = 20) Map<@NotBlank @Size(max = 64) String, @NotNull @Size(max = 500) String> metadata) {}

    /**
     * One milestone of a new escrow.
     *
     * @param id unique within the escrow
     * @param title what is delivered
     * @param amountMinor its share of the escrow amount, in the escrow asset's smallest unit
     * @param deliverBy delivery deadline
     */
    @Schema(name = "MilestoneInput")
    public record Milestone(
            @NotBlank @Size(max = 200) @Schema(example = "m1") String id,
            @Size(max = 500) String title,
            @NotNull @Positive Long amountMinor,
            @NotNull Instant deliverBy) {}

    /**
     * The platform fee.
     *
     * @param basisPoints 0 to 10 000
     * @param fixedMinor fixed part in the escrow asset's smallest unit
     * @param payer who bears it
     */
    @Schema(name = "FeeInput")
    public record Fee(
            @NotNull @Min(0) @Max(10_000) Integer basisPoints,
            @PositiveOrZero Long fixedMinor,
            @NotNull FeePayer payer) {
        FeeSchedule toSchedule() {
            return new FeeSchedule(basisPoints, fixedMinor == null ? 0 : fixedMinor, payer);
        }
    }

    /** Where a payout goes. */
    public enum DestinationKind {
        RAIL_ADDRESS,
        INTERNAL_BALANCE,
        FUNDING_SOURCE
    }

    /**
     * A payout destination.
     *
     * @param kind which kind
     * @param address the rail address, for {@code RAIL_ADDRESS} only
     */
    @Schema(name = "DestinationInput")
    public record Destination(@NotNull DestinationKind kind, @Size(max = 2000) String address) {
        /** @return whether the address is given exactly when the kind needs one */
        @AssertTrue(message = "address is required for RAIL_ADDRESS and not allowed otherwise")
        @JsonbTransient
        @Schema(hidden = true)
        public boolean isAddressConsistent() {
            return kind == null || (kind == DestinationKind.RAIL_ADDRESS) == (address != null && !address.isBlank());
        }

        PayoutDestination toDestination() {
            return switch (kind) {
                case RAIL_ADDRESS -> PayoutDestination.railAddress(address);
                case INTERNAL_BALANCE -> PayoutDestination.internalBalance();
                case FUNDING_SOURCE -> PayoutDestination.fundingSource();
            };
        }
    }

    /**
     * A refund.
     *
     * @param milestone the milestone, or absent for every refundable milestone
     * @param amountMinor part of the milestone to refund, absent for all of it; only with a milestone
     * @param reason why
     */
    @Schema(name = "RefundRequest")
    public record Refund(
            @Size(max = 200) String milestone, @Positive Long amountMinor, @Size(max = 4000) String reason) {
        /** @return whether a partial amount names its milestone */
        @AssertTrue(message = "a partial refund names its milestone")
        @JsonbTransient
        @Schema(hidden = true)
        public boolean isPartialWithMilestone() {
            return amountMinor == null || milestone != null;
        }
    }

    /**
     * A cancellation.
     *
     * @param reason why
     */
    @Schema(name = "CancelRequest")
    public record Cancel(@Size(max = 4000) String reason) {}

    /**
     * What a party produced for an instruction.
     *
     * @param transferId the transfer the instruction belongs to
     * @param payload e.g. a signed transaction, in the instruction's format
     */
    @Schema(name = "PartyResponseRequest")
    public record PartyResponse(
            @NotBlank @Size(max = 200) String transferId, @NotBlank @Size(max = 100_000) String payload) {}

    /**
     * A fidelity bond one party must post.
     *
     * @param party buyer or seller
     * @param fixedMinor a fixed bond in the escrow asset's smallest unit; or
     * @param basisPoints a share of the escrow amount, 1 to 10 000
     * @param forfeitToPlatformBasisPoints the platform's share of a forfeited bond, the counterparty gets the rest
     */
    @Schema(name = "RequireBondRequest")
    public record RequireBond(
            @NotNull Party party,
            @Positive Long fixedMinor,
            @Min(1) @Max(10_000) Integer basisPoints,
            @Min(0) @Max(10_000) Integer forfeitToPlatformBasisPoints) {
        /** @return whether exactly one of the two amounts is given */
        @AssertTrue(message = "give exactly one of fixedMinor and basisPoints")
        @JsonbTransient
        @Schema(hidden = true)
        public boolean isOneAmount() {
            return (fixedMinor == null) != (basisPoints == null);
        }
    }

    /**
     * A new dispute.
     *
     * @param milestone the milestone, or absent for the whole escrow
     * @param reason the opener's statement
     */
    @Schema(name = "OpenDisputeRequest")
    public record OpenDispute(@Size(max = 200) String milestone, @NotBlank @Size(max = 4000) String reason) {}

    /**
     * Evidence: a statement and attachments uploaded before.
     *
     * @param statement what the party says
     * @param attachments what the uploads returned, up to 20
     */
    @Schema(name = "EvidenceRequest")
    public record Evidence(
            @Size(max = 4000) String statement, @Size(max = 20) List<@NotNull @Valid Attachment> attachments) {
        /** @return whether there is anything to submit */
        @AssertTrue(message = "give a statement or at least one attachment")
        @JsonbTransient
        @Schema(hidden = true)
        public boolean isNotEmpty() {
            return (statement != null && !statement.isBlank()) || (attachments != null && !attachments.isEmpty());
        }
    }

    /**
     * An uploaded attachment, as the upload answered.
     *
     * @param reference where the evidence store keeps it
     * @param mediaType its media type
     * @param size its length
     * @param sha256 its hash; the engine checks it against the stored bytes
     */
    @Schema(name = "AttachmentInput")
    public record Attachment(
            @NotBlank @Size(max = 500) String reference,
            @NotBlank @Size(max = 255) String mediaType,
            @NotNull @PositiveOrZero Long size,
            @NotNull @Pattern(regexp = "[0-9a-f]{64}") String sha256) {}

    /**
     * A message in a dispute's thread.
     *
     * @param text 1 to 4 000 characters
     */
    @Schema(name = "MessageRequest")
    public record Message(@NotBlank @Size(max = 4000) String text) {}

    /** How a dispute ends. */
    public enum OutcomeKind {
        RELEASE,
        REFUND,
        SPLIT_AMOUNT,
        SPLIT_BASIS_POINTS
    }

    /**
     * How a dispute ends: everything to the seller, everything back to the buyer, or a split of the contested amount.
     *
     * @param kind which
     * @param toSellerMinor for {@code SPLIT_AMOUNT}: the seller's part in the escrow asset's smallest unit
     * @param toSellerBasisPoints for {@code SPLIT_BASIS_POINTS}: the seller's share, 1 to 9 999
     */
    @Schema(name = "OutcomeInput")
    public record Outcome(
            @NotNull OutcomeKind kind, @Positive Long toSellerMinor, @Min(1) @Max(9_999) Integer toSellerBasisPoints) {
        /** @return whether the split's amount is given exactly for its kind */
        @AssertTrue(
                message =
                        "SPLIT_AMOUNT takes toSellerMinor, SPLIT_BASIS_POINTS takes toSellerBasisPoints, others neither")
        @JsonbTransient
        @Schema(hidden = true)
        public boolean isConsistent() {
            if (kind == null) {
                return true;
            }
            return switch (kind) {
                case RELEASE, REFUND -> toSellerMinor == null && toSellerBasisPoints == null;
                case SPLIT_AMOUNT -> toSellerMinor != null && toSellerBasisPoints == null;
                case SPLIT_BASIS_POINTS -> toSellerMinor == null && toSellerBasisPoints != null;
            };
        }

        DisputeOutcome toOutcome(Asset asset) {
            return switch (kind) {
                case RELEASE -> DisputeOutcome.release();
                case REFUND -> DisputeOutcome.refund();
                case SPLIT_AMOUNT -> DisputeOutcome.splitAmount(Money.of(toSellerMinor, asset));
                case SPLIT_BASIS_POINTS -> DisputeOutcome.splitBasisPoints(toSellerBasisPoints);
            };
        }
    }

    /**
     * A settlement offer.
     *
     * @param outcome the proposal
     */
    @Schema(name = "OfferRequest")
    public record Offer(@NotNull @Valid Outcome outcome) {}

    /**
     * An arbiter's decision.
     *
     * @param outcome the decision
     * @param reason why
     */
    @Schema(name = "DecisionRequest")
    public record Decision(@NotNull @Valid Outcome outcome, @NotBlank @Size(max = 4000) String reason) {}

    /**
     * An appeal.
     *
     * @param reason why
     */
    @Schema(name = "AppealRequest")
    public record Appeal(@NotBlank @Size(max = 4000) String reason) {}

    /**
     * A withdrawal from a party's internal balance.
     *
     * @param amount how much
     * @param rail the rail to pay out on
     * @param destination the party's address on that rail
     */
    @Schema(name = "WithdrawalRequest")
    public record Withdrawal(
            @NotNull @Valid MoneyAmount amount,
            @NotBlank @Size(max = 200) String rail,
            @NotBlank @Size(max = 2000) String destination) {}
}
