package dev.holdfast.examples.shop;

import dev.holdfast.api.BondView;
import dev.holdfast.api.ErrorCode;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowEngine;
import dev.holdfast.api.EscrowException;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.EscrowView;
import dev.holdfast.api.IdempotencyKey;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PendingInstruction;
import dev.holdfast.api.RailId;
import dev.holdfast.api.TransferId;
import dev.holdfast.examples.simrails.SimulatedRails;
import dev.holdfast.examples.simrails.SimulatedWallet;
import dev.holdfast.examples.simrails.WalletAction;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulated wallet panel, only when the rails are the in-process simulators: the logged-in party's wallet pays its
 * funding instruction (pays the BOLT11 hold invoice, approves the Open Payments grant and follows the redirect, signs
 * and submits the Stellar transaction), co-signs a Stellar payout, and every persona's wallet balance is readable. On
 * real networks the parties' own wallets do this and these endpoints answer 404.
 */
@RequestScoped
@Path("shop/wallet")
@Produces(MediaType.APPLICATION_JSON)
public class WalletResource {
    /** The personas whose wallets the panel shows. */
    static final List<String> PERSONAS = List.of("ana", "ben", "carol", "ops");

    @Inject
    EscrowEngine engine;

    @Inject
    ShopSetup setup;

    /** Public for RESTEasy. */
    public WalletResource() {}

    private SimulatedRails rails() {
        if (!setup.simulated()) {
            throw new EscrowException(ErrorCode.RESOURCE_NOT_FOUND, "shop/wallet (the rails are not simulated)");
        }
        return SimulatedNetwork.rails();
    }

    /** @return every persona's wallet balance on every rail */
    @GET
    @Path("balances")
    public List<Map<String, Object>> balances() {
        SimulatedRails rails = rails();
        List<Map<String, Object>> out = new ArrayList<>();
        for (String persona : PERSONAS) {
            SimulatedWallet w = rails.wallet(PartyId.of(persona));
            for (RailId rail : Pricing.RAILS) {
                Money m = w.balance(rail);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("party", persona);
                row.put("rail", rail.value());
                row.put("minor", m.minor());
                row.put("asset", m.asset().code());
                row.put("scale", m.asset().scale());
                out.add(row);
            }
        }
        return out;
    }

    /**
     * The caller's wallet pays what the escrow asks of the caller to fund: the escrow's funding (buyer) and the
     * caller's bond.
     *
     * @param security a party to the escrow
     * @param escrowId the escrow
     * @return what the wallet did
     */
    @POST
    @Path("escrows/{escrowId}/fund")
    public Map<String, Object> fund(@Context SecurityContext security, @PathParam("escrowId") String escrowId) {
        return act(security, escrowId, true);
    }

    /**
     * Open Payments: the caller refuses the consent.
     *
     * @param security the buyer
     * @param escrowId the escrow
     * @return what the wallet did
     */
    @POST
    @Path("escrows/{escrowId}/decline")
    public Map<String, Object> decline(@Context SecurityContext security, @PathParam("escrowId") String escrowId) {
        SimulatedWallet wallet = rails().wallet(ShopResource.user(security));
        EscrowView view = view(escrowId, security);
        try {
            return result(List.of(describe(wallet.declineFunding(view))));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, e.getMessage());
        }
    }

    /**
     * The caller co-signs every payout transaction waiting for them (Stellar) and hands the signatures to the engine.
     *
     * @param security a party to the escrow
     * @param escrowId the escrow
     * @return what was signed
     */
    @POST
    @Path("escrows/{escrowId}/cosign")
    public Map<String, Object> cosign(@Context SecurityContext security, @PathParam("escrowId") String escrowId) {
        return act(security, escrowId, false);
    }

    private Map<String, Object> act(SecurityContext security, String escrowId, boolean funding) {
        SimulatedWallet wallet = rails().wallet(ShopResource.user(security));
        EscrowView view = view(escrowId, security);
        List<String> done = new ArrayList<>();
        try {
            if (funding) {
                Set<TransferId> fundings = fundingTransfers(view);
                for (PendingInstruction p : view.pendingInstructions()) {
                    if (fundings.contains(p.transferId()) && mine(view, p, wallet.party())) {
                        done.add(describe(wallet.perform(view, p)));
                    }
                }
            } else {
                for (EscrowCommand.SubmitPartyResponse c : wallet.coSign(view)) {
                    engine.submit(IdempotencyKey.of("cosign-" + c.transferId().value()), c);
                    done.add("co-signed payout " + c.transferId().value());
                }
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new EscrowException(ErrorCode.INVALID_REQUEST, e.getMessage());
        }
        if (done.isEmpty()) {
            throw new EscrowException(
                    ErrorCode.INVALID_STATE,
                    funding ? "pay" : "co-sign",
                    "escrow " + escrowId,
                    "waiting for nothing from " + wallet.party().value());
        }
        return result(done);
    }

    private static boolean mine(EscrowView view, PendingInstruction p, PartyId me) {
        return switch (p.instruction().party()) {
            case BUYER -> view.buyer().equals(me);
            case SELLER -> view.seller().equals(me);
            default -> false;
        };
    }

    private static Set<TransferId> fundingTransfers(EscrowView view) {
        Set<TransferId> out = new java.util.HashSet<>();
        if (view.fundingTransfer() != null) {
            out.add(view.fundingTransfer());
        }
        for (BondView b : view.bonds()) {
            if (b.fundingTransfer() != null) {
                out.add(b.fundingTransfer());
            }
        }
        return out;
    }

    private EscrowView view(String escrowId, SecurityContext security) {
        EscrowView view;
        try {
            view = engine.get(EscrowId.of(escrowId));
        } catch (IllegalArgumentException e) {
            throw new EscrowException(ErrorCode.INVALID_ID, "escrow", escrowId);
        }
        PartyId me = ShopResource.user(security);
        if (!view.buyer().equals(me) && !view.seller().equals(me)) {
            throw new EscrowException(ErrorCode.PARTY_NOT_ALLOWED, me.value(), "use a wallet on", escrowId);
        }
        return view;
    }

    private static String describe(WalletAction action) {
        // release 17: no pattern switch over the sealed interface yet
        if (action instanceof WalletAction.InvoicePaid p) {
            return "paid the Lightning invoice (" + p.amount().minor() + " msat)";
        }
        if (action instanceof WalletAction.GrantDecided g) {
            return (g.approved() ? "approved" : "declined") + " the Open Payments grant";
        }
        if (action instanceof WalletAction.Submitted s) {
            return "signed and submitted the Stellar transaction " + s.hash();
        }
        return "signed transfer " + action.transferId().value();
    }

    private static Map<String, Object> result(List<String> done) {
        return Map.of("done", done, "text", String.join("; ", done));
    }
}
