package dev.holdfast.stellar.simulator;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.stellar.sdk.Asset;
import org.stellar.sdk.AssetTypeNative;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;
import org.stellar.sdk.Operation;
import org.stellar.sdk.PaymentOperation;
import org.stellar.sdk.Server;
import org.stellar.sdk.TimeBounds;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.TransactionBuilder;
import org.stellar.sdk.TransactionPreconditions;
import org.stellar.sdk.responses.AccountResponse;
import org.stellar.sdk.responses.SubmitTransactionResponse;

/** A simulator on a fixed clock (moved with {@code sim.advance}), and the SDK's own Horizon client pointed at it. */
abstract class SimulatorTestBase {
    static final Instant EPOCH = Instant.parse("2026-01-15T12:00:00Z");
    static final Asset XLM = new AssetTypeNative();

    HorizonSimulator sim;
    Server server;
    Network network;

    @BeforeEach
    void startSimulator() throws Exception {
        sim = HorizonSimulator.builder()
                .clock(Clock.fixed(EPOCH, ZoneOffset.UTC))
                .build()
                .start();
        server = new Server(sim.url());
        network = sim.network();
    }

    @AfterEach
    void stopSimulator() {
        server.close();
        sim.close();
    }

    /** A builder on the source account's current sequence (loaded through Horizon), base fee 100, no time bounds. */
    TransactionBuilder builder(String sourceId) throws Exception {
        AccountResponse source = server.accounts().account(sourceId);
        return new TransactionBuilder(source, network)
                .setBaseFee(100)
                .addPreconditions(TransactionPreconditions.builder()
                        .timeBounds(new TimeBounds(0, 0))
                        .build());
    }

    Transaction signed(KeyPair source, Operation... ops) throws Exception {
        TransactionBuilder b = builder(source.getAccountId());
        for (Operation op : ops) {
            b.addOperation(op);
        }
        Transaction tx = b.build();
        tx.sign(source);
        return tx;
    }

    SubmitTransactionResponse submit(Transaction tx) throws Exception {
        return server.submitTransaction(tx, true);
    }

    SubmitTransactionResponse submit(KeyPair source, Operation... ops) throws Exception {
        return submit(signed(source, ops));
    }

    static PaymentOperation pay(String to, Asset asset, String amount) {
        return new PaymentOperation.Builder(to, asset, amount).build();
    }

    /** "tx_failed [op_underfunded]" style summary of a refusal, or "success". */
    static String codes(SubmitTransactionResponse r) {
        if (r.isSuccess()) {
            return "success";
        }
        var codes = r.getExtras().getResultCodes();
        List<String> ops = codes.getOperationsResultCodes() == null
                ? List.of()
                : new ArrayList<>(codes.getOperationsResultCodes());
        return ops.isEmpty() ? codes.getTransactionResultCode() : codes.getTransactionResultCode() + " " + ops;
    }

    long balance(String accountId) {
        return sim.balanceStroops(accountId);
    }
}
