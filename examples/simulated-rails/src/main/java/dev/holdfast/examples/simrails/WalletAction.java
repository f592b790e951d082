package dev.holdfast.examples.simrails;

import dev.holdfast.api.Actor;
import dev.holdfast.api.EscrowCommand;
import dev.holdfast.api.EscrowId;
import dev.holdfast.api.Money;
import dev.holdfast.api.Role;
import dev.holdfast.api.TransferId;
import java.net.URI;
import java.util.Objects;

/**
 * What a {@link SimulatedWallet} did for an instruction. Only {@link Signed} needs the host to do something more:
 * hand the signed transaction back to the engine ({@link Signed#toCommand}). Immutable.
 *
 * @since 0.1
 */
public sealed interface WalletAction {
    /** @return the transfer the instruction belonged to */
    TransferId transferId();

    /**
     * A BOLT11 (hold) invoice was paid from the simulated payer node; a hold invoice is now ACCEPTED.
     *
     * @param transferId the transfer
     * @param paymentRequest the invoice
     * @param amount what was paid
     */
    record InvoicePaid(TransferId transferId, String paymentRequest, Money amount) implements WalletAction {}

    /**
     * An Open Payments grant was approved or refused at the provider's consent page, and the browser followed the
     * redirect to the host's finish endpoint.
     *
     * @param transferId the transfer
     * @param approved whether the holder approved
     * @param finishRedirect where the provider sent the browser
     * @param hostStatus the HTTP status of the host's finish endpoint, or 0 when the host serves it elsewhere and the
     *     return was handed to {@link OpenPaymentsReturn} directly
     */
    record GrantDecided(TransferId transferId, boolean approved, URI finishRedirect, int hostStatus)
            implements WalletAction {}

    /**
     * A Stellar transaction was signed and submitted to Horizon by the wallet, as a wallet app does for the buyer's
     * funding.
     *
     * @param transferId the transfer
     * @param hash the applied transaction's hash
     */
    record Submitted(TransferId transferId, String hash) implements WalletAction {}

    /**
     * A transaction was signed for the rail to submit (a payout's co-signature).
     *
     * @param transferId the transfer
     * @param party the role that signed
     * @param payload the signed envelope
     */
    record Signed(TransferId transferId, Role party, String payload) implements WalletAction {
        public Signed {
            Objects.requireNonNull(payload, "payload");
        }

        /**
         * @param actor who hands it back (the signing party, normally)
         * @param escrowId the escrow
         * @return the command that hands the signature to the engine
         */
        public EscrowCommand.SubmitPartyResponse toCommand(Actor actor, EscrowId escrowId) {
            return new EscrowCommand.SubmitPartyResponse(actor, escrowId, transferId, payload);
        }
    }
}
