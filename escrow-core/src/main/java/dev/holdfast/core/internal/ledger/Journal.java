package dev.holdfast.core.internal.ledger;

import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.RailId;
import dev.holdfast.spi.AccountType;
import dev.holdfast.spi.JournalEntry;
import dev.holdfast.spi.LedgerAccount;
import dev.holdfast.spi.Posting;
import dev.holdfast.spi.RailCost;
import dev.holdfast.spi.RailOperation;
import dev.holdfast.spi.RailOperationKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The postings of every engine step, in one place; {@code docs/ledger.md} describes the same. Every entry balances
 * per asset (the {@link JournalEntry} constructor checks it). Entry ids are derived from the transfer id and the step,
 * so recording the same outcome twice is refused by the store rather than booked twice. Stateless and thread-safe.
 */
public final class Journal {
    /** Owner of the platform's revenue account. */
    public static final String PLATFORM = "platform";

    private Journal() {}

    /**
     * Buyer funds arrive in the escrow.
     *
     * @param at when
     * @param escrow escrow id
     * @param rail the rail
     * @param transfer funding transfer id
     * @param amount amount received
     * @return the entry
     */
    public static JournalEntry funded(Instant at, String escrow, RailId rail, String transfer, Money amount) {
        return entry(
                transfer + "/funded",
                at,
                escrow,
                "funding received",
                null,
                post(AccountType.RAIL_CLEARING, rail.value(), amount.negate()),
                post(AccountType.ESCROW_HELD, escrow, amount));
    }

    /**
     * A payout out of the escrow succeeded.
     *
     * @param at when
     * @param op the payout operation (release or refund)
     * @param railFee fee the rail charged, borne by the platform, or {@code null}
     * @return the entry
     */
    public static JournalEntry payout(Instant at, RailOperation op, Money railFee) {
        String escrow = op.escrowId().value();
        List<Posting> lines = new ArrayList<>();
        lines.add(post(
                AccountType.ESCROW_HELD,
                escrow,
                op.amount().plus(op.platformFee()).negate()));
        AccountType target = op.destination() instanceof PayoutDestination.InternalBalance
                ? AccountType.PARTY_AVAILABLE
                : AccountType.PARTY_PAID_OUT;
        lines.add(post(target, op.party().value(), op.amount()));
        if (!op.platformFee().isZero()) {
            lines.add(post(AccountType.PLATFORM_REVENUE, PLATFORM, op.platformFee()));
        }
        addRailFee(lines, op.rail(), railFee);
        String what = op.kind() == RailOperationKind.RELEASE ? "released to seller" : "refunded to buyer";
        return new JournalEntry(op.transferId().value() + "/paid", at, escrow, what, null, lines);
    }

    /**
     * Funds that arrived after the escrow closed unfunded were sent back when the funding was cancelled.
     *
     * @param at when
     * @param escrow escrow id
     * @param transfer the cancel transfer id
     * @param buyer the buyer
     * @param amount amount returned
     * @return the entry
     */
    public static JournalEntry returnedLateFunding(
            Instant at, String escrow, String transfer, PartyId buyer, Money amount) {
        return entry(
                transfer + "/returned",
                at,
                escrow,
                "late funding returned to buyer",
                null,
                post(AccountType.ESCROW_HELD, escrow, amount.negate()),
                post(AccountType.PARTY_PAID_OUT, buyer.value(), amount));
    }

    /**
     * @param escrow escrow id
     * @param party buyer or seller
     * @return the owner of that party's {@link AccountType#BOND_HELD} account
     */
    public static String bondOwner(String escrow, dev.holdfast.api.Role party) {
        return escrow + ":" + party.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A party's bond arrived on the rail.
     *
     * @param at when
     * @param escrow escrow id
     * @param party whose bond
     * @param rail the rail
     * @param transfer the bond funding transfer id
     * @param amount amount received
     * @return the entry
     */
    public static JournalEntry bondPosted(
            Instant at, String escrow, dev.holdfast.api.Role party, RailId rail, String transfer, Money amount) {
        return entry(
                transfer + "/bond-posted",
                at,
                escrow,
                "bond posted",
                null,
                post(AccountType.RAIL_CLEARING, rail.value(), amount.negate()),
                post(AccountType.BOND_HELD, bondOwner(escrow, party), amount));
    }

    /**
     * A bond went back to its party when its funding was cancelled.
     *
     * @param at when
     * @param escrow escrow id
     * @param party whose bond
     * @param partyId who gets it back
     * @param cancelTransfer the cancel transfer id
     * @param amount what the bond account held
     * @return the entry
     */
    public static JournalEntry bondReturned(
            Instant at,
            String escrow,
            dev.holdfast.api.Role party,
            PartyId partyId,
            String cancelTransfer,
            Money amount) {
        return entry(
                cancelTransfer + "/bond-returned",
                at,
                escrow,
                "bond returned",
                null,
                post(AccountType.BOND_HELD, bondOwner(escrow, party), amount.negate()),
                post(AccountType.PARTY_PAID_OUT, partyId.value(), amount));
    }

    /**
     * A forfeited bond was paid out of its funding: {@code op.amount()} to the counterparty (or, when the platform
     * takes it all, to the platform's own account) and {@code op.platformFee()} to the platform.
     *
     * @param at when
     * @param op the forfeit payout
     * @param party whose bond
     * @param toPlatformOnly true when the payout's amount is the platform's too
     * @param railFee fee the rail charged, borne by the platform, or {@code null}
     * @return the entry
     */
    public static JournalEntry bondForfeited(
            Instant at, RailOperation op, dev.holdfast.api.Role party, boolean toPlatformOnly, Money railFee) {
        String escrow = op.escrowId().value();
        List<Posting> lines = new ArrayList<>();
        lines.add(post(
                AccountType.BOND_HELD,
                bondOwner(escrow, party),
                op.amount().plus(op.platformFee()).negate()));
        if (toPlatformOnly) {
            lines.add(post(AccountType.PLATFORM_REVENUE, PLATFORM, op.amount()));
        } else {
            AccountType target = op.destination() instanceof PayoutDestination.InternalBalance
                    ? AccountType.PARTY_AVAILABLE
                    : AccountType.PARTY_PAID_OUT;
            lines.add(post(target, op.party().value(), op.amount()));
        }
        if (!op.platformFee().isZero()) {
            lines.add(post(AccountType.PLATFORM_REVENUE, PLATFORM, op.platformFee()));
        }
        addRailFee(lines, op.rail(), railFee);
        return new JournalEntry(op.transferId().value() + "/bond-forfeited", at, escrow, "bond forfeited", null, lines);
    }

    /**
     * A withdrawal is reserved from the internal balance.
     *
     * @param at when
     * @param party whose balance
     * @param transfer withdrawal transfer id
     * @param amount amount
     * @return the entry
     */
    public static JournalEntry withdrawalReserved(Instant at, PartyId party, String transfer, Money amount) {
        return entry(
                transfer + "/reserved",
                at,
                party.value(),
                "withdrawal reserved",
                null,
                post(AccountType.PARTY_AVAILABLE, party.value(), amount.negate()),
                post(AccountType.PARTY_WITHDRAWING, party.value(), amount));
    }

    /**
     * A withdrawal reached the party.
     *
     * @param at when
     * @param party whose balance
     * @param transfer withdrawal transfer id
     * @param amount amount
     * @param rail the rail
     * @param railFee fee the rail charged, borne by the platform, or {@code null}
     * @return the entry
     */
    public static JournalEntry withdrawalPaid(
            Instant at, PartyId party, String transfer, Money amount, RailId rail, Money railFee) {
        List<Posting> lines = new ArrayList<>();
        lines.add(post(AccountType.PARTY_WITHDRAWING, party.value(), amount.negate()));
        lines.add(post(AccountType.PARTY_PAID_OUT, party.value(), amount));
        addRailFee(lines, rail, railFee);
        return new JournalEntry(transfer + "/paid", at, party.value(), "withdrawal paid", null, lines);
    }

    /**
     * A failed withdrawal is reversed: the amount is available again.
     *
     * @param at when
     * @param party whose balance
     * @param transfer withdrawal transfer id
     * @param amount amount
     * @return the reversal entry
     */
    public static JournalEntry withdrawalReversed(Instant at, PartyId party, String transfer, Money amount) {
        return entry(
                transfer + "/reversed",
                at,
                party.value(),
                "withdrawal failed, reservation reversed",
                transfer + "/reserved",
                post(AccountType.PARTY_WITHDRAWING, party.value(), amount.negate()),
                post(AccountType.PARTY_AVAILABLE, party.value(), amount));
    }

    /**
     * @param rail the rail
     * @param subject the escrow (or, for a withdrawal, the party) the float was lent for
     * @return the owner of that {@link AccountType#RAIL_FLOAT} account
     */
    public static String floatOwner(RailId rail, String subject) {
        return rail.value() + ":" + subject;
    }

    /**
     * Costs of one kind a rail reported for a transfer: network fees are borne by the platform's revenue, reserves
     * move between the platform's float and the rail's float for the escrow, so lent and returned net to zero.
     *
     * @param at when
     * @param subject escrow id, or the party id of a withdrawal
     * @param rail the rail
     * @param transfer the transfer id
     * @param kind what the costs are
     * @param amounts the amounts of that kind, in any assets; positive
     * @return the entry, id {@code <transfer>/cost/<kind>}
     */
    public static JournalEntry railCost(
            Instant at, String subject, RailId rail, String transfer, RailCost.Kind kind, List<Money> amounts) {
        List<Posting> lines = new ArrayList<>();
        String floatOwner = floatOwner(rail, subject);
        for (Money m : amounts) {
            switch (kind) {
                case NETWORK_FEE -> addRailFee(lines, rail, m);
                case RESERVE_LENT -> {
                    lines.add(post(AccountType.PLATFORM_FLOAT, PLATFORM, m.negate()));
                    lines.add(post(AccountType.RAIL_FLOAT, floatOwner, m));
                }
                case RESERVE_RETURNED -> {
                    lines.add(post(AccountType.RAIL_FLOAT, floatOwner, m.negate()));
                    lines.add(post(AccountType.PLATFORM_FLOAT, PLATFORM, m));
                }
            }
        }
        String what =
                switch (kind) {
                    case NETWORK_FEE -> "network fee borne by the platform";
                    case RESERVE_LENT -> "reserve lent to the rail";
                    case RESERVE_RETURNED -> "reserve returned by the rail";
                };
        return new JournalEntry(costEntryId(transfer, kind), at, subject, what, null, lines);
    }

    /**
     * @param transfer the transfer id
     * @param kind the cost kind
     * @return the id of the entry booking that kind of cost for the transfer
     */
    public static String costEntryId(String transfer, RailCost.Kind kind) {
        return transfer + "/cost/"
                + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * @param type account type
     * @param owner owner
     * @param asset asset
     * @return the account
     */
    public static LedgerAccount account(AccountType type, String owner, dev.holdfast.api.Asset asset) {
        return new LedgerAccount(type, owner, asset);
    }

    private static void addRailFee(List<Posting> lines, RailId rail, Money railFee) {
        if (railFee != null && railFee.isPositive()) {
            // the platform bears rail fees out of its revenue, so what parties see is never reduced by routing luck
            lines.add(post(AccountType.PLATFORM_REVENUE, PLATFORM, railFee.negate()));
            lines.add(post(AccountType.RAIL_FEES, rail.value(), railFee));
        }
    }

    private static Posting post(AccountType type, String owner, Money amount) {
        return new Posting(new LedgerAccount(type, owner, amount.asset()), amount.minor());
    }

    private static JournalEntry entry(
            String id, Instant at, String subject, String description, String reverses, Posting... postings) {
        return new JournalEntry(id, at, subject, description, reverses, List.of(postings));
    }
}
