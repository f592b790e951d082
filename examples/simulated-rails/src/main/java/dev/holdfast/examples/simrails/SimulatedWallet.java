package dev.holdfast.examples.simrails;

import dev.holdfast.api.Actor;
import dev.holdfast.api.Asset;
import dev.holdfast.api.BondView;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.PendingInstruction;
import dev.holdfast.api.RailId;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.lightningj.lnd.proto.LightningApi.Invoice.InvoiceState;
import org.stellar.sdk.AbstractTransaction;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.responses.SubmitTransactionResponse;

/**
 * One simulated party's wallets on the three simulated networks, acting as that party's wallet apps would: the buyer
 * pays a hold invoice, approves an Open Payments grant at the provider's consent page (and the browser returns to the
 * host), signs and submits the Stellar funding transaction; either party co-signs a Stellar payout. As a payee it
 * offers a payout destination on each rail and reads what it received.
 *
 * <ul>
 *   <li><b>Lightning</b>: pays from the simulator's payer node; receives on the simulator's payee node through its
 *       Lightning address {@code <name>@127.0.0.1} (any amount, LNURL-pay) or invoices from {@link
 *       #lightningInvoice}. {@link #balance} counts what its invoices received.
 *   <li><b>Stellar</b>: an account funded with 10,000 XLM by the simulator's friendbot; the wallet holds its key.
 *   <li><b>Open Payments</b>: a wallet address at the simulated provider in {@link SimulatedRails#OPEN_PAYMENTS_ASSET}.
 * </ul>
 *
 * <p>Get one from {@link SimulatedRails#wallet(PartyId)}. Thread-safe.
 *
 * @since 0.1
 */
public final class SimulatedWallet {
    private final SimulatedRails rails;
    private final PartyId party;
    private final String name;
    private final KeyPair stellarKey;
    private final String openPaymentsWallet;

    SimulatedWallet(SimulatedRails rails, PartyId party, String name) {
        this.rails = rails;
        this.party = party;
        this.name = name;
        rails.lightningAddresses().register(name);
        this.stellarKey = rails.horizonSimulator().createFundedAccount();
        rails.stellarAccounts().put(party, stellarKey.getAccountId());
        Asset asset = SimulatedRails.OPEN_PAYMENTS_ASSET;
        this.openPaymentsWallet =
                rails.openPaymentsSimulator().createWallet(name, asset.code(), asset.scale(), rails.openingBalance());
        rails.openPaymentsWallets().put(party, openPaymentsWallet);
    }

    /** @return the party this wallet belongs to */
    public PartyId party() {
        return party;
    }

    /** @return the wallet's name at the simulated providers */
    public String name() {
        return name;
    }

    /** @return the Lightning address ({@code name@127.0.0.1}) that takes any amount */
    public String lightningAddress() {
        return name + "@" + LocalEndpoints.HOST;
    }

    /**
     * @param amountMsat the exact amount
     * @return a fresh BOLT11 invoice this wallet receives on
     */
    public String lightningInvoice(long amountMsat) {
        return rails.lightningAddresses().invoice(name, amountMsat);
    }

    /** @return the wallet's Stellar account (G...) */
    public String stellarAccountId() {
        return stellarKey.getAccountId();
    }

    /** @return the wallet's Open Payments wallet address URL */
    public String openPaymentsWalletAddress() {
        return openPaymentsWallet;
    }

    /**
     * Where this wallet takes payouts on a rail: its Lightning address, its Stellar account, its Open Payments wallet
     * address. Good for the seller's payout and for the buyer's refund after a Lightning hold was settled.
     *
     * @param rail one of {@link SimulatedRails#LIGHTNING}, {@link SimulatedRails#STELLAR}, {@link
     *     SimulatedRails#OPEN_PAYMENTS}
     * @return the destination
     */
    public PayoutDestination.RailAddress payoutDestination(RailId rail) {
        return new PayoutDestination.RailAddress(address(rail));
    }

    private String address(RailId rail) {
        if (rail.equals(rails.lightning().id())) {
            return lightningAddress();
        }
        if (rail.equals(rails.stellar().id())) {
            return stellarAccountId();
        }
        if (rail.equals(rails.openPayments().id())) {
            return openPaymentsWallet;
        }
        throw new IllegalArgumentException("not a simulated rail: " + rail);
    }

    /**
     * What this wallet holds on a rail now: on Lightning what its invoices received (msat, {@link Asset#BTC_MSAT}); on
     * Stellar its XLM balance; on Open Payments its balance at the provider.
     *
     * @param rail a simulated rail
     * @return the balance
     */
    public Money balance(RailId rail) {
        if (rail.equals(rails.lightning().id())) {
            return Money.of(rails.lightningAddresses().receivedMsat(name), Asset.BTC_MSAT);
        }
        if (rail.equals(rails.stellar().id())) {
            return Money.of(rails.horizonSimulator().balanceStroops(stellarAccountId()), Asset.XLM);
        }
        if (rail.equals(rails.openPayments().id())) {
            return Money.of(rails.openPaymentsSimulator().balance(name), SimulatedRails.OPEN_PAYMENTS_ASSET);
        }
        throw new IllegalArgumentException("not a simulated rail: " + rail);
    }

    // ------------------------------------------------------------------------------------------ acting

    /**
     * Funds an escrow as its buyer: follows the view's funding instruction.
     *
     * @param view an escrow awaiting funding whose buyer is this wallet's party
     * @return what the wallet did
     * @throws IllegalStateException when the escrow has no funding instruction or the network refused
     */
    public WalletAction fund(EscrowView view) {
        PendingInstruction funding = view.pendingInstructions().stream()
                .filter(p -> p.transferId().equals(view.fundingTransfer()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no funding instruction on " + view.id()));
        return perform(view, funding);
    }

    /**
     * Refuses an Open Payments funding at the provider's consent page; the browser returns to the host, which tells
     * the rail.
     *
     * @param view an escrow awaiting funding on the Open Payments rail
     * @return what the wallet did
     */
    public WalletAction declineFunding(EscrowView view) {
        PendingInstruction funding = view.pendingInstructions().stream()
                .filter(p -> p.transferId().equals(view.fundingTransfer()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no funding instruction on " + view.id()));
        if (!(funding.instruction() instanceof PartyInstruction.ApproveAt approve)) {
            throw new IllegalArgumentException("only an Open Payments consent can be declined here");
        }
        return decide(funding.transferId(), approve, false);
    }

    /**
     * Does what one pending instruction asks of this wallet's party.
     *
     * @param view the escrow the instruction belongs to
     * @param pending the instruction
     * @return what the wallet did; a {@link WalletAction.Signed} must still be handed back to the engine
     * @throws IllegalArgumentException when the instruction is for another party or of a kind the wallet cannot do
     * @throws IllegalStateException when the simulated network refused
     */
    public WalletAction perform(EscrowView view, PendingInstruction pending) {
        Role role = roleIn(view);
        PartyInstruction instruction = pending.instruction();
        if (instruction.party() != role) {
            throw new IllegalArgumentException(
                    "the instruction is for the " + instruction.party() + ", this wallet is the " + role);
        }
        TransferId transfer = pending.transferId();
        if (instruction instanceof PartyInstruction.PayInvoice pay) {
            return payInvoice(transfer, pay);
        }
        if (instruction instanceof PartyInstruction.ApproveAt approve) {
            return decide(transfer, approve, true);
        }
        if (instruction instanceof PartyInstruction.SignTransaction sign) {
            return isFunding(view, transfer)
                    ? submit(transfer, sign)
                    : new WalletAction.Signed(transfer, role, sign(sign));
        }
        throw new IllegalArgumentException("no simulated rail asks for this: " + instruction);
    }

    /**
     * Co-signs every payout transaction in the view that waits for this wallet's party (a Stellar release waits for
     * the buyer, a refund for the seller).
     *
     * @param view an escrow
     * @return the commands that hand the signatures back, to submit to the engine; empty when nothing waits
     */
    public List<EscrowCommand.SubmitPartyResponse> coSign(EscrowView view) {
        Role role = roleIn(view);
        Actor actor = role == Role.BUYER ? Actor.buyer(party) : Actor.seller(party);
        List<EscrowCommand.SubmitPartyResponse> out = new ArrayList<>();
        for (PendingInstruction p : view.pendingInstructions()) {
            if (p.instruction() instanceof PartyInstruction.SignTransaction sign
                    && sign.party() == role
                    && !isFunding(view, p.transferId())) {
                out.add(new WalletAction.Signed(p.transferId(), role, sign(sign)).toCommand(actor, view.id()));
            }
        }
        return out;
    }

    private Role roleIn(EscrowView view) {
        if (view.buyer().equals(party)) {
            return Role.BUYER;
        }
        if (view.seller().equals(party)) {
            return Role.SELLER;
        }
        throw new IllegalArgumentException(party + " is not a party to " + view.id());
    }

    /** Fundings (the escrow's and its bonds') are submitted by the wallet; anything else goes back to the rail. */
    private static boolean isFunding(EscrowView view, TransferId transfer) {
        if (transfer.equals(view.fundingTransfer())) {
            return true;
        }
        for (BondView bond : view.bonds()) {
            if (transfer.equals(bond.fundingTransfer())) {
                return true;
            }
        }
        return false;
    }

    private WalletAction payInvoice(TransferId transfer, PartyInstruction.PayInvoice pay) {
        InvoiceState state = rails.lndSimulator().payInvoiceAsBuyer(pay.paymentRequest());
        if (state != InvoiceState.ACCEPTED && state != InvoiceState.SETTLED) {
            throw new IllegalStateException("the invoice did not take the payment: " + state);
        }
        return new WalletAction.InvoicePaid(transfer, pay.paymentRequest(), pay.amount());
    }

    private WalletAction decide(TransferId transfer, PartyInstruction.ApproveAt approve, boolean approved) {
        URI back = rails.approveInBrowser(approve.url(), approved);
        return new WalletAction.GrantDecided(transfer, approved, back, rails.follow(back));
    }

    private String sign(PartyInstruction.SignTransaction sign) {
        Transaction tx = parse(sign);
        tx.sign(stellarKey);
        return tx.toEnvelopeXdrBase64();
    }

    private WalletAction submit(TransferId transfer, PartyInstruction.SignTransaction sign) {
        String envelope = sign(sign);
        SubmitTransactionResponse r;
        try {
            r = rails.stellarClient().submitTransactionXdr(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!r.isSuccess()) {
            throw new IllegalStateException("Horizon refused the transaction: "
                    + (r.getExtras() == null ? "no result codes" : r.getExtras().getResultCodes()));
        }
        return new WalletAction.Submitted(transfer, r.getHash());
    }

    private static Transaction parse(PartyInstruction.SignTransaction sign) {
        if (!"stellar-xdr".equals(sign.format())) {
            throw new IllegalArgumentException("this wallet signs Stellar transactions only, not " + sign.format());
        }
        try {
            AbstractTransaction tx =
                    AbstractTransaction.fromEnvelopeXdr(sign.transaction(), new Network(sign.network()));
            if (!(tx instanceof Transaction plain)) {
                throw new IllegalArgumentException("not a plain transaction");
            }
            return plain;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a Stellar envelope", e);
        }
    }

    @Override
    public String toString() {
        return "SimulatedWallet[" + party + ", " + name + "]";
    }
}
