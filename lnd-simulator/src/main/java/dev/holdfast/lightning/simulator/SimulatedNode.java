package dev.holdfast.lightning.simulator;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.AddHoldInvoiceRequest;
import org.lightningj.lnd.invoices.proto.InvoicesOuterClass.AddHoldInvoiceResp;
import org.lightningj.lnd.proto.LightningApi.AddInvoiceResponse;
import org.lightningj.lnd.proto.LightningApi.Invoice;
import org.lightningj.lnd.proto.LightningApi.Invoice.InvoiceState;
import org.lightningj.lnd.proto.LightningApi.InvoiceHTLC;
import org.lightningj.lnd.proto.LightningApi.InvoiceHTLCState;
import org.lightningj.lnd.proto.LightningApi.Payment;
import org.lightningj.lnd.proto.LightningApi.Payment.PaymentStatus;
import org.lightningj.lnd.proto.LightningApi.PaymentFailureReason;
import org.lightningj.lnd.router.proto.RouterOuterClass.SendPaymentRequest;

/**
 * The simulated node's state: its invoices, its outgoing payments, its channel balance, the block height, the streams
 * listening to them and the faults queued by tests. Every method is thread-safe; all state is guarded by this
 * object's monitor, and stream updates are sent while holding it so that each stream sees changes in order and a
 * new subscriber cannot miss an update between its snapshot and its registration. Server observers passed in must
 * already have a cancel handler, so that sending to a cancelled stream is a no-op rather than an exception.
 */
final class SimulatedNode {
    /** LND's {@code holdexpirydelta}: an accepted hold invoice is cancelled this many blocks before its HTLC expires. */
    static final int HOLD_EXPIRY_DELTA = 12;
    /** LND's default invoice expiry. */
    static final long DEFAULT_INVOICE_EXPIRY_SECONDS = 86_400;
    /** LND's default final CLTV delta ({@code bitcoin.timelockdelta}) for invoices without one. */
    static final long DEFAULT_CLTV_EXPIRY = 80;
    /** The custom record that carries a keysend preimage. */
    static final long KEYSEND_RECORD = 5_482_373_484L;

    private static final long BLOCK_INTERVAL_MILLIS = 600_000;
    private static final HexFormat HEX = HexFormat.of();
    private static final String ZERO_PREIMAGE = "0".repeat(64);

    private final Clock clock;
    private final String network;
    private final Secp256k1 nodeKey;
    private final Secp256k1 remoteKey;
    private final SecureRandom random;
    private final ScheduledExecutorService scheduler;
    private final long routingFeeBaseMsat;
    private final long routingFeePpm;
    private final long paymentLatencyMillis;
    private final long startMillis;
    private final int startHeight;

    private int minedBlocks;
    private long channelBalanceMsat;
    private long addIndex;
    private long settleIndex;
    private long paymentIndex;
    private final Map<String, InvoiceRecord> invoices = new LinkedHashMap<>();
    private final Map<String, PaymentRecord> payments = new LinkedHashMap<>();
    // Invoices issued by other nodes of the simulated network, which this node can pay.
    private final Map<String, RemoteInvoice> remoteInvoices = new HashMap<>();
    private final List<Subscription<Invoice>> invoiceStreams = new ArrayList<>();
    private final List<Subscription<Payment>> paymentStreams = new ArrayList<>();

    private final Deque<CallFault> callFailures = new ArrayDeque<>();
    private long sellerReceivedMsat;
    private final Deque<PaymentFailureReason> paymentFailures = new ArrayDeque<>();
    private int callsToStall;
    private int paymentsToStall;
    private final List<Runnable> stalledCalls = new ArrayList<>();

    SimulatedNode(
            Clock clock,
            String network,
            int startHeight,
            long channelBalanceMsat,
            long routingFeeBaseMsat,
            long routingFeePpm,
            long paymentLatencyMillis,
            SecureRandom random,
            ScheduledExecutorService scheduler) {
        this.clock = clock;
        this.network = network;
        this.startHeight = startHeight;
        this.channelBalanceMsat = channelBalanceMsat;
        this.routingFeeBaseMsat = routingFeeBaseMsat;
        this.routingFeePpm = routingFeePpm;
        this.paymentLatencyMillis = paymentLatencyMillis;
        this.random = random;
        this.scheduler = scheduler;
        this.nodeKey = Secp256k1.generate(random);
        this.remoteKey = Secp256k1.generate(random);
        this.startMillis = clock.millis();
    }

    // ---- chain and node info -------------------------------------------------------------------------------

    synchronized int blockHeight() {
        long elapsed = Math.max(0, clock.millis() - startMillis);
        return Math.toIntExact(startHeight + minedBlocks + elapsed / BLOCK_INTERVAL_MILLIS);
    }

    void mineBlocks(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative");
        }
        synchronized (this) {
            minedBlocks += n;
        }
        tick();
    }

    String identityPubkey() {
        return HEX.formatHex(nodeKey.publicKey());
    }

    String network() {
        return network;
    }

    synchronized long channelBalanceMsat() {
        return channelBalanceMsat;
    }

    Instant now() {
        return clock.instant();
    }

    // ---- invoices --------------------------------------------------------------------------------------------

    synchronized AddHoldInvoiceResp addHoldInvoice(AddHoldInvoiceRequest req) {
        byte[] hash = req.getHash().toByteArray();
        if (hash.length != 32) {
            throw lndError("invalid hash length of " + hash.length + ", want 32");
        }
        long valueMsat = amountMsat(req.getValue(), req.getValueMsat());
        InvoiceRecord inv = newInvoice(
                hash,
                null,
                true,
                req.getMemo(),
                req.getDescriptionHash().toByteArray(),
                valueMsat,
                req.getExpiry(),
                req.getCltvExpiry());
        return AddHoldInvoiceResp.newBuilder()
                .setPaymentRequest(inv.paymentRequest)
                .setAddIndex(inv.addIndex)
                .setPaymentAddr(ByteString.copyFrom(inv.paymentAddr))
                .build();
    }

    synchronized AddInvoiceResponse addInvoice(Invoice req) {
        byte[] preimage = req.getRPreimage().toByteArray();
        if (preimage.length == 0) {
            preimage = randomBytes(32);
        } else if (preimage.length != 32) {
            throw lndError("payment preimage must be exactly 32 bytes, is " + preimage.length);
        }
        long valueMsat = amountMsat(req.getValue(), req.getValueMsat());
        InvoiceRecord inv = newInvoice(
                sha256(preimage),
                preimage,
                false,
                req.getMemo(),
                req.getDescriptionHash().toByteArray(),
                valueMsat,
                req.getExpiry(),
                req.getCltvExpiry());
        return AddInvoiceResponse.newBuilder()
                .setRHash(ByteString.copyFrom(inv.hash))
                .setPaymentRequest(inv.paymentRequest)
                .setAddIndex(inv.addIndex)
                .setPaymentAddr(ByteString.copyFrom(inv.paymentAddr))
                .build();
    }

    private InvoiceRecord newInvoice(
            byte[] hash,
            byte[] preimage,
            boolean hold,
            String memo,
            byte[] descriptionHash,
            long valueMsat,
            long expiry,
            long cltvExpiry) {
        String key = HEX.formatHex(hash);
        if (invoices.containsKey(key)) {
            throw lndError("invoice with payment hash already exists");
        }
        if (memo.length() > 1024) {
            throw lndError("memo too large: " + memo.length() + " bytes (maxsize=1024)");
        }
        long expirySeconds = expiry == 0 ? DEFAULT_INVOICE_EXPIRY_SECONDS : expiry;
        long cltv = cltvExpiry == 0 ? DEFAULT_CLTV_EXPIRY : cltvExpiry;
        long created = clock.instant().getEpochSecond();
        byte[] paymentAddr = randomBytes(32);
        String pr = Bolt11.encode(
                network, valueMsat, created, hash, paymentAddr, memo, descriptionHash, expirySeconds, cltv, nodeKey);
        InvoiceRecord inv =
                new InvoiceRecord(hash, preimage, hold, memo, valueMsat, created, expirySeconds, cltv, pr, paymentAddr);
        inv.addIndex = ++addIndex;
        invoices.put(key, inv);
        return inv;
    }

    synchronized Invoice lookupInvoice(byte[] hash) {
        InvoiceRecord inv = invoices.get(HEX.formatHex(hash));
        if (inv == null) {
            throw Status.NOT_FOUND.withDescription("unable to locate invoice").asRuntimeException();
        }
        return inv.toProto();
    }

    synchronized Invoice lookupInvoiceByAddr(byte[] paymentAddr) {
        for (InvoiceRecord inv : invoices.values()) {
            if (MessageDigest.isEqual(inv.paymentAddr, paymentAddr)) {
                return inv.toProto();
            }
        }
        throw Status.NOT_FOUND.withDescription("unable to locate invoice").asRuntimeException();
    }

    synchronized void settleInvoice(byte[] preimage) {
        if (preimage.length != 32) {
            throw lndError("invalid preimage length of " + preimage.length + "/32");
        }
        // LND finds the invoice by the preimage's hash, so a wrong preimage reads as an unknown invoice.
        InvoiceRecord inv = invoices.get(HEX.formatHex(sha256(preimage)));
        if (inv == null) {
            throw lndError("unable to locate invoice");
        }
        switch (inv.state) {
            case OPEN -> throw lndError("invoice still open");
            case SETTLED -> throw lndError("invoice already settled");
            case CANCELED -> throw lndError("invoice already canceled");
            case ACCEPTED -> {
                inv.preimage = preimage.clone();
                settle(inv);
            }
            default -> throw lndError("unknown invoice state " + inv.state);
        }
    }

    synchronized void cancelInvoice(byte[] hash) {
        InvoiceRecord inv = invoices.get(HEX.formatHex(hash));
        if (inv == null) {
            throw lndError("unable to locate invoice");
        }
        switch (inv.state) {
            case SETTLED -> throw lndError("invoice already settled");
                // LND's registry treats a repeated cancel as success.
            case CANCELED -> {}
            default -> cancel(inv);
        }
    }

    void subscribeSingleInvoice(byte[] hash, StreamObserver<Invoice> observer) {
        ServerCallStreamObserver<Invoice> server = (ServerCallStreamObserver<Invoice>) observer;
        Subscription<Invoice> sub = new Subscription<>(HEX.formatHex(hash), server);
        synchronized (this) {
            InvoiceRecord inv = invoices.get(sub.key);
            if (inv == null) {
                server.onError(lndError("unable to locate invoice"));
                return;
            }
            server.onNext(inv.toProto());
            if (inv.state == InvoiceState.SETTLED || inv.state == InvoiceState.CANCELED) {
                server.onCompleted();
                return;
            }
            invoiceStreams.add(sub);
        }
    }

    /** Test hook: the buyer pays one of this node's invoices. */
    synchronized InvoiceState payAsBuyer(String paymentRequest, long amountMsat) {
        Bolt11.Invoice decoded = Bolt11.decode(paymentRequest);
        InvoiceRecord inv = invoices.get(HEX.formatHex(decoded.paymentHash()));
        if (inv == null || !MessageDigest.isEqual(decoded.payee(), nodeKey.publicKey())) {
            throw new IllegalArgumentException("not an invoice of this node: " + paymentRequest);
        }
        if (inv.state != InvoiceState.OPEN) {
            throw new IllegalStateException("invoice is " + inv.state + ", a buyer cannot pay it");
        }
        long paid = inv.valueMsat != 0 ? inv.valueMsat : amountMsat;
        if (paid <= 0) {
            throw new IllegalArgumentException("a zero-amount invoice needs an amount");
        }
        inv.amtPaidMsat = paid;
        inv.acceptHeight = blockHeight();
        inv.acceptTime = clock.instant().getEpochSecond();
        // The buyer's final HTLC expires cltv_expiry blocks after it arrives.
        inv.htlcExpiryHeight = Math.toIntExact(inv.acceptHeight + inv.cltvExpiry);
        if (inv.hold) {
            inv.state = InvoiceState.ACCEPTED;
            emitInvoice(inv);
        } else {
            settle(inv);
        }
        return inv.state;
    }

    private void settle(InvoiceRecord inv) {
        inv.state = InvoiceState.SETTLED;
        inv.settleIndex = ++settleIndex;
        inv.settleDate = clock.instant().getEpochSecond();
        inv.resolveTime = inv.settleDate;
        channelBalanceMsat = Math.addExact(channelBalanceMsat, inv.amtPaidMsat);
        emitInvoice(inv);
    }

    private void cancel(InvoiceRecord inv) {
        inv.state = InvoiceState.CANCELED;
        inv.resolveTime = clock.instant().getEpochSecond();
        emitInvoice(inv);
    }

    /** Applies the passage of time and blocks: expires unpaid invoices, auto-cancels accepted holds near expiry. */
    synchronized void tick() {
        long now = clock.instant().getEpochSecond();
        int height = blockHeight();
        for (InvoiceRecord inv : invoices.values()) {
            if (inv.state == InvoiceState.OPEN && now >= inv.creationDate + inv.expirySeconds) {
                cancel(inv);
            } else if (inv.state == InvoiceState.ACCEPTED
                    && inv.hold
                    && height >= inv.htlcExpiryHeight - HOLD_EXPIRY_DELTA) {
                cancel(inv);
            }
        }
    }

    private void emitInvoice(InvoiceRecord inv) {
        boolean terminal = inv.state == InvoiceState.SETTLED || inv.state == InvoiceState.CANCELED;
        emit(invoiceStreams, HEX.formatHex(inv.hash), inv.toProto(), terminal);
    }

    // ---- the simulated network's other nodes ------------------------------------------------------------------

    /** Test hook: an invoice of another node (the seller) that this node can pay. */
    synchronized String createRemoteInvoice(long amountMsat, String memo) {
        return createRemoteInvoice(amountMsat, memo, null);
    }

    /** Test hook: like {@link #createRemoteInvoice(long, String)}, committing to a description hash (LNURL-pay). */
    synchronized String createRemoteInvoice(long amountMsat, String memo, byte[] descriptionHash) {
        byte[] preimage = randomBytes(32);
        byte[] hash = sha256(preimage);
        long created = clock.instant().getEpochSecond();
        String pr = Bolt11.encode(
                network,
                amountMsat,
                created,
                hash,
                randomBytes(32),
                memo,
                descriptionHash,
                DEFAULT_INVOICE_EXPIRY_SECONDS,
                DEFAULT_CLTV_EXPIRY,
                remoteKey);
        remoteInvoices.put(HEX.formatHex(hash), new RemoteInvoice(preimage, amountMsat));
        return pr;
    }

    String remoteNodePubkey() {
        return HEX.formatHex(remoteKey.publicKey());
    }

    // ---- payments ----------------------------------------------------------------------------------------------

    void sendPayment(SendPaymentRequest req, StreamObserver<Payment> observer, boolean stallThis) {
        ServerCallStreamObserver<Payment> server = (ServerCallStreamObserver<Payment>) observer;
        synchronized (this) {
            PaymentRecord payment;
            try {
                payment = startPayment(req);
            } catch (StatusRuntimeException e) {
                server.onError(e);
                return;
            }
            Subscription<Payment> sub = new Subscription<>(payment.hashHex, server);
            if (!req.getNoInflightUpdates()) {
                server.onNext(payment.toProto());
            }
            paymentStreams.add(sub);
            if (stallThis || paymentsToStall > 0) {
                if (!stallThis) {
                    paymentsToStall--;
                }
                payment.stalled = true;
            } else {
                schedule(payment);
            }
        }
    }

    private PaymentRecord startPayment(SendPaymentRequest req) {
        if (req.getTimeoutSeconds() <= 0) {
            throw lndError("timeout_seconds must be specified");
        }
        long amtMsat = amountMsat(req.getAmt(), req.getAmtMsat());
        long feeLimitMsat = amountMsat(req.getFeeLimitSat(), req.getFeeLimitMsat());
        byte[] hash;
        Outcome outcome;
        String paymentRequest = req.getPaymentRequest();
        if (!paymentRequest.isEmpty()) {
            Bolt11.Invoice inv;
            try {
                inv = Bolt11.decode(paymentRequest);
            } catch (IllegalArgumentException e) {
                throw lndError(e.getMessage());
            }
            if (!inv.network().equals(network)) {
                throw lndError("invoice not for current active network '" + networkName() + "'");
            }
            if (inv.amountMsat() == 0 && amtMsat == 0) {
                throw lndError("amount must be specified when paying a zero amount invoice");
            }
            if (inv.amountMsat() != 0 && amtMsat != 0) {
                throw lndError("amount must not be specified when paying a non-zero amount invoice");
            }
            Instant expiresAt = Instant.ofEpochSecond(inv.timestamp() + inv.expirySeconds());
            if (!clock.instant().isBefore(expiresAt)) {
                throw lndError("invoice expired. Valid until " + expiresAt);
            }
            amtMsat = inv.amountMsat() != 0 ? inv.amountMsat() : amtMsat;
            hash = inv.paymentHash();
            outcome = routeToInvoice(inv, amtMsat);
        } else {
            byte[] dest = req.getDest().toByteArray();
            if (dest.length != 33) {
                throw lndError("invalid vertex length of " + dest.length + ", want 33");
            }
            if (amtMsat <= 0) {
                throw lndError("amount must be greater than zero");
            }
            hash = req.getPaymentHash().toByteArray();
            if (hash.length != 32) {
                throw lndError("invalid hash length of " + hash.length + ", want 32");
            }
            ByteString keysend = req.getDestCustomRecordsMap().get(KEYSEND_RECORD);
            if (MessageDigest.isEqual(dest, nodeKey.publicKey())) {
                outcome = Outcome.failed(PaymentFailureReason.FAILURE_REASON_NO_ROUTE);
            } else if (keysend == null || !MessageDigest.isEqual(sha256(keysend.toByteArray()), hash)) {
                // The receiver has no invoice for this hash and no preimage to settle it with.
                outcome = Outcome.failed(PaymentFailureReason.FAILURE_REASON_INCORRECT_PAYMENT_DETAILS);
            } else {
                outcome = Outcome.succeeded(keysend.toByteArray());
            }
        }
        String hashHex = HEX.formatHex(hash);
        PaymentRecord existing = payments.get(hashHex);
        if (existing != null && existing.status == PaymentStatus.SUCCEEDED) {
            throw Status.ALREADY_EXISTS
                    .withDescription("invoice is already paid")
                    .asRuntimeException();
        }
        if (existing != null && existing.status == PaymentStatus.IN_FLIGHT) {
            throw Status.ALREADY_EXISTS
                    .withDescription("payment is in transition")
                    .asRuntimeException();
        }
        long feeMsat = Math.addExact(routingFeeBaseMsat, Math.multiplyExact(amtMsat, routingFeePpm) / 1_000_000L);
        if (!paymentFailures.isEmpty()) {
            outcome = Outcome.failed(paymentFailures.poll());
        } else if (outcome.reason == null && feeMsat > feeLimitMsat) {
            // Routes whose fee exceeds the limit are pruned, so path finding finds none.
            outcome = Outcome.failed(PaymentFailureReason.FAILURE_REASON_NO_ROUTE);
        } else if (outcome.reason == null && Math.addExact(amtMsat, feeMsat) > channelBalanceMsat) {
            outcome = Outcome.failed(PaymentFailureReason.FAILURE_REASON_INSUFFICIENT_BALANCE);
        }
        PaymentRecord p = new PaymentRecord(
                hashHex,
                amtMsat,
                paymentRequest,
                ++paymentIndex,
                clock.instant(),
                outcome,
                outcome.reason == null ? feeMsat : 0);
        if (outcome.reason == null) {
            // The HTLC locks amount + fee while in flight.
            channelBalanceMsat -= Math.addExact(amtMsat, feeMsat);
        }
        payments.put(hashHex, p);
        return p;
    }

    private Outcome routeToInvoice(Bolt11.Invoice inv, long amtMsat) {
        if (MessageDigest.isEqual(inv.payee(), nodeKey.publicKey())) {
            // LND refuses to route to itself unless allow_self_payment is set; the simulator has one channel.
            return Outcome.failed(PaymentFailureReason.FAILURE_REASON_NO_ROUTE);
        }
        RemoteInvoice remote = remoteInvoices.get(HEX.formatHex(inv.paymentHash()));
        if (remote == null) {
            // An invoice from a node outside the simulated network.
            return Outcome.failed(PaymentFailureReason.FAILURE_REASON_NO_ROUTE);
        }
        if (remote.settled || amtMsat < remote.amountMsat) {
            return Outcome.failed(PaymentFailureReason.FAILURE_REASON_INCORRECT_PAYMENT_DETAILS);
        }
        return Outcome.succeeded(remote.preimage);
    }

    private void schedule(PaymentRecord p) {
        scheduler.schedule(() -> resolve(p), paymentLatencyMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void resolve(PaymentRecord p) {
        if (p.status != PaymentStatus.IN_FLIGHT || payments.get(p.hashHex) != p) {
            return;
        }
        p.stalled = false;
        if (p.outcome.reason == null) {
            p.status = PaymentStatus.SUCCEEDED;
            p.preimage = p.outcome.preimage;
            // Every payment that can succeed goes to the simulated network's other node: self-payments fail.
            sellerReceivedMsat = Math.addExact(sellerReceivedMsat, p.valueMsat);
            RemoteInvoice remote = remoteInvoices.get(p.hashHex);
            if (remote != null) {
                remote.settled = true;
            }
        } else {
            p.status = PaymentStatus.FAILED;
            p.failureReason = p.outcome.reason;
        }
        emit(paymentStreams, p.hashHex, p.toProto(), true);
    }

    void trackPayment(byte[] hash, boolean noInflightUpdates, StreamObserver<Payment> observer) {
        ServerCallStreamObserver<Payment> server = (ServerCallStreamObserver<Payment>) observer;
        Subscription<Payment> sub = new Subscription<>(HEX.formatHex(hash), server);
        synchronized (this) {
            PaymentRecord p = payments.get(sub.key);
            if (p == null) {
                server.onError(Status.NOT_FOUND
                        .withDescription("payment isn't initiated")
                        .asRuntimeException());
                return;
            }
            if (p.status != PaymentStatus.IN_FLIGHT) {
                server.onNext(p.toProto());
                server.onCompleted();
                return;
            }
            if (!noInflightUpdates) {
                server.onNext(p.toProto());
            }
            paymentStreams.add(sub);
        }
    }

    // ---- faults ------------------------------------------------------------------------------------------------

    synchronized void failNextCall(Status status) {
        callFailures.add(new CallFault(status, java.util.Set.of(), false));
    }

    synchronized void failNextCall(Status status, java.util.Set<String> methods) {
        callFailures.add(new CallFault(status, java.util.Set.copyOf(methods), false));
    }

    synchronized void loseNextAnswer(java.util.Set<String> methods) {
        callFailures.add(new CallFault(
                Status.UNAVAILABLE.withDescription("simulated lost answer"), java.util.Set.copyOf(methods), true));
    }

    /** The first queued fault that applies to {@code fullMethodName}, removed from the queue; null when none. */
    synchronized CallFault pollCallFailure(String fullMethodName) {
        for (Iterator<CallFault> it = callFailures.iterator(); it.hasNext(); ) {
            CallFault fault = it.next();
            if (fault.methods().isEmpty() || fault.methods().contains(fullMethodName)) {
                it.remove();
                return fault;
            }
        }
        return null;
    }

    /** A queued call fault: fail before running, or run and then lose the answer. */
    record CallFault(Status status, java.util.Set<String> methods, boolean loseAnswer) {}

    // ---- read-only books for tests -----------------------------------------------------------------------------

    /** What the seller received for one of its invoices: the invoice amount once paid, else 0. */
    synchronized long remoteInvoiceReceivedMsat(String paymentRequest) {
        Bolt11.Invoice decoded = Bolt11.decode(paymentRequest);
        RemoteInvoice remote = remoteInvoices.get(HEX.formatHex(decoded.paymentHash()));
        if (remote == null || !remote.settled) {
            return 0;
        }
        PaymentRecord p = payments.get(HEX.formatHex(decoded.paymentHash()));
        return p == null ? remote.amountMsat : p.valueMsat;
    }

    synchronized long sellerReceivedMsat() {
        return sellerReceivedMsat;
    }

    /** What the buyer has paid into one of this node's invoices and not got back. */
    synchronized long buyerNetPaidMsat(String paymentRequest) {
        Bolt11.Invoice decoded = Bolt11.decode(paymentRequest);
        InvoiceRecord inv = invoices.get(HEX.formatHex(decoded.paymentHash()));
        if (inv == null) {
            return 0;
        }
        return inv.state == InvoiceState.ACCEPTED || inv.state == InvoiceState.SETTLED ? inv.amtPaidMsat : 0;
    }

    synchronized InvoiceState invoiceState(String paymentRequest) {
        Bolt11.Invoice decoded = Bolt11.decode(paymentRequest);
        InvoiceRecord inv = invoices.get(HEX.formatHex(decoded.paymentHash()));
        if (inv == null) {
            throw new IllegalArgumentException("not an invoice of this node");
        }
        return inv.state;
    }

    synchronized List<Payment> payments() {
        return payments.values().stream().map(PaymentRecord::toProto).toList();
    }

    synchronized void failNextPayment(PaymentFailureReason reason) {
        paymentFailures.add(reason);
    }

    synchronized void stallNextCall() {
        callsToStall++;
    }

    synchronized void stallNextPayment() {
        paymentsToStall++;
    }

    /** Runs {@code call} now, or keeps it until {@link #releaseStalled()} when a stall was queued. */
    void runOrStall(Runnable call) {
        synchronized (this) {
            if (callsToStall > 0) {
                callsToStall--;
                stalledCalls.add(call);
                return;
            }
        }
        call.run();
    }

    /** True, consuming the request, when the next call was asked to stall; a stalled payment stays IN_FLIGHT. */
    synchronized boolean takeCallStall() {
        if (callsToStall > 0) {
            callsToStall--;
            return true;
        }
        return false;
    }

    void releaseStalled() {
        List<Runnable> calls;
        synchronized (this) {
            calls = new ArrayList<>(stalledCalls);
            stalledCalls.clear();
            for (PaymentRecord p : payments.values()) {
                if (p.stalled && p.status == PaymentStatus.IN_FLIGHT) {
                    p.stalled = false;
                    schedule(p);
                }
            }
        }
        calls.forEach(Runnable::run);
    }

    /** Ends every open server stream with UNAVAILABLE, as a dropped connection would. */
    synchronized void dropStreams(Status status) {
        for (Subscription<?> s : List.copyOf(invoiceStreams)) {
            s.observer.onError(status.asRuntimeException());
        }
        for (Subscription<?> s : List.copyOf(paymentStreams)) {
            s.observer.onError(status.asRuntimeException());
        }
        invoiceStreams.clear();
        paymentStreams.clear();
        // A stalled call's client is gone with its connection.
        stalledCalls.clear();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private <T> void emit(List<Subscription<T>> streams, String key, T update, boolean terminal) {
        for (Iterator<Subscription<T>> it = streams.iterator(); it.hasNext(); ) {
            Subscription<T> s = it.next();
            // Cancelled streams are pruned here rather than in cancel handlers, which a stalled call can no
            // longer register.
            if (s.observer.isCancelled()) {
                it.remove();
                continue;
            }
            if (!s.key.equals(key)) {
                continue;
            }
            s.observer.onNext(update);
            if (terminal) {
                // LND closes single-invoice and payment streams once the state is final.
                s.observer.onCompleted();
                it.remove();
            }
        }
    }

    String networkName() {
        return switch (network) {
            case "bc" -> "mainnet";
            case "tb" -> "testnet";
            case "tbs" -> "signet";
            case "sb" -> "simnet";
            default -> "regtest";
        };
    }

    private static long amountMsat(long sat, long msat) {
        if (sat != 0 && msat != 0) {
            throw lndError("sat and msat arguments are mutually exclusive");
        }
        if (sat < 0 || msat < 0) {
            throw lndError("amount cannot be negative");
        }
        return sat != 0 ? Math.multiplyExact(sat, 1000L) : msat;
    }

    /** LND returns most failures as plain Go errors, which gRPC reports as UNKNOWN with the error text. */
    static StatusRuntimeException lndError(String message) {
        return Status.UNKNOWN.withDescription(message).asRuntimeException();
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Subscription<T> {
        final String key;
        final ServerCallStreamObserver<T> observer;

        Subscription(String key, ServerCallStreamObserver<T> observer) {
            this.key = key;
            this.observer = observer;
        }
    }

    private static final class RemoteInvoice {
        final byte[] preimage;
        final long amountMsat;
        boolean settled;

        RemoteInvoice(byte[] preimage, long amountMsat) {
            this.preimage = preimage;
            this.amountMsat = amountMsat;
        }
    }

    private record Outcome(byte[] preimage, PaymentFailureReason reason) {
        static Outcome succeeded(byte[] preimage) {
            return new Outcome(preimage, null);
        }

        static Outcome failed(PaymentFailureReason reason) {
            return new Outcome(null, reason);
        }
    }

    private static final class InvoiceRecord {
        final byte[] hash;
        final boolean hold;
        final String memo;
        final long valueMsat;
        final long creationDate;
        final long expirySeconds;
        final long cltvExpiry;
        final String paymentRequest;
        final byte[] paymentAddr;
        byte[] preimage;
        long addIndex;
        InvoiceState state = InvoiceState.OPEN;
        long settleIndex;
        long settleDate;
        long amtPaidMsat;
        int acceptHeight;
        long acceptTime;
        long resolveTime;
        int htlcExpiryHeight;

        InvoiceRecord(
                byte[] hash,
                byte[] preimage,
                boolean hold,
                String memo,
                long valueMsat,
                long creationDate,
                long expirySeconds,
                long cltvExpiry,
                String paymentRequest,
                byte[] paymentAddr) {
            this.hash = hash;
            this.preimage = preimage;
            this.hold = hold;
            this.memo = memo;
            this.valueMsat = valueMsat;
            this.creationDate = creationDate;
            this.expirySeconds = expirySeconds;
            this.cltvExpiry = cltvExpiry;
            this.paymentRequest = paymentRequest;
            this.paymentAddr = paymentAddr;
        }

        Invoice toProto() {
            Invoice.Builder b = Invoice.newBuilder()
                    .setMemo(memo)
                    .setRHash(ByteString.copyFrom(hash))
                    .setValue(valueMsat / 1000)
                    .setValueMsat(valueMsat)
                    .setSettled(state == InvoiceState.SETTLED)
                    .setCreationDate(creationDate)
                    .setSettleDate(settleDate)
                    .setPaymentRequest(paymentRequest)
                    .setExpiry(expirySeconds)
                    .setCltvExpiry(cltvExpiry)
                    .setAddIndex(addIndex)
                    .setSettleIndex(settleIndex)
                    // LND fills the deprecated amt_paid with msat too.
                    .setAmtPaid(amtPaidMsat)
                    .setAmtPaidSat(amtPaidMsat / 1000)
                    .setAmtPaidMsat(amtPaidMsat)
                    .setState(state)
                    .setPaymentAddr(ByteString.copyFrom(paymentAddr));
            if (preimage != null) {
                // A hold invoice's preimage is unknown to LND until SettleInvoice brings it.
                b.setRPreimage(ByteString.copyFrom(preimage));
            }
            if (acceptHeight > 0) {
                InvoiceHTLCState htlcState =
                        switch (state) {
                            case SETTLED -> InvoiceHTLCState.SETTLED;
                            case CANCELED -> InvoiceHTLCState.CANCELED;
                            default -> InvoiceHTLCState.ACCEPTED;
                        };
                b.addHtlcs(InvoiceHTLC.newBuilder()
                        .setChanId(1)
                        .setHtlcIndex(addIndex)
                        .setAmtMsat(amtPaidMsat)
                        .setAcceptHeight(acceptHeight)
                        .setAcceptTime(acceptTime)
                        .setResolveTime(resolveTime)
                        .setExpiryHeight(htlcExpiryHeight)
                        .setState(htlcState)
                        .setMppTotalAmtMsat(amtPaidMsat));
            }
            return b.build();
        }
    }

    private static final class PaymentRecord {
        final String hashHex;
        final long valueMsat;
        final String paymentRequest;
        final long index;
        final Instant created;
        final Outcome outcome;
        final long feeMsat;
        PaymentStatus status = PaymentStatus.IN_FLIGHT;
        PaymentFailureReason failureReason = PaymentFailureReason.FAILURE_REASON_NONE;
        byte[] preimage;
        boolean stalled;

        PaymentRecord(
                String hashHex,
                long valueMsat,
                String paymentRequest,
                long index,
                Instant created,
                Outcome outcome,
                long feeMsat) {
            this.hashHex = hashHex;
            this.valueMsat = valueMsat;
            this.paymentRequest = paymentRequest;
            this.index = index;
            this.created = created;
            this.outcome = outcome;
            this.feeMsat = feeMsat;
        }

        Payment toProto() {
            boolean succeeded = status == PaymentStatus.SUCCEEDED;
            long fee = succeeded ? feeMsat : 0;
            return Payment.newBuilder()
                    .setPaymentHash(hashHex)
                    .setValue(valueMsat / 1000)
                    .setValueSat(valueMsat / 1000)
                    .setValueMsat(valueMsat)
                    .setCreationDate(created.getEpochSecond())
                    .setCreationTimeNs(Math.addExact(
                            Math.multiplyExact(created.getEpochSecond(), 1_000_000_000L), created.getNano()))
                    .setFee(fee / 1000)
                    .setFeeSat(fee / 1000)
                    .setFeeMsat(fee)
                    .setPaymentPreimage(preimage == null ? ZERO_PREIMAGE : HEX.formatHex(preimage))
                    .setPaymentRequest(paymentRequest)
                    .setStatus(status)
                    .setPaymentIndex(index)
                    .setFailureReason(failureReason)
                    .build();
        }
    }
}
