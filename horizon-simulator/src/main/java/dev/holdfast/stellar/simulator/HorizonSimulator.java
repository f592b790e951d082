package dev.holdfast.stellar.simulator;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;
import org.stellar.sdk.xdr.TransactionResultCode;

/**
 * A simulated Horizon server over an in-memory Stellar ledger, for tests of the Stellar rail through the Stellar
 * Java SDK's own client ({@code org.stellar.sdk.Server}).
 *
 * <p>Every envelope posted to {@code /transactions} is decoded with the SDK's XDR classes and checked as
 * stellar-core checks it before it enters a ledger: operation count, time bounds and ledger bounds against the
 * closing ledger, fee ≥ 100 stroops per operation, source account, sequence number = account sequence + 1, signature
 * weight of the source account against its low threshold and of each operation's source against that operation's
 * threshold, and no unused signatures. A refused transaction costs nothing. An accepted one is applied at once in a
 * new ledger: the fee is charged and the sequence number consumed, pre-auth-tx signers matching its hash are removed,
 * then its operations run (create account, payment, change trust, set options, account merge, create and claim
 * claimable balance) with core's balance, reserve, trustline and predicate rules; if any fails, all operations are
 * rolled back and the answer is Horizon's 400 {@code transaction_failed} with the real result XDR and codes.
 *
 * <p>Time comes from the injected {@link Clock} plus whatever {@link #advance} added. A ledger closes every
 * {@value Ledger#LEDGER_SECONDS} seconds of that time, on {@link #closeLedger()}, and for every applied transaction.
 *
 * <p>Tests steer it with plain Java calls: {@link #failNext(int)}, {@link #failNext(TransactionResultCode)}, {@link
 * #stallNext(Duration)}, {@link #dropStreams()}, {@link #closeLedger()}, {@link #advance(Duration)}.
 *
 * <p>Thread-safe. Create with {@link #builder()}, then {@link #start()}; {@link #close()} stops it.
 *
 * @since 0.1.0
 */
public final class HorizonSimulator implements AutoCloseable {
    /** What {@link #createFundedAccount()} and the {@code /friendbot} endpoint give: 10,000 XLM. */
    public static final long FRIENDBOT_STROOPS = 10_000 * Codec.STROOPS_PER_UNIT;

    private final Ledger ledger;
    private final HttpApi http;
    private boolean started;

    private HorizonSimulator(Builder b) throws IOException {
        this.ledger = new Ledger(new Network(b.networkPassphrase), b.clock);
        this.http = new HttpApi(ledger, b.host, b.port);
    }

    /**
     * Starts configuring a simulator.
     *
     * @return a builder for a testnet-passphrase simulator on a free local port with the system clock
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts serving HTTP.
     *
     * @return this simulator
     */
    public synchronized HorizonSimulator start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        http.start();
        started = true;
        return this;
    }

    /** Ends open streams and stops the server. */
    @Override
    public synchronized void close() {
        http.stop();
        started = false;
    }

    /**
     * The base URL for {@code new org.stellar.sdk.Server(url)}.
     *
     * @return e.g. {@code http://127.0.0.1:41234}
     */
    public String url() {
        return http.baseUrl();
    }

    /**
     * The network this ledger belongs to; transactions must be signed for it.
     *
     * @return the network (its passphrase as configured)
     */
    public Network network() {
        return ledger.network();
    }

    // ---- accounts -----------------------------------------------------------------------------------------------

    /**
     * Funds an account from the network's root account with a real transaction: {@code create_account} when it does
     * not exist, else a native payment. It shows in history and streams like any other transaction.
     *
     * @param accountId a G... address
     * @param stroops the amount; at least 1 XLM (two base reserves) for a new account
     * @return the funding transaction's hash
     * @throws IllegalStateException when the ledger refuses it (e.g. too small a starting balance)
     */
    public String friendbot(String accountId, long stroops) {
        Ledger.Submission s = ledger.friendbot(Objects.requireNonNull(accountId), stroops);
        if (!s.successful()) {
            throw new IllegalStateException("friendbot funding failed: " + s.body());
        }
        return s.body().get("hash").getAsString();
    }

    /**
     * Creates an account holding {@link #FRIENDBOT_STROOPS}.
     *
     * @return its key pair, able to sign
     */
    public KeyPair createFundedAccount() {
        return createFundedAccount(FRIENDBOT_STROOPS);
    }

    /**
     * Creates an account holding {@code stroops}.
     *
     * @param stroops at least 1 XLM
     * @return its key pair, able to sign
     */
    public KeyPair createFundedAccount(long stroops) {
        KeyPair account = KeyPair.random();
        friendbot(account.getAccountId(), stroops);
        return account;
    }

    /**
     * Creates a funded issuer account for {@code code}; holders need a trustline ({@code ChangeTrust}) before the
     * issuer can pay them.
     *
     * @param code 1-12 alphanumeric characters, e.g. {@code USDC}
     * @return the issuer's key pair; the asset is {@code code:issuer.getAccountId()}
     */
    public KeyPair issueAsset(String code) {
        if (code == null
                || code.isEmpty()
                || code.length() > 12
                || !code.chars().allMatch(Character::isLetterOrDigit)) {
            throw new IllegalArgumentException("not an asset code: " + code);
        }
        return createFundedAccount();
    }

    /**
     * Whether the account exists on the ledger (merged accounts do not).
     *
     * @param accountId a G... address
     * @return true when it exists
     */
    public boolean accountExists(String accountId) {
        return ledger.exists(accountId);
    }

    /**
     * The native balance.
     *
     * @param accountId a G... address
     * @return stroops
     * @throws IllegalArgumentException when the account does not exist
     */
    public long balanceStroops(String accountId) {
        Long b = ledger.nativeBalance(accountId);
        if (b == null) {
            throw new IllegalArgumentException("no such account: " + accountId);
        }
        return b;
    }

    /**
     * The balance of an issued asset on the account's trustline.
     *
     * @param accountId a G... address
     * @param code the asset code
     * @param issuer the issuer's G... address
     * @return stroops (7 decimals, as for every Stellar asset)
     * @throws IllegalArgumentException when there is no such trustline
     */
    public long balanceStroops(String accountId, String code, String issuer) {
        Long b = ledger.assetBalance(accountId, new AssetKey(code, issuer));
        if (b == null) {
            throw new IllegalArgumentException("no trustline for " + code + ":" + issuer + " on " + accountId);
        }
        return b;
    }

    /**
     * The account's current sequence number.
     *
     * @param accountId a G... address
     * @return the sequence number; the next transaction must use this + 1
     */
    public long sequenceNumber(String accountId) {
        return ledger.sequence(accountId);
    }

    /**
     * The total of successful payments from one account to another in an asset, over the whole history: what a
     * test reads to tell how much one escrow account paid whom.
     *
     * @param from the paying G... account
     * @param to the receiving G... account, or {@code null} for any
     * @param code the asset code, or {@code null} for XLM
     * @param issuer the issuer's G... account, or {@code null} for XLM
     * @return stroops
     */
    public long paidBetween(String from, String to, String code, String issuer) {
        long sum = 0;
        for (Ledger.TxRecord tx : ledger.history()) {
            for (Ledger.OpRecord op : tx.operations()) {
                var json = op.json();
                if (!op.successful()
                        || !json.has("type")
                        || !json.get("type").getAsString().equals("payment")
                        || !from.equals(json.get("from").getAsString())
                        || (to != null && !to.equals(json.get("to").getAsString()))) {
                    continue;
                }
                boolean nativeAsset = json.get("asset_type").getAsString().equals("native");
                boolean matches = code == null
                        ? nativeAsset
                        : !nativeAsset
                                && code.equals(json.get("asset_code").getAsString())
                                && issuer.equals(json.get("asset_issuer").getAsString());
                if (matches) {
                    sum += new java.math.BigDecimal(json.get("amount").getAsString())
                            .movePointRight(7)
                            .longValueExact();
                }
            }
        }
        return sum;
    }

    // ---- ledger clock -------------------------------------------------------------------------------------------

    /**
     * The latest closed ledger.
     *
     * @return its sequence number
     */
    public int latestLedger() {
        return ledger.latestLedger();
    }

    /**
     * The ledger clock: the injected clock plus every {@link #advance}, to the second, as time bounds and
     * claimable-balance predicates see it.
     *
     * @return now on the ledger clock
     */
    public Instant now() {
        return Instant.ofEpochSecond(ledger.now());
    }

    /**
     * Closes a ledger without transactions now.
     *
     * @return the new ledger's sequence number
     */
    public int closeLedger() {
        return ledger.closeLedger();
    }

    /**
     * Moves the ledger clock forward (on top of the injected clock) and closes the ledgers that time covers.
     *
     * @param duration not negative
     */
    public void advance(Duration duration) {
        ledger.advance(Objects.requireNonNull(duration));
    }

    // ---- faults -------------------------------------------------------------------------------------------------

    /**
     * Answers the next HTTP request, of any kind, with {@code httpStatus} and Horizon's problem document for it
     * (e.g. 503 {@code service_unavailable}, 504 {@code timeout}, 429 {@code rate_limit_exceeded}), without acting on
     * it. Calls queue up.
     *
     * @param httpStatus e.g. 503
     */
    public void failNext(int httpStatus) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("not an error status: " + httpStatus);
        }
        http.failNext(httpStatus);
    }

    /**
     * Refuses the next submitted transaction with {@code code} (e.g. {@code txINTERNAL_ERROR}, {@code txBAD_SEQ}) in
     * a 400 {@code transaction_failed} answer, without applying it. Calls queue up.
     *
     * @param code the transaction result code to answer
     */
    public void failNext(TransactionResultCode code) {
        ledger.forceNextResult(Objects.requireNonNull(code));
    }

    /**
     * Answers the next HTTP request {@code delay} late. A submission is applied first and only its answer is late,
     * so a client that times out does not know whether its transaction made it, as with a real Horizon 504.
     *
     * @param delay how late
     */
    public void stallNext(Duration delay) {
        http.stallNext(Objects.requireNonNull(delay));
    }

    /**
     * Holds the next {@code POST /transactions} before it reaches the ledger, until {@link #releaseHeld()}: the
     * client waits, nothing is applied, as with a Horizon whose submission queue is stuck. Calls queue up.
     */
    public void holdNextSubmission() {
        http.holdNextSubmission();
    }

    /** Lets every held submission (and every armed hold) go on to the ledger. */
    public void releaseHeld() {
        http.releaseHeld();
    }

    /**
     * How many submissions are being held right now.
     *
     * @return the count
     */
    public int heldSubmissions() {
        return http.heldSubmissions();
    }

    /**
     * Applies the next {@code POST /transactions} as usual but answers it with Horizon's 504 {@code timeout}
     * problem, so the client cannot tell whether the transaction made it (it did, or was refused). Calls queue up.
     */
    public void loseNextSubmissionAnswer() {
        http.loseNextSubmissionAnswer();
    }

    /** Ends every open event stream cleanly; the SDK's {@code SSEStream} reconnects with its last cursor. */
    public void dropStreams() {
        http.dropStreams();
    }

    /**
     * How many event streams are open, e.g. to wait until a client has connected.
     *
     * @return the count
     */
    public int openStreams() {
        return http.openStreams();
    }

    /**
     * Configures a {@link HorizonSimulator}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private String networkPassphrase = Network.TESTNET.getNetworkPassphrase();
        private String host = "127.0.0.1";
        private int port;

        private Builder() {}

        /**
         * The clock ledgers close on and time bounds are checked against (default: the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * The network passphrase (default: testnet's). It fixes the network id that signatures cover and the root
         * account's key.
         *
         * @param passphrase e.g. {@code "Standalone Network ; February 2017"}
         * @return this builder
         */
        public Builder networkPassphrase(String passphrase) {
            this.networkPassphrase = Objects.requireNonNull(passphrase);
            return this;
        }

        /**
         * The local TCP port (default 0: a free one; see {@link HorizonSimulator#url()}).
         *
         * @param port the port
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The address to bind (default {@code 127.0.0.1}).
         *
         * @param host a host name or IP literal
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /**
         * Binds the port and creates the genesis ledger; {@link HorizonSimulator#start()} serves it.
         *
         * @return the simulator, not yet serving
         * @throws IOException when the port cannot be bound
         */
        public HorizonSimulator build() throws IOException {
            return new HorizonSimulator(this);
        }
    }
}
