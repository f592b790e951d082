package dev.holdfast.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What a party must do on the rail for money to move: pay an invoice, approve a grant at a URL, sign a transaction,
 * or send a payment. The host shows it to the party; for {@link SignTransaction} the party's signed result comes
 * back through {@link EscrowCommand.SubmitPartyResponse}.
 *
 * @since 0.1
 */
public sealed interface PartyInstruction {
    /** @return who must act */
    Role party();

    /** @return after this instant the instruction is no longer valid */
    Instant expiresAt();

    /**
     * Pay a Lightning invoice (BOLT11).
     *
     * @param party who must pay
     * @param paymentRequest the BOLT11 invoice
     * @param amount exact amount of the invoice
     * @param expiresAt invoice expiry
     */
    record PayInvoice(Role party, String paymentRequest, Money amount, Instant expiresAt) implements PartyInstruction {
        public PayInvoice {
            Objects.requireNonNull(paymentRequest, "paymentRequest");
        }
    }

    /**
     * Approve a payment at the party's own wallet provider (an interactive grant).
     *
     * @param party who must approve
     * @param url where to send the party's browser
     * @param expiresAt when the consent request lapses
     */
    record ApproveAt(Role party, String url, Instant expiresAt) implements PartyInstruction {
        public ApproveAt {
            Objects.requireNonNull(url, "url");
        }
    }

    /**
     * Sign a transaction the rail prepared, and hand the signed result back.
     *
     * @param party who must sign
     * @param format the encoding, e.g. {@code stellar-xdr}
     * @param transaction the unsigned transaction
     * @param network the network it is valid on (e.g. a network passphrase)
     * @param expiresAt when the transaction stops being valid
     */
    record SignTransaction(Role party, String format, String transaction, String network, Instant expiresAt)
            implements PartyInstruction {
        public SignTransaction {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(transaction, "transaction");
        }
    }

    /**
     * Send a payment to an address with a reference that identifies the escrow.
     *
     * @param party who must send
     * @param destination where to send
     * @param reference the memo or reference to include
     * @param amount exact amount
     * @param expiresAt after this the payment is not matched any more
     */
    record SendPayment(Role party, String destination, String reference, Money amount, Instant expiresAt)
            implements PartyInstruction {
        public SendPayment {
            Objects.requireNonNull(destination, "destination");
        }
    }
}
