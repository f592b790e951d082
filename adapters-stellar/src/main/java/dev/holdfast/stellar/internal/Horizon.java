package dev.holdfast.stellar.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.stellar.sdk.Server;
import org.stellar.sdk.requests.ErrorResponse;
import org.stellar.sdk.responses.AccountResponse;
import org.stellar.sdk.responses.SubmitTransactionResponse;
import org.stellar.sdk.responses.TransactionResponse;

/**
 * Horizon through the SDK's {@link Server}, with the three answers a rail must tell apart: an answer, no such thing
 * (404), and no answer ({@link Unavailable}: timeout, 5xx, broken connection). Thread-safe.
 */
public final class Horizon implements AutoCloseable {
    private final Server server;
    private final Server streams;

    /** Horizon could not be asked or did not answer: the outcome of the request is unknown. */
    public static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A submission's answer.
     *
     * @param applied true when the transaction is in a ledger and succeeded
     * @param hash the hash
     * @param feeCharged fee charged in stroops, when known
     * @param txCode Horizon's transaction result code when refused or failed
     * @param opCodes the operations' result codes
     */
    public record Submitted(boolean applied, String hash, long feeCharged, String txCode, List<String> opCodes) {
        /** @return the code to report: the first failing operation's, else the transaction's */
        public String code() {
            return opCodes.stream()
                    .filter(c -> !c.equals("op_success"))
                    .findFirst()
                    .orElse(txCode == null ? "unknown" : txCode);
        }
    }

    /**
     * A transaction found on the ledger.
     *
     * @param successful whether it succeeded (a failed one consumed its sequence number and fee)
     * @param feeCharged fee charged in stroops
     */
    public record Found(boolean successful, long feeCharged) {}

    /**
     * @param url Horizon's base URL
     * @param timeout read timeout for every request, submissions included
     */
    public Horizon(String url, Duration timeout) {
        OkHttpClient client = new OkHttpClient.Builder()
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false)
                .build();
        this.server = new Server(url, client, client);
        this.streams = new Server(url);
    }

    /** @return the SDK server for event streams: its client has no read timeout between events */
    public Server streams() {
        return streams;
    }

    /**
     * @param accountId a G... account
     * @return the account, or empty when it does not exist
     * @throws Unavailable when Horizon did not answer
     */
    public Optional<AccountResponse> account(String accountId) {
        try {
            return Optional.of(server.accounts().account(accountId));
        } catch (ErrorResponse e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw new Unavailable("GET account: HTTP " + e.getCode(), e);
        } catch (IOException | RuntimeException e) {
            throw new Unavailable("GET account: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * @param hash a transaction hash, hex
     * @return the transaction, or empty when Horizon does not know it
     * @throws Unavailable when Horizon did not answer
     */
    public Optional<Found> transaction(String hash) {
        try {
            TransactionResponse t = server.transactions().transaction(hash);
            Long fee = t.getFeeCharged();
            return Optional.of(new Found(Boolean.TRUE.equals(t.isSuccessful()), fee == null ? 0 : fee));
        } catch (ErrorResponse e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw new Unavailable("GET transaction: HTTP " + e.getCode(), e);
        } catch (IOException | RuntimeException e) {
            throw new Unavailable("GET transaction: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Posts an envelope as it is; no memo-required check, so exactly one request.
     *
     * @param envelopeXdr the signed envelope
     * @param hash its hash, hex
     * @return Horizon's answer
     * @throws Unavailable when the answer was lost (timeout, 5xx): the transaction may or may not be applied
     */
    public Submitted submit(String envelopeXdr, String hash) {
        SubmitTransactionResponse r;
        try {
            r = server.submitTransactionXdr(envelopeXdr);
        } catch (IOException | RuntimeException e) {
            throw new Unavailable("POST transaction: " + e.getClass().getSimpleName(), e);
        }
        if (r.isSuccess()) {
            long fee = 0;
            try {
                fee = r.getDecodedTransactionResult()
                        .map(t -> t.getFeeCharged().getInt64())
                        .orElse(0L);
            } catch (IOException e) {
                // the fee is informative; a missing result XDR does not change the outcome
            }
            return new Submitted(true, r.getHash() == null ? hash : r.getHash(), fee, null, List.of());
        }
        if (r.getExtras() == null || r.getExtras().getResultCodes() == null) {
            throw new Unavailable("POST transaction: an answer without result codes", null);
        }
        var codes = r.getExtras().getResultCodes();
        List<String> ops =
                codes.getOperationsResultCodes() == null ? List.of() : List.copyOf(codes.getOperationsResultCodes());
        return new Submitted(false, hash, 0, codes.getTransactionResultCode(), ops);
    }

    @Override
    public void close() {
        server.close();
        streams.close();
    }
}
