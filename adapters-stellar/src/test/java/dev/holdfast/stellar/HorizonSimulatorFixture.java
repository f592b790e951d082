package dev.holdfast.stellar;

import dev.holdfast.api.Asset;
import dev.holdfast.api.Money;
import dev.holdfast.api.PartyId;
import dev.holdfast.api.PartyInstruction;
import dev.holdfast.api.PayoutDestination;
import dev.holdfast.api.Role;
import dev.holdfast.api.TestClock;
import dev.holdfast.spi.FundingRequest;
import dev.holdfast.spi.PaymentRail;
import dev.holdfast.spi.RailResult;
import dev.holdfast.stellar.simulator.HorizonSimulator;
import dev.holdfast.tck.rail.RailFaults;
import dev.holdfast.tck.rail.RailTestFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.stellar.sdk.AbstractTransaction;
import org.stellar.sdk.ChangeTrustAsset;
import org.stellar.sdk.ChangeTrustOperation;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.PaymentOperation;
import org.stellar.sdk.Server;
import org.stellar.sdk.TimeBounds;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.TransactionBuilder;
import org.stellar.sdk.TransactionPreconditions;
import org.stellar.sdk.responses.SubmitTransactionResponse;
import org.stellar.sdk.xdr.TransactionResultCode;

/**
 * The outside world of the Stellar rail for the contract kit: a {@link HorizonSimulator} on a test clock, funded
 * platform, buyer and seller accounts, an issued asset {@code USDC} (or XLM), and wallets that sign with the parties'
 * keys. Observations come from the simulator's ledger.
 */
final class HorizonSimulatorFixture implements RailTestFixture {
    static final Asset USDC = new Asset("USDC", 7);
    static final PartyId BUYER = PartyId.of("tck-buyer");
    static final PartyId SELLER = PartyId.of("tck-seller");

    final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    final HorizonSimulator sim;
    final Server wallet;
    final KeyPair platform;
    final KeyPair issuer;
    final KeyPair buyer;
    final KeyPair seller;
    final Asset asset;
    final StellarTransferLog log;
    final InMemoryStellarAccountDirectory directory = new InMemoryStellarAccountDirectory();
    final StellarRailConfig config;
    StellarPaymentRail rail;
    private final Map<String, String> escrowOf = new ConcurrentHashMap<>();

    HorizonSimulatorFixture(Asset asset) {
        this(asset, new InMemoryStellarTransferLog());
    }

    /** @param asset the escrows' asset @param log the rail's transfer log */
    HorizonSimulatorFixture(Asset asset, StellarTransferLog log) {
        this.asset = asset;
        this.log = log;
        try {
            sim = HorizonSimulator.builder().clock(clock).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        wallet = new Server(sim.url());
        platform = sim.createFundedAccount();
        issuer = sim.issueAsset("USDC");
        buyer = sim.createFundedAccount();
        seller = sim.createFundedAccount();
        // USDC is listed in either mode, so the buyer can fund in it (RC-9 funds every listed asset).
        org.stellar.sdk.Asset usdc = org.stellar.sdk.Asset.create("credit_alphanum4", "USDC", issuer.getAccountId());
        trust(platform, usdc);
        trust(buyer, usdc);
        trust(seller, usdc);
        submit(issuer, new PaymentOperation.Builder(buyer.getAccountId(), usdc, "100000").build());
        directory.put(BUYER, buyer.getAccountId()).put(SELLER, seller.getAccountId());
        config = StellarRailConfig.of(
                        sim.url(),
                        sim.network().getNetworkPassphrase(),
                        new String(platform.getSecretSeed()),
                        Map.of(USDC, issuer.getAccountId()))
                .withTimings(Duration.ofSeconds(2), Duration.ofMillis(500));
        rail = newRail();
    }

    StellarPaymentRail newRail() {
        return new StellarPaymentRail(config, directory, log, clock);
    }

    org.stellar.sdk.Asset stellarAsset() {
        return asset.equals(Asset.XLM)
                ? new org.stellar.sdk.AssetTypeNative()
                : org.stellar.sdk.Asset.create("credit_alphanum4", "USDC", issuer.getAccountId());
    }

    private void trust(KeyPair who) {
        trust(who, stellarAsset());
    }

    private void trust(KeyPair who, org.stellar.sdk.Asset line) {
        submit(who, new ChangeTrustOperation.Builder(ChangeTrustAsset.create(line), "922337203685.4775807").build());
    }

    SubmitTransactionResponse submit(KeyPair source, org.stellar.sdk.Operation op) {
        try {
            Transaction tx = new TransactionBuilder(wallet.accounts().account(source.getAccountId()), sim.network())
                    .setBaseFee(100)
                    .addPreconditions(TransactionPreconditions.builder()
                            .timeBounds(new TimeBounds(0, 0))
                            .build())
                    .addOperation(op)
                    .build();
            tx.sign(source);
            return wallet.submitTransactionXdr(tx.toEnvelopeXdrBase64());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KeyPair keyOf(Role role) {
        return switch (role) {
            case BUYER -> buyer;
            case SELLER -> seller;
            case PLATFORM -> platform;
            default -> throw new IllegalArgumentException("no key for " + role);
        };
    }

    @Override
    public PaymentRail rail() {
        return rail;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Money fundingAmount() {
        return Money.of(50_000_000L, asset);
    }

    @Override
    public boolean buyerPays(FundingRequest request, RailResult openResult) {
        if (!(openResult.instruction() instanceof PartyInstruction.SignTransaction asked)
                || asked.party() != Role.BUYER) {
            return false;
        }
        try {
            Transaction tx = (Transaction) AbstractTransaction.fromEnvelopeXdr(asked.transaction(), sim.network());
            tx.sign(buyer);
            boolean paid = wallet.submitTransactionXdr(tx.toEnvelopeXdrBase64()).isSuccess();
            if (paid) {
                escrowOf.put(request.transferId().value(), tx.getSourceAccount());
            }
            return paid;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String sign(PartyInstruction.SignTransaction instruction) {
        try {
            Transaction tx =
                    (Transaction) AbstractTransaction.fromEnvelopeXdr(instruction.transaction(), sim.network());
            tx.sign(keyOf(instruction.party()));
            return tx.toEnvelopeXdrBase64();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public PayoutDestination.RailAddress validDestination(Role party, Money amount) {
        KeyPair account = sim.createFundedAccount();
        if (!asset.equals(Asset.XLM)) {
            trust(account);
        }
        return new PayoutDestination.RailAddress(account.getAccountId());
    }

    @Override
    public void advanceRailTime(Duration duration) {
        clock.advance(duration);
        sim.closeLedger();
    }

    @Override
    public Optional<RailFaults> faults() {
        return Optional.of(new RailFaults() {
            @Override
            public void failNext(String code) {
                sim.failNext(TransactionResultCode.txINTERNAL_ERROR);
            }

            @Override
            public void unknownNext() {
                sim.failNext(504);
            }

            @Override
            public void stallNext() {
                sim.holdNextSubmission();
            }

            @Override
            public void completeStalled() {
                sim.releaseHeld();
            }
        });
    }

    private long balance(String account, Asset of) {
        if (!sim.accountExists(account)) {
            return 0;
        }
        if (of.equals(Asset.XLM)) {
            return sim.balanceStroops(account);
        }
        if (!of.equals(USDC)) {
            return 0;
        }
        try {
            return sim.balanceStroops(account, "USDC", issuer.getAccountId());
        } catch (IllegalArgumentException noTrustline) {
            return 0;
        }
    }

    @Override
    public Money receivedAt(PayoutDestination.RailAddress destination, Asset of) {
        if (of.equals(Asset.XLM)) {
            // destinations start with friendbot's lumens and spend nothing
            return Money.of(balance(destination.address(), of) - HorizonSimulator.FRIENDBOT_STROOPS, of);
        }
        return Money.of(balance(destination.address(), of), of);
    }

    /**
     * The platform's own funds: its account, plus for XLM the reserve and fee buffer it lent to escrow accounts that
     * are still open (what they hold beyond the buyer's money), which the final merge gives back.
     */
    @Override
    public Money platformBalance(Asset of) {
        long own = balance(platform.getAccountId(), of);
        if (of.equals(Asset.XLM) && asset.equals(Asset.XLM)) {
            for (String escrow : escrowOf.values()) {
                if (sim.accountExists(escrow)) {
                    long held = sim.paidBetween(buyer.getAccountId(), escrow, null, null)
                            - sim.paidBetween(escrow, null, null, null);
                    own += sim.balanceStroops(escrow) - held;
                }
            }
        }
        return Money.of(own, of);
    }

    @Override
    public Money buyerNetPaid(FundingRequest funding) {
        String escrow = escrowOf.get(funding.transferId().value());
        if (escrow == null) {
            return Money.zero(funding.amount().asset());
        }
        String code = asset.equals(Asset.XLM) ? null : "USDC";
        String iss = asset.equals(Asset.XLM) ? null : issuer.getAccountId();
        long in = sim.paidBetween(buyer.getAccountId(), escrow, code, iss);
        long out = sim.paidBetween(escrow, buyer.getAccountId(), code, iss);
        return Money.of(in - out, funding.amount().asset());
    }

    @Override
    public Duration asyncTimeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    public void close() {
        rail.close();
        wallet.close();
        sim.releaseHeld();
        sim.close();
    }
}
