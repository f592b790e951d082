package dev.holdfast.examples.simrails;

import dev.holdfast.api.Asset;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.RailId;
import dev.holdfast.lightning.InMemoryLightningTransferLog;
import dev.holdfast.lightning.LightningPaymentRail;
import dev.holdfast.lightning.LightningRailConfig;
import dev.holdfast.lightning.internal.LndClient;
import dev.holdfast.lightning.simulator.LndSimulator;
import dev.holdfast.openpayments.InMemoryOpenPaymentsTransferLog;
import dev.holdfast.openpayments.InMemoryWalletAddressDirectory;
import dev.holdfast.openpayments.OpenPaymentsKeys;
import dev.holdfast.openpayments.OpenPaymentsPaymentRail;
import dev.holdfast.openpayments.OpenPaymentsRailConfig;
import dev.holdfast.openpayments.simulator.OpenPaymentsSimulator;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.stellar.InMemoryStellarAccountDirectory;
import dev.holdfast.stellar.InMemoryStellarTransferLog;
import dev.holdfast.stellar.StellarPaymentRail;
import dev.holdfast.stellar.StellarRailConfig;
import dev.holdfast.stellar.simulator.HorizonSimulator;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.stellar.sdk.Server;

/**
 * The three rail simulators started in-process on free local ports, and the three real {@link PaymentRail}s built
 * against them the way a host builds them against real networks: from {@code holdfast.rails.*} properties ({@link
 * #properties()}, read by {@link RailProperties}) through the adapters' public configurations and constructors.
 *
 * <ul>
 *   <li><b>Lightning</b>: an {@link LndSimulator} over TCP with TLS and an admin macaroon (certificate and macaroon
 *       files in a temporary directory), and a {@link LightningPaymentRail} connected to it. Lightning addresses
 *       {@code name@127.0.0.1} of the simulated wallets resolve through a local LNURL-pay service.
 *   <li><b>Stellar</b>: a {@link HorizonSimulator} (XLM), a platform account funded by its friendbot, and a {@link
 *       StellarPaymentRail}.
 *   <li><b>Open Payments</b>: an {@link OpenPaymentsSimulator} (an account servicing entity) with the platform's
 *       {@code escrow} and {@code platform} wallets in USD (scale 2), the platform's client key published in the
 *       escrow wallet's JWKS, an {@link OpenPaymentsPaymentRail}, and the operator's escrow grant approved at start.
 *       The host's finish endpoint is served locally and handed to {@link OpenPaymentsReturn}.
 * </ul>
 *
 * <p>Simulated parties get a {@link SimulatedWallet} from {@link #wallet(PartyId)}: it registers them in the rails'
 * directories (as a host would from its user profiles) and acts for them.
 *
 * <p>All rails, simulators and the engine a host builds should share one {@link Clock} ({@link Builder#clock}); the
 * system clock by default, which is what a demo wants. Transfer logs are in memory: a host on real networks must
 * provide durable ones.
 *
 * <p>Thread-safe. {@link #close()} stops the rails, the simulators and the local endpoints and deletes the temporary
 * files.
 *
 * @since 0.1
 */
public final class SimulatedRails implements AutoCloseable {
    /** Rail id of the Lightning rail. */
    public static final RailId LIGHTNING = RailId.of("lightning");
    /** Rail id of the Stellar rail. */
    public static final RailId STELLAR = RailId.of("stellar");
    /** Rail id of the Open Payments rail. */
    public static final RailId OPEN_PAYMENTS = RailId.of("openpayments");
    /** The Open Payments simulator's asset. */
    public static final Asset OPEN_PAYMENTS_ASSET = Asset.USD;

    private static final String OP_KEY_ID = "holdfast-simulated";

    private final Clock clock;
    private final Settings settings;
    private final Path dataDir;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<PartyId, SimulatedWallet> wallets = new HashMap<>();
    private final Object consentLock = new Object();
    private final HttpClient browser = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private LocalEndpoints endpoints;
    private LndSimulator lnd;
    private HorizonSimulator horizon;
    private OpenPaymentsSimulator openPaymentsSimulator;
    private LightningAddresses lightningAddresses;
    private LightningRailConfig lightningConfig;
    private StellarRailConfig stellarConfig;
    private OpenPaymentsRailConfig openPaymentsConfig;
    private LightningPaymentRail lightning;
    private StellarPaymentRail stellar;
    private OpenPaymentsPaymentRail openPayments;
    private OpenPaymentsReturn openPaymentsReturn;
    private Server stellarClient;
    private final InMemoryStellarAccountDirectory stellarAccounts = new InMemoryStellarAccountDirectory();
    private final InMemoryWalletAddressDirectory openPaymentsWallets = new InMemoryWalletAddressDirectory();

    private SimulatedRails(Builder b) throws IOException {
        this.settings = new Settings(
                b.routingFeeBaseMsat,
                b.routingFeePpm,
                b.platformChannelMsat,
                b.quoteFeeFixed,
                b.quoteFeeBasisPoints,
                b.escrowFloat,
                b.walletOpeningBalance,
                b.finishUriBase);
        this.clock = b.clock;
        this.dataDir = Files.createTempDirectory("holdfast-simulated-rails");
    }

    /**
     * Starts configuring.
     *
     * @return a builder with the system clock and the simulators' defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts everything with the defaults.
     *
     * @return the started rails
     * @throws IOException when a simulator cannot start
     */
    public static SimulatedRails start() throws IOException {
        return builder().start();
    }

    private SimulatedRails boot() throws IOException {
        endpoints = track(new LocalEndpoints());
        startLightning();
        startStellar();
        startOpenPayments();
        return this;
    }

    private void startLightning() throws IOException {
        lnd = track(LndSimulator.builder()
                .clock(clock)
                .routingFee(settings.routingFeeBaseMsat(), settings.routingFeePpm())
                .channelBalanceMsat(settings.platformChannelMsat())
                .tcp(0)
                .dataDir(dataDir.resolve("lnd"))
                .build()
                .start());
        lightningAddresses = new LightningAddresses(lnd);
        endpoints.lightning(lightningAddresses);
        byte[] preimageKey = new byte[32];
        new SecureRandom().nextBytes(preimageKey);
        String p = RailProperties.PREFIX + "lightning.";
        properties.put(p + "host", "localhost");
        properties.put(p + "port", Integer.toString(lnd.port()));
        properties.put(p + "tlsCertPath", lnd.tlsCertPath().toString());
        properties.put(p + "macaroonPath", lnd.adminMacaroonPath().toString());
        properties.put(p + "preimageKeyHex", HexFormat.of().formatHex(preimageKey));
        // Simulated wallets have Lightning addresses, so refunds after settlement can be paid.
        properties.put(p + "refundAfterSettlement", "true");
        // Lightning addresses resolve at the local LNURL service (https on port 443 in production).
        properties.put(p + "lnurlScheme", "http");
        properties.put(p + "lnurlPort", Integer.toString(endpoints.port()));
        lightningConfig = RailProperties.lightning(properties);
        if (clock.equals(Clock.systemUTC())) {
            // Exactly a host's call: TLS + macaroon from the configured files, the system clock.
            lightning = new LightningPaymentRail(lightningConfig, new InMemoryLightningTransferLog());
        } else {
            // The public constructor runs on the system clock; for a shared test clock the rail takes the same TLS +
            // macaroon channel, opened by the adapter's own connector, and that clock.
            ManagedChannel channel = LndClient.connect(lightningConfig);
            toClose.add(channel::shutdownNow); // closed after the rail, which does not own it
            lightning = new LightningPaymentRail(lightningConfig, new InMemoryLightningTransferLog(), channel, clock);
        }
        track(lightning);
    }

    private void startStellar() throws IOException {
        horizon = track(HorizonSimulator.builder().clock(clock).build().start());
        org.stellar.sdk.KeyPair platform = horizon.createFundedAccount();
        String p = RailProperties.PREFIX + "stellar.";
        properties.put(p + "horizonUrl", horizon.url());
        properties.put(p + "networkPassphrase", horizon.network().getNetworkPassphrase());
        properties.put(p + "platformSecretSeed", new String(platform.getSecretSeed()));
        stellarConfig = RailProperties.stellar(properties);
        stellar =
                track(new StellarPaymentRail(stellarConfig, stellarAccounts, new InMemoryStellarTransferLog(), clock));
        stellarClient = new Server(horizon.url());
        toClose.add(stellarClient::close);
    }

    private void startOpenPayments() throws IOException {
        openPaymentsSimulator = track(OpenPaymentsSimulator.builder()
                .clock(clock)
                .quoteFee(settings.quoteFeeFixed(), settings.quoteFeeBasisPoints())
                .build()
                .start());
        Asset asset = OPEN_PAYMENTS_ASSET;
        openPaymentsSimulator.createWallet("escrow", asset.code(), asset.scale(), settings.escrowFloat());
        openPaymentsSimulator.createWallet("platform", asset.code(), asset.scale(), 0);
        KeyPair key;
        try {
            key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        String finishBase = settings.finishUriBase() != null
                ? settings.finishUriBase()
                : endpoints.baseUrl() + LocalEndpoints.FINISH_PATH;
        String p = RailProperties.PREFIX + "openpayments.";
        properties.put(p + "escrowWalletAddress", openPaymentsSimulator.walletAddressUrl("escrow"));
        properties.put(p + "platformWalletAddress", openPaymentsSimulator.walletAddressUrl("platform"));
        properties.put(p + "assetCode", asset.code());
        properties.put(p + "assetScale", Integer.toString(asset.scale()));
        properties.put(p + "finishUriBase", finishBase);
        properties.put(p + "keyId", OP_KEY_ID);
        properties.put(
                p + "privateKeyPkcs8", b64.encodeToString(key.getPrivate().getEncoded()));
        properties.put(p + "publicKeyX509", b64.encodeToString(key.getPublic().getEncoded()));
        properties.put(p + "pollIntervalMillis", "200");
        // The simulator speaks plain http on 127.0.0.1; never set this against a real provider.
        properties.put(p + "allowInsecureHttp", "true");
        openPaymentsConfig = RailProperties.openPayments(properties);
        OpenPaymentsKeys keys = RailProperties.openPaymentsKeys(properties);
        // What the operator does once at a real provider: upload the client key to the escrow wallet address.
        openPaymentsSimulator.addKey("escrow", keys.jwk());
        openPayments = track(new OpenPaymentsPaymentRail(
                openPaymentsConfig, keys, new InMemoryOpenPaymentsTransferLog(), openPaymentsWallets, clock));
        openPaymentsReturn = new OpenPaymentsReturn(openPayments, finishBase);
        endpoints.openPayments(openPaymentsReturn);
        // The operator approves the long-lived escrow grant once (in a browser, at a real provider).
        URI back = approveInBrowser(openPayments.requestEscrowGrant(), true);
        if (settings.finishUriBase() != null) {
            // The host serves the finish endpoint elsewhere (and is not up yet): hand the return over directly.
            openPaymentsReturn.handle(back);
        } else {
            int status = follow(back);
            if (status != 200) {
                throw new IllegalStateException("the escrow grant's return was refused: HTTP " + status);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ accessors

    /** @return the Lightning rail, Stellar rail and Open Payments rail, in that order */
    public List<PaymentRail> rails() {
        return List.of(lightning, stellar, openPayments);
    }

    /** @return the Lightning rail (id {@link #LIGHTNING}) */
    public LightningPaymentRail lightning() {
        return lightning;
    }

    /** @return the Stellar rail (id {@link #STELLAR}) */
    public StellarPaymentRail stellar() {
        return stellar;
    }

    /** @return the Open Payments rail (id {@link #OPEN_PAYMENTS}) */
    public OpenPaymentsPaymentRail openPayments() {
        return openPayments;
    }

    /**
     * The configuration a host would write to reach these simulators, as {@code holdfast.rails.<name>.*} keys (see
     * {@link RailProperties}); the same keys with real endpoints configure real networks. Contains secrets (the
     * preimage key, the platform's Stellar seed, the Open Payments private key): simulated ones, but treat the map as
     * secret anyway.
     *
     * @return the properties, in a stable order; unmodifiable
     */
    public Map<String, String> properties() {
        return Collections.unmodifiableMap(properties);
    }

    /** @return the Lightning rail's configuration */
    public LightningRailConfig lightningConfig() {
        return lightningConfig;
    }

    /** @return the Stellar rail's configuration */
    public StellarRailConfig stellarConfig() {
        return stellarConfig;
    }

    /** @return the Open Payments rail's configuration */
    public OpenPaymentsRailConfig openPaymentsConfig() {
        return openPaymentsConfig;
    }

    /** @return the parties' Stellar accounts, the Stellar rail's directory; wallets register here */
    public InMemoryStellarAccountDirectory stellarAccounts() {
        return stellarAccounts;
    }

    /** @return the parties' Open Payments wallet addresses, the rail's directory; wallets register here */
    public InMemoryWalletAddressDirectory openPaymentsWallets() {
        return openPaymentsWallets;
    }

    /** @return the host's handling of Open Payments finish redirects, as the local finish endpoint uses it */
    public OpenPaymentsReturn openPaymentsReturn() {
        return openPaymentsReturn;
    }

    /** @return the LND simulator, for steering (faults, blocks) and reading its books */
    public LndSimulator lndSimulator() {
        return lnd;
    }

    /** @return the Horizon simulator, for steering and reading its ledger */
    public HorizonSimulator horizonSimulator() {
        return horizon;
    }

    /** @return the Open Payments simulator, for steering and reading its books */
    public OpenPaymentsSimulator openPaymentsSimulator() {
        return openPaymentsSimulator;
    }

    /** @return the clock every rail and simulator runs on */
    public Clock clock() {
        return clock;
    }

    /**
     * The wallet of a simulated party: created on first use with a Lightning address, a Stellar account holding
     * 10,000 XLM from the friendbot, and an Open Payments wallet holding the configured opening balance, all
     * registered in the rails' directories.
     *
     * @param party the party
     * @return its wallet, the same one on every call
     */
    public synchronized SimulatedWallet wallet(PartyId party) {
        Objects.requireNonNull(party, "party");
        // synchronized rather than computeIfAbsent: two parties whose names sanitise alike must get distinct wallets
        SimulatedWallet wallet = wallets.get(party);
        if (wallet == null) {
            wallet = new SimulatedWallet(this, party, walletName(party));
            wallets.put(party, wallet);
        }
        return wallet;
    }

    private String walletName(PartyId party) {
        String base = party.value().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        base = base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) ? "w" + base : base;
        base = base.length() > 40 ? base.substring(0, 40) : base;
        // never one of the platform's own wallets, nor two parties on one wallet
        String name = "wallet-" + base;
        int n = 1;
        while (lightningAddresses.known(name)) {
            name = "wallet-" + base + "-" + (++n);
        }
        return name;
    }

    // ------------------------------------------------------------------------------------------ package-private

    LightningAddresses lightningAddresses() {
        return lightningAddresses;
    }

    Server stellarClient() {
        return stellarClient;
    }

    long openingBalance() {
        return settings.walletOpeningBalance();
    }

    /**
     * The account holder's browser at the provider's consent page: decides, and answers where the provider redirects.
     * The simulator takes decisions from a queue, so deciding and opening the page happen under one lock.
     */
    URI approveInBrowser(String consentUrl, boolean approve) {
        synchronized (consentLock) {
            if (approve) {
                openPaymentsSimulator.approveNext();
            } else {
                openPaymentsSimulator.denyNext();
            }
            HttpResponse<String> r = get(URI.create(consentUrl));
            if (r.statusCode() != 302) {
                throw new IllegalStateException(
                        "the consent page did not redirect (HTTP " + r.statusCode() + "): " + r.body());
            }
            return URI.create(r.headers().firstValue("Location").orElseThrow());
        }
    }

    /** The browser following a redirect to the host's finish endpoint. */
    int follow(URI redirect) {
        return get(redirect).statusCode();
    }

    private HttpResponse<String> get(URI uri) {
        try {
            return browser.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        toClose.add(resource);
        return resource;
    }

    /** Stops the rails, then the simulators and endpoints, and deletes the temporary files. Idempotent. */
    @Override
    public synchronized void close() {
        // rails first (they were tracked after what they talk to), in reverse order of starting
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                // keep closing the rest: a demo's shutdown must not leave simulators running
            }
        }
        toClose.clear();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** What the builder said, copied so that a builder reused later changes nothing here. */
    private record Settings(
            long routingFeeBaseMsat,
            long routingFeePpm,
            long platformChannelMsat,
            long quoteFeeFixed,
            int quoteFeeBasisPoints,
            long escrowFloat,
            long walletOpeningBalance,
            String finishUriBase) {}

    /**
     * Configures {@link SimulatedRails}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private long routingFeeBaseMsat = 1_000;
        private long routingFeePpm = 1_000;
        private long platformChannelMsat = 10_000_000_000L;
        private long quoteFeeFixed;
        private int quoteFeeBasisPoints;
        private long escrowFloat = 10_000;
        private long walletOpeningBalance = 1_000_000;
        private String finishUriBase;

        private Builder() {}

        /**
         * The clock shared by the simulators and the rails; give the engine the same one.
         *
         * @param clock e.g. {@code Clock.systemUTC()} (default) or a test clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The routing fee of every Lightning payout, paid by the platform's node (default 1000 msat + 1000 ppm).
         *
         * @param baseMsat base fee
         * @param ppm proportional fee
         * @return this builder
         */
        public Builder lightningRoutingFee(long baseMsat, long ppm) {
            this.routingFeeBaseMsat = baseMsat;
            this.routingFeePpm = ppm;
            return this;
        }

        /**
         * The Open Payments provider's quote fee (default none): the buyer pays it on top when funding, the escrow
         * wallet's float pays it on payouts.
         *
         * @param fixedMinor fixed part
         * @param basisPoints proportional part
         * @return this builder
         */
        public Builder openPaymentsQuoteFee(long fixedMinor, int basisPoints) {
            this.quoteFeeFixed = fixedMinor;
            this.quoteFeeBasisPoints = basisPoints;
            return this;
        }

        /**
         * What the platform keeps in the Open Payments escrow wallet to pay payout quote fees (default 10,000 minor
         * units, $100.00).
         *
         * @param minor minor units of {@link #OPEN_PAYMENTS_ASSET}
         * @return this builder
         */
        public Builder openPaymentsEscrowFloat(long minor) {
            this.escrowFloat = minor;
            return this;
        }

        /**
         * What each simulated wallet holds at its Open Payments provider when created (default 1,000,000 minor units,
         * $10,000.00).
         *
         * @param minor minor units of {@link #OPEN_PAYMENTS_ASSET}
         * @return this builder
         */
        public Builder walletOpeningBalance(long minor) {
            this.walletOpeningBalance = minor;
            return this;
        }

        /**
         * The host's own Open Payments finish endpoint (e.g. {@code http://localhost:8080/holdfast/openpayments/finish}),
         * which must hand each redirect to {@link SimulatedRails#openPaymentsReturn()}. By default a local endpoint
         * does that.
         *
         * @param url the endpoint's URL
         * @return this builder
         */
        public Builder openPaymentsFinishUriBase(String url) {
            this.finishUriBase = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * Starts the simulators, builds the rails and approves the Open Payments escrow grant.
         *
         * @return the started rails
         * @throws IOException when a simulator or the local endpoint cannot start
         */
        public SimulatedRails start() throws IOException {
            SimulatedRails rails = new SimulatedRails(this);
            try {
                return rails.boot();
            } catch (IOException | RuntimeException e) {
                rails.close();
                throw e;
            }
        }
    }
}
