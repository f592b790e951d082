package dev.holdfast.lightning.simulator;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lightningj.lnd.proto.LightningApi.Invoice.InvoiceState;
import org.lightningj.lnd.proto.LightningApi.PaymentFailureReason;
import org.lightningj.lnd.wrapper.MacaroonClientInterceptor;

/**
 * A simulated LND node that serves LND's real gRPC services ({@code lnrpc.Lightning}, {@code invoicesrpc.Invoices},
 * {@code routerrpc.Router}, as generated in LightningJ) in-process and, optionally, over TCP with TLS, checking a
 * macaroon on every call.
 *
 * <p>It keeps LND's hold-invoice lifecycle: an invoice is OPEN when added, ACCEPTED when the buyer's HTLC arrives
 * ({@link #payInvoiceAsBuyer}), SETTLED by {@code SettleInvoice(preimage)} or CANCELED by {@code CancelInvoice}, by
 * expiry while still OPEN, or automatically once the block height comes within {@value
 * SimulatedNode#HOLD_EXPIRY_DELTA} blocks of the HTLC's expiry (LND's {@code holdexpirydelta}). Time comes from the
 * injected {@link Clock}; the block height is the start height plus one block per ten minutes of that clock plus the
 * blocks mined with {@link #mineBlocks}. Outgoing payments ({@code SendPaymentV2}) go IN_FLIGHT, then SUCCEEDED with
 * the routing fee charged to the channel balance, or FAILED with LND's failure reason.
 *
 * <p>Tests steer it with plain Java calls: {@link #failNext(Status)}, {@link #failNext(PaymentFailureReason)}, {@link
 * #stallNext()}, {@link #dropStreams()}, {@link #restart()}. State survives {@link #restart()}, as LND's database
 * does.
 *
 * <p>Errors carry LND's messages. Where LND answers with a plain Go error, the gRPC code is UNKNOWN as in LND;
 * macaroon refusals are UNAUTHENTICATED here although LND reports them as UNKNOWN, so clients should match the text.
 *
 * <p>Thread-safe. Create with {@link #builder()}, then {@link #start()}; {@link #close()} stops it.
 *
 * @since 0.1.0
 */
public final class LndSimulator implements AutoCloseable {
    // Every permission of LND's admin macaroon.
    private static final List<String[]> ADMIN_PERMISSIONS = List.of(
            new String[] {"address", "read", "write"},
            new String[] {"info", "read", "write"},
            new String[] {"invoices", "read", "write"},
            new String[] {"macaroon", "generate", "read", "write"},
            new String[] {"message", "read", "write"},
            new String[] {"offchain", "read", "write"},
            new String[] {"onchain", "read", "write"},
            new String[] {"peers", "read", "write"},
            new String[] {"signer", "generate", "read"});

    private final SimulatedNode node;
    private final ScheduledExecutorService scheduler;
    private final String inProcessName = "lnd-simulator-" + UUID.randomUUID();
    private final boolean tcp;
    private final Path dataDir;
    private final Path macaroonPath;
    private final Path certPath;
    private final Path keyPath;
    private final byte[] rootKey;
    private final String adminMacaroonHex;
    private final Clock clock;
    private int port;
    private Server inProcessServer;
    private Server tcpServer;
    private boolean started;

    private LndSimulator(Builder b) throws IOException {
        SecureRandom random = new SecureRandom();
        this.clock = b.clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lnd-simulator");
            t.setDaemon(true);
            return t;
        });
        this.node = new SimulatedNode(
                b.clock,
                b.network,
                b.startHeight,
                b.channelBalanceMsat,
                b.feeBaseMsat,
                b.feePpm,
                b.paymentLatency.toMillis(),
                random,
                scheduler);
        this.tcp = b.tcp;
        this.port = b.port;
        this.dataDir = b.dataDir != null ? Files.createDirectories(b.dataDir) : Files.createTempDirectory("lnd-sim");
        this.macaroonPath = dataDir.resolve("admin.macaroon");
        this.certPath = dataDir.resolve("tls.cert");
        this.keyPath = dataDir.resolve("tls.key");
        this.rootKey = new byte[32];
        random.nextBytes(rootKey);
        byte[] nonce = new byte[24];
        random.nextBytes(nonce);
        byte[] macaroon = Macaroon.mint(rootKey, nonce, ADMIN_PERMISSIONS).toBinary();
        this.adminMacaroonHex = HexFormat.of().formatHex(macaroon);
        Files.write(macaroonPath, macaroon);
        if (tcp) {
            SelfSignedTls.write(certPath, keyPath, random);
        }
    }

    /**
     * Starts configuring a simulator.
     *
     * @return a builder with LND-like defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the servers and the clock's ticker.
     *
     * @return this simulator
     * @throws IOException when the TCP port cannot be bound
     */
    public synchronized LndSimulator start() throws IOException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        startServers();
        // Expiry and CLTV auto-cancel follow the injected clock without the test having to call tick().
        scheduler.scheduleWithFixedDelay(this::safeTick, 100, 100, TimeUnit.MILLISECONDS);
        started = true;
        return this;
    }

    /**
     * Stops and starts the servers on the same in-process name and TCP port, keeping all state, as an LND restart
     * with its database would. Open streams end with UNAVAILABLE; stalled payments stay IN_FLIGHT.
     *
     * @throws IOException when the TCP port cannot be bound again
     */
    public synchronized void restart() throws IOException {
        requireStarted();
        stopServers();
        startServers();
    }

    /** Stops the servers and the ticker; the data directory is left in place. */
    @Override
    public synchronized void close() {
        if (started) {
            stopServers();
            started = false;
        }
        scheduler.shutdownNow();
    }

    // A periodic task that throws is never run again; one bad stream must not stop the clock.
    private void safeTick() {
        try {
            node.tick();
        } catch (RuntimeException e) {
            System.getLogger(LndSimulator.class.getName()).log(System.Logger.Level.WARNING, "simulator tick failed", e);
        }
    }

    private void startServers() throws IOException {
        inProcessServer = InProcessServerBuilder.forName(inProcessName)
                .addService(intercepted(new LightningService(node)))
                .addService(intercepted(new InvoicesService(node)))
                .addService(intercepted(new RouterService(node)))
                .build()
                .start();
        if (tcp) {
            tcpServer = startTcp();
            port = tcpServer.getPort();
        }
    }

    private Server startTcp() throws IOException {
        // Rebinding right after a restart can race the old socket's release; retry briefly.
        for (int attempt = 1; ; attempt++) {
            try {
                return NettyServerBuilder.forPort(
                                port, TlsServerCredentials.create(certPath.toFile(), keyPath.toFile()))
                        .withOption(ChannelOption.SO_REUSEADDR, true)
                        .addService(intercepted(new LightningService(node)))
                        .addService(intercepted(new InvoicesService(node)))
                        .addService(intercepted(new RouterService(node)))
                        .build()
                        .start();
            } catch (IOException e) {
                if (!(e.getCause() instanceof BindException || e instanceof BindException) || attempt >= 20) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    private void stopServers() {
        node.dropStreams(Status.UNAVAILABLE.withDescription("server is shutting down"));
        for (Server server : new Server[] {tcpServer, inProcessServer}) {
            if (server != null) {
                server.shutdownNow();
                try {
                    server.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        tcpServer = null;
        inProcessServer = null;
    }

    private ServerServiceDefinition intercepted(BindableService service) {
        // The last interceptor runs first: authenticate, then apply queued faults.
        return ServerInterceptors.intercept(
                service, new FaultInterceptor(node), new MacaroonInterceptor(rootKey, clock));
    }

    // ---- connecting ---------------------------------------------------------------------------------------------

    /**
     * A new in-process channel that sends the admin macaroon with every call; the caller shuts it down.
     *
     * @return the channel, for LightningJ's {@code (ManagedChannel)} API constructors
     */
    public ManagedChannel newInProcessChannel() {
        return InProcessChannelBuilder.forName(inProcessName)
                .intercept(new MacaroonClientInterceptor(() -> adminMacaroonHex))
                .build();
    }

    /**
     * A builder for an in-process channel without credentials, e.g. to send a wrong macaroon or none.
     *
     * @return the channel builder
     */
    public InProcessChannelBuilder inProcessChannelBuilder() {
        return InProcessChannelBuilder.forName(inProcessName);
    }

    /**
     * The TCP port of the TLS server.
     *
     * @return the bound port
     * @throws IllegalStateException when TCP was not enabled or the simulator has not started
     */
    public synchronized int port() {
        if (!tcp || port == 0) {
            throw new IllegalStateException("TCP is not enabled or not started");
        }
        return port;
    }

    /**
     * LND's {@code tls.cert}: the PEM self-signed certificate the TCP server presents (only with TCP enabled).
     *
     * @return the file's path
     */
    public Path tlsCertPath() {
        return certPath;
    }

    /**
     * LND's {@code admin.macaroon}: the binary (v2) admin macaroon.
     *
     * @return the file's path
     */
    public Path adminMacaroonPath() {
        return macaroonPath;
    }

    /**
     * The admin macaroon as hex, as sent in the {@code macaroon} metadata.
     *
     * @return lower-case hex
     */
    public String adminMacaroonHex() {
        return adminMacaroonHex;
    }

    /**
     * The admin macaroon with an extra first-party caveat, e.g. {@code "time-before 2030-01-01T00:00:00Z"} (the only
     * caveat the simulator understands; others make every call fail).
     *
     * @param condition the caveat condition
     * @return the attenuated macaroon as hex
     */
    public String adminMacaroonHexWithCaveat(String condition) {
        return HexFormat.of()
                .formatHex(Macaroon.fromBinary(HexFormat.of().parseHex(adminMacaroonHex))
                        .withFirstPartyCaveat(condition)
                        .toBinary());
    }

    /**
     * This node's public key.
     *
     * @return 33-byte compressed key as hex, as {@code GetInfo} shows it
     */
    public String identityPubkey() {
        return node.identityPubkey();
    }

    // ---- chain and balance ----------------------------------------------------------------------------------

    /**
     * The current block height.
     *
     * @return start height + mined blocks + one per ten minutes of the clock
     */
    public int blockHeight() {
        return node.blockHeight();
    }

    /**
     * Mines {@code n} blocks at once and applies their consequences (CLTV auto-cancel) before returning.
     *
     * @param n how many; not negative
     */
    public void mineBlocks(int n) {
        node.mineBlocks(n);
    }

    /** Applies the clock's current time now (invoice expiry, CLTV auto-cancel) instead of at the next tick. */
    public void tick() {
        node.tick();
    }

    /**
     * The local channel balance: the start balance, plus settled incoming invoices, minus outgoing payments and
     * their fees (in-flight ones included).
     *
     * @return millisatoshis
     */
    public long channelBalanceMsat() {
        return node.channelBalanceMsat();
    }

    // ---- test hooks ----------------------------------------------------------------------------------------------

    /**
     * Acts as the buyer paying one of this node's invoices: an OPEN hold invoice becomes ACCEPTED (its HTLC expires
     * {@code cltv_expiry} blocks from now), an OPEN ordinary invoice becomes SETTLED.
     *
     * @param paymentRequest the BOLT11 string this node issued
     * @return the invoice's new state
     * @throws IllegalArgumentException when the request is not one of this node's invoices or has no amount
     * @throws IllegalStateException when the invoice is not OPEN
     */
    public InvoiceState payInvoiceAsBuyer(String paymentRequest) {
        return node.payAsBuyer(paymentRequest, 0);
    }

    /**
     * Like {@link #payInvoiceAsBuyer(String)}, for an invoice without an amount.
     *
     * @param paymentRequest the BOLT11 string this node issued
     * @param amountMsat what the buyer pays; ignored when the invoice has an amount
     * @return the invoice's new state
     */
    public InvoiceState payInvoiceAsBuyer(String paymentRequest, long amountMsat) {
        return node.payAsBuyer(paymentRequest, amountMsat);
    }

    /**
     * Issues an invoice from another node of the simulated network (the seller), which this node can pay with
     * {@code SendPaymentV2}.
     *
     * @param amountMsat the amount; 0 for an any-amount invoice
     * @return the BOLT11 payment request
     */
    public String createSellerInvoice(long amountMsat) {
        if (amountMsat < 0) {
            throw new IllegalArgumentException("amountMsat must not be negative");
        }
        return node.createRemoteInvoice(amountMsat, "seller payout");
    }

    /**
     * Issues a seller invoice whose description hash commits to {@code description}, as an LNURL-pay service does
     * with its metadata (LUD-06).
     *
     * @param amountMsat the amount
     * @param description the text whose SHA-256 goes in the invoice's {@code h} field
     * @return the BOLT11 payment request
     */
    public String createSellerInvoiceForDescription(long amountMsat, String description) {
        return node.createRemoteInvoice(
                amountMsat, "", SimulatedNode.sha256(description.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * The seller node's public key, a keysend destination that accepts payments.
     *
     * @return 33-byte compressed key as hex
     */
    public String sellerNodePubkey() {
        return node.remoteNodePubkey();
    }

    /**
     * Makes the next authenticated gRPC call, of any method, fail with {@code status}. Calls queue up.
     *
     * @param status e.g. {@code Status.UNAVAILABLE.withDescription("...")}
     */
    public void failNext(Status status) {
        node.failNextCall(Objects.requireNonNull(status));
    }

    /**
     * Makes the next gRPC call to one of {@code fullMethodNames} (e.g. {@code "invoicesrpc.Invoices/SettleInvoice"})
     * fail with {@code status} before it runs; calls to other methods are not affected. Faults queue up.
     *
     * @param status e.g. {@code Status.UNKNOWN.withDescription("...")}, as LND reports its own errors
     * @param fullMethodNames the gRPC methods the fault may hit; none means any
     */
    public void failNextCall(Status status, String... fullMethodNames) {
        node.failNextCall(Objects.requireNonNull(status), java.util.Set.of(fullMethodNames));
    }

    /**
     * Lets the next gRPC call to one of {@code fullMethodNames} run and take effect, but its client sees UNAVAILABLE
     * instead of the answer, as when a connection drops right after the node acted. Faults queue up.
     *
     * @param fullMethodNames the gRPC methods the fault may hit; none means any
     */
    public void loseNextAnswer(String... fullMethodNames) {
        node.loseNextAnswer(java.util.Set.of(fullMethodNames));
    }

    // ---- read-only books, for tests that check what really moved ---------------------------------------------

    /**
     * What the seller received for an invoice from {@link #createSellerInvoice}.
     *
     * @param paymentRequest the seller's BOLT11 invoice
     * @return millisatoshis received; 0 until a payment to it succeeded
     */
    public long sellerInvoiceReceivedMsat(String paymentRequest) {
        return node.remoteInvoiceReceivedMsat(paymentRequest);
    }

    /**
     * Everything the seller node received, by invoice or keysend.
     *
     * @return millisatoshis
     */
    public long sellerReceivedMsat() {
        return node.sellerReceivedMsat();
    }

    /**
     * What the buyer has paid into one of this node's invoices and not got back: the amount while ACCEPTED or once
     * SETTLED, 0 while OPEN or once CANCELED.
     *
     * @param paymentRequest the BOLT11 string this node issued
     * @return millisatoshis
     */
    public long buyerNetPaidMsat(String paymentRequest) {
        return node.buyerNetPaidMsat(paymentRequest);
    }

    /**
     * The state of one of this node's invoices.
     *
     * @param paymentRequest the BOLT11 string this node issued
     * @return the state
     * @throws IllegalArgumentException when it is not one of this node's invoices
     */
    public InvoiceState invoiceState(String paymentRequest) {
        return node.invoiceState(paymentRequest);
    }

    /**
     * Every outgoing payment this node made, as {@code ListPayments} would show it.
     *
     * @return the payments, oldest first
     */
    public List<org.lightningj.lnd.proto.LightningApi.Payment> payments() {
        return node.payments();
    }

    /**
     * Makes the next outgoing payment end FAILED with {@code reason} (after going IN_FLIGHT).
     *
     * @param reason e.g. {@code FAILURE_REASON_NO_ROUTE}
     */
    public void failNext(PaymentFailureReason reason) {
        node.failNextPayment(Objects.requireNonNull(reason));
    }

    /**
     * Holds the next gRPC call until {@link #releaseStalled()}: a unary call or subscription gets no answer, a
     * {@code SendPaymentV2} payment stays IN_FLIGHT.
     */
    public void stallNext() {
        node.stallNextCall();
    }

    /** Keeps the next outgoing payment IN_FLIGHT until {@link #releaseStalled()}, whatever calls come first. */
    public void stallNextPayment() {
        node.stallNextPayment();
    }

    /** Lets stalled calls run and stalled payments resolve. */
    public void releaseStalled() {
        node.releaseStalled();
    }

    /** Ends every open server stream (invoice subscriptions, payment streams) with UNAVAILABLE. */
    public void dropStreams() {
        node.dropStreams(Status.UNAVAILABLE.withDescription("simulated stream drop"));
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("not started");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while rebinding", e));
        }
    }

    /**
     * Configures an {@link LndSimulator}. Not thread-safe.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private String network = "bcrt";
        private int startHeight = 800_000;
        private long channelBalanceMsat = 10_000_000_000L;
        private long feeBaseMsat = 1_000;
        private long feePpm = 1_000;
        private Duration paymentLatency = Duration.ofMillis(20);
        private boolean tcp;
        private int port;
        private Path dataDir;

        private Builder() {}

        /**
         * The clock for invoice timestamps, expiry and the block height.
         *
         * @param clock e.g. a {@link MutableClock}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * The BOLT11 network prefix: {@code bcrt} (regtest, default), {@code tb} (testnet), {@code bc} (mainnet).
         *
         * @param bech32Prefix the prefix after "ln"
         * @return this builder
         */
        public Builder network(String bech32Prefix) {
            this.network = Objects.requireNonNull(bech32Prefix);
            return this;
        }

        /**
         * The block height at start (default 800000).
         *
         * @param height not negative
         * @return this builder
         */
        public Builder startHeight(int height) {
            if (height < 0) {
                throw new IllegalArgumentException("height must not be negative");
            }
            this.startHeight = height;
            return this;
        }

        /**
         * The local channel balance at start (default 10,000,000 sat).
         *
         * @param msat millisatoshis
         * @return this builder
         */
        public Builder channelBalanceMsat(long msat) {
            this.channelBalanceMsat = msat;
            return this;
        }

        /**
         * The routing fee every outgoing payment pays: {@code baseMsat + amountMsat * ppm / 1,000,000} (default 1000
         * msat + 1000 ppm).
         *
         * @param baseMsat base fee in millisatoshis
         * @param ppm proportional fee in parts per million
         * @return this builder
         */
        public Builder routingFee(long baseMsat, long ppm) {
            if (baseMsat < 0 || ppm < 0) {
                throw new IllegalArgumentException("fees must not be negative");
            }
            this.feeBaseMsat = baseMsat;
            this.feePpm = ppm;
            return this;
        }

        /**
         * How long a payment stays IN_FLIGHT before it resolves (default 20 ms).
         *
         * @param latency not negative
         * @return this builder
         */
        public Builder paymentLatency(Duration latency) {
            this.paymentLatency = Objects.requireNonNull(latency);
            return this;
        }

        /**
         * Also serves over TCP with TLS on {@code port} (0 picks a free port), besides in-process.
         *
         * @param port the port
         * @return this builder
         */
        public Builder tcp(int port) {
            this.tcp = true;
            this.port = port;
            return this;
        }

        /**
         * Where {@code admin.macaroon}, {@code tls.cert} and {@code tls.key} go (default: a new temporary directory).
         *
         * @param dir the directory; created if missing
         * @return this builder
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /**
         * Creates the simulator, its keys, macaroon and certificate; {@link LndSimulator#start()} serves it.
         *
         * @return the simulator, not yet started
         * @throws IOException when the data directory cannot be written
         */
        public LndSimulator build() throws IOException {
            return new LndSimulator(this);
        }
    }
}
