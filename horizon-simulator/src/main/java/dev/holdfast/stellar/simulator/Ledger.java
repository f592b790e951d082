package dev.holdfast.stellar.simulator;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.stellar.sdk.AbstractTransaction;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;
import org.stellar.sdk.StrKey;
import org.stellar.sdk.xdr.AccountMergeResultCode;
import org.stellar.sdk.xdr.ChangeTrustOp;
import org.stellar.sdk.xdr.ChangeTrustResultCode;
import org.stellar.sdk.xdr.ClaimClaimableBalanceResultCode;
import org.stellar.sdk.xdr.ClaimPredicate;
import org.stellar.sdk.xdr.ClaimPredicateType;
import org.stellar.sdk.xdr.ClaimableBalanceID;
import org.stellar.sdk.xdr.ClaimableBalanceIDType;
import org.stellar.sdk.xdr.Claimant;
import org.stellar.sdk.xdr.CreateAccountOp;
import org.stellar.sdk.xdr.CreateAccountResultCode;
import org.stellar.sdk.xdr.CreateClaimableBalanceOp;
import org.stellar.sdk.xdr.CreateClaimableBalanceResultCode;
import org.stellar.sdk.xdr.DecoratedSignature;
import org.stellar.sdk.xdr.EnvelopeType;
import org.stellar.sdk.xdr.Hash;
import org.stellar.sdk.xdr.HashIDPreimage;
import org.stellar.sdk.xdr.Int64;
import org.stellar.sdk.xdr.LedgerBounds;
import org.stellar.sdk.xdr.LedgerEntryChange;
import org.stellar.sdk.xdr.LedgerEntryChanges;
import org.stellar.sdk.xdr.Memo;
import org.stellar.sdk.xdr.Operation;
import org.stellar.sdk.xdr.OperationMeta;
import org.stellar.sdk.xdr.OperationResult;
import org.stellar.sdk.xdr.OperationResultCode;
import org.stellar.sdk.xdr.OperationType;
import org.stellar.sdk.xdr.PaymentOp;
import org.stellar.sdk.xdr.PaymentResultCode;
import org.stellar.sdk.xdr.Preconditions;
import org.stellar.sdk.xdr.PreconditionsV2;
import org.stellar.sdk.xdr.SequenceNumber;
import org.stellar.sdk.xdr.SetOptionsOp;
import org.stellar.sdk.xdr.SetOptionsResultCode;
import org.stellar.sdk.xdr.SignerKey;
import org.stellar.sdk.xdr.SignerKeyType;
import org.stellar.sdk.xdr.TimeBounds;
import org.stellar.sdk.xdr.TransactionEnvelope;
import org.stellar.sdk.xdr.TransactionMeta;
import org.stellar.sdk.xdr.TransactionMetaV2;
import org.stellar.sdk.xdr.TransactionResult;
import org.stellar.sdk.xdr.TransactionResultCode;
import org.stellar.sdk.xdr.Uint32;
import org.stellar.sdk.xdr.XdrUnsignedInteger;

/**
 * The simulated network: ledger entries, the ledger clock, transaction history, and stellar-core's rules for
 * validating and applying a transaction envelope. Every public-ish method holds this object's lock, so a submission
 * is atomic with respect to queries and stream subscriptions.
 */
final class Ledger {
    static final long BASE_FEE = 100;
    static final long LEDGER_SECONDS = 5;
    static final int PROTOCOL_VERSION = 21;
    static final long TOTAL_COINS = 100_000_000_000L * Codec.STROOPS_PER_UNIT;
    private static final int MAX_SIGNERS = 20;
    private static final int MAX_OPS = 100;

    private final Network network;
    private final Clock clock;
    private final KeyPair root;
    private final Deque<TransactionResultCode> forcedResults = new ArrayDeque<>();
    private final List<Consumer<TxRecord>> listeners = new CopyOnWriteArrayList<>();
    private final List<TxRecord> history = new ArrayList<>();
    private final Map<String, TxRecord> byHash = new HashMap<>();
    private final TreeMap<Integer, LedgerHeader> headers = new TreeMap<>();
    private LedgerState state = new LedgerState();
    private Duration offset = Duration.ZERO;
    private int latestLedger;
    private long lastCloseTime;
    private long feePool;
    private String baseUrl = "";

    /** A closed ledger as {@code /ledgers} shows it. */
    record LedgerHeader(
            int sequence,
            long closeTime,
            int successfulTx,
            int failedTx,
            int operations,
            String hash,
            String prevHash) {}

    /** An applied transaction (successful or failed) with its Horizon JSON and operations. */
    record TxRecord(
            String hash,
            int ledger,
            long pagingToken,
            boolean successful,
            JsonObject json,
            JsonObject problem,
            List<OpRecord> operations,
            Set<String> participants) {}

    /** One operation of an applied transaction; {@code payment} marks those {@code /payments} lists. */
    record OpRecord(long pagingToken, boolean payment, boolean successful, JsonObject json, Set<String> participants) {}

    /** What {@code POST /transactions} answers. */
    record Submission(int status, JsonObject body, boolean successful) {}

    private record Failure(TransactionResultCode code, OpResult[] ops) {}

    private record Envelope(
            String source,
            long fee,
            long seq,
            Preconditions cond,
            Memo memo,
            Operation[] ops,
            DecoratedSignature[] signatures) {}

    private record Context(int ledgerSeq, long closeTime, String txSource, long txSeq) {}

    Ledger(Network network, Clock clock) {
        this.network = network;
        this.clock = clock;
        // stellar-core's root account: its seed is the network id, it holds every lumen at genesis.
        this.root = KeyPair.fromSecretSeed(network.getNetworkId());
        long now = clock.instant().getEpochSecond();
        LedgerState.Account genesis = new LedgerState.Account(root.getAccountId());
        genesis.balance = TOTAL_COINS;
        genesis.lastModifiedLedger = 1;
        genesis.lastModifiedTime = now;
        state.accounts.put(genesis.id, genesis);
        latestLedger = 1;
        lastCloseTime = now;
        headers.put(1, header(1, now, 0, 0, 0));
    }

    synchronized void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Network network() {
        return network;
    }

    KeyPair root() {
        return root;
    }

    // ---- the ledger clock ---------------------------------------------------------------------------------------

    synchronized long now() {
        return clock.instant().plus(offset).getEpochSecond();
    }

    synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("the ledger clock does not go back: " + d);
        }
        offset = offset.plus(d);
        catchUp();
    }

    /** Closes the ledgers that the clock says have closed since the last one, without transactions. */
    synchronized void catchUp() {
        long now = now();
        long missed = (now - lastCloseTime) / LEDGER_SECONDS;
        if (missed > 0) {
            latestLedger = Math.toIntExact(latestLedger + missed);
            lastCloseTime += missed * LEDGER_SECONDS;
            // Only the newest empty ledger is kept: a test that jumps a day would otherwise store 17,280 headers.
            headers.put(latestLedger, header(latestLedger, lastCloseTime, 0, 0, 0));
        }
    }

    synchronized int closeLedger() {
        catchUp();
        latestLedger++;
        lastCloseTime = Math.max(now(), lastCloseTime);
        headers.put(latestLedger, header(latestLedger, lastCloseTime, 0, 0, 0));
        return latestLedger;
    }

    synchronized int latestLedger() {
        catchUp();
        return latestLedger;
    }

    synchronized long lastCloseTime() {
        catchUp();
        return lastCloseTime;
    }

    synchronized List<LedgerHeader> ledgers() {
        catchUp();
        return new ArrayList<>(headers.values());
    }

    private LedgerHeader header(int seq, long closeTime, int ok, int failed, int ops) {
        String prev = headers.isEmpty()
                ? Codec.hex(new byte[32])
                : headers.lastEntry().getValue().hash();
        String hash = Codec.hex(Codec.sha256(network.getNetworkPassphrase() + "/" + seq + "/" + closeTime));
        return new LedgerHeader(seq, closeTime, ok, failed, ops, hash, prev);
    }

    synchronized long feePool() {
        return feePool;
    }

    // ---- queries ------------------------------------------------------------------------------------------------

    synchronized JsonObject accountJson(String accountId) {
        catchUp();
        LedgerState.Account a = state.accounts.get(accountId);
        return a == null ? null : HorizonJson.account(baseUrl, a, state.trustLinesOf(accountId));
    }

    synchronized Long nativeBalance(String accountId) {
        LedgerState.Account a = state.accounts.get(accountId);
        return a == null ? null : a.balance;
    }

    synchronized Long assetBalance(String accountId, AssetKey asset) {
        LedgerState.TrustLine line = state.trustLine(accountId, asset);
        return line == null ? null : line.balance;
    }

    synchronized long sequence(String accountId) {
        LedgerState.Account a = state.accounts.get(accountId);
        if (a == null) {
            throw new IllegalArgumentException("no such account: " + accountId);
        }
        return a.seq;
    }

    synchronized boolean exists(String accountId) {
        return state.accounts.containsKey(accountId);
    }

    synchronized List<LedgerState.ClaimableBalance> claimableBalances() {
        return new ArrayList<>(state.claimableBalances.values());
    }

    synchronized TxRecord transaction(String hash) {
        return byHash.get(hash);
    }

    /**
     * Hands the history so far to {@code backlog}, then every new transaction to {@code listener}, atomically: no
     * transaction is missed or seen twice. Both run under the ledger's lock and must not block.
     */
    synchronized void subscribe(Consumer<List<TxRecord>> backlog, Consumer<TxRecord> listener) {
        backlog.accept(new ArrayList<>(history));
        listeners.add(listener);
    }

    void unsubscribe(Consumer<TxRecord> listener) {
        listeners.remove(listener);
    }

    synchronized List<TxRecord> history() {
        return new ArrayList<>(history);
    }

    synchronized void forceNextResult(TransactionResultCode code) {
        forcedResults.add(code);
    }

    /**
     * Funds {@code accountId} from the root account with a real, signed transaction (create_account when it does
     * not exist yet, else a payment), so that the funding shows in history and streams.
     */
    synchronized Submission friendbot(String accountId, long stroops) {
        catchUp();
        LedgerState.Account rootAccount = state.accounts.get(root.getAccountId());
        org.stellar.sdk.Operation op = state.accounts.containsKey(accountId)
                ? new org.stellar.sdk.PaymentOperation.Builder(
                                accountId, new org.stellar.sdk.AssetTypeNative(), Codec.amount(stroops))
                        .build()
                : new org.stellar.sdk.CreateAccountOperation.Builder(accountId, Codec.amount(stroops)).build();
        org.stellar.sdk.Transaction tx = new org.stellar.sdk.TransactionBuilder(
                        new org.stellar.sdk.Account(root.getAccountId(), rootAccount.seq), network)
                .addOperation(op)
                .setBaseFee(BASE_FEE)
                .addPreconditions(org.stellar.sdk.TransactionPreconditions.builder()
                        .timeBounds(new org.stellar.sdk.TimeBounds(0, 0))
                        .build())
                .build();
        tx.sign(root);
        return submit(tx.toEnvelopeXdrBase64());
    }

    // ---- submission ---------------------------------------------------------------------------------------------

    synchronized Submission submit(String envelopeXdr) {
        catchUp();
        TransactionEnvelope env;
        AbstractTransaction parsed;
        try {
            env = TransactionEnvelope.fromXdrBase64(envelopeXdr);
            parsed = AbstractTransaction.fromEnvelopeXdr(env, network);
        } catch (IOException | RuntimeException e) {
            return new Submission(400, HorizonJson.malformed(envelopeXdr), false);
        }
        if (env.getDiscriminant() == EnvelopeType.ENVELOPE_TYPE_TX_FEE_BUMP) {
            return reject(envelopeXdr, BASE_FEE, new Failure(TransactionResultCode.txNOT_SUPPORTED, null));
        }
        Envelope e = unpack(env);
        byte[] hash = parsed.hash();
        String hashHex = Codec.hex(hash);
        long chargeable = BASE_FEE * Math.max(1, e.ops().length);
        TxRecord seen = byHash.get(hashHex);
        if (seen != null) {
            // Horizon answers a resubmission of an applied transaction with the stored result.
            return seen.successful()
                    ? new Submission(200, seen.json(), true)
                    : new Submission(400, seen.problem(), false);
        }
        TransactionResultCode forced = forcedResults.poll();
        if (forced != null) {
            return reject(envelopeXdr, chargeable, new Failure(forced, null));
        }
        Context ctx = new Context(latestLedger + 1, Math.max(now(), lastCloseTime), e.source(), e.seq());
        Failure invalid = validate(e, hash, ctx);
        if (invalid != null) {
            return reject(envelopeXdr, chargeable, invalid);
        }
        return apply(envelopeXdr, e, hashHex, hash, ctx);
    }

    private static Envelope unpack(TransactionEnvelope env) {
        if (env.getDiscriminant() == EnvelopeType.ENVELOPE_TYPE_TX_V0) {
            var tx = env.getV0().getTx();
            Preconditions cond = tx.getTimeBounds() == null
                    ? new Preconditions.Builder()
                            .discriminant(org.stellar.sdk.xdr.PreconditionType.PRECOND_NONE)
                            .build()
                    : new Preconditions.Builder()
                            .discriminant(org.stellar.sdk.xdr.PreconditionType.PRECOND_TIME)
                            .timeBounds(tx.getTimeBounds())
                            .build();
            return new Envelope(
                    StrKey.encodeEd25519PublicKey(tx.getSourceAccountEd25519().getUint256()),
                    tx.getFee().getUint32().getNumber(),
                    tx.getSeqNum().getSequenceNumber().getInt64(),
                    cond,
                    tx.getMemo(),
                    tx.getOperations(),
                    env.getV0().getSignatures());
        }
        var tx = env.getV1().getTx();
        return new Envelope(
                Codec.accountId(tx.getSourceAccount()),
                tx.getFee().getUint32().getNumber(),
                tx.getSeqNum().getSequenceNumber().getInt64(),
                tx.getCond(),
                tx.getMemo(),
                tx.getOperations(),
                env.getV1().getSignatures());
    }

    private Submission reject(String envelopeXdr, long feeCharged, Failure f) {
        TransactionResult result = result(feeCharged, f.code(), f.ops());
        List<String> opCodes = new ArrayList<>();
        if (f.ops() != null) {
            for (OpResult r : f.ops()) {
                opCodes.add(r.horizonCode());
            }
        }
        return new Submission(
                400,
                HorizonJson.failed(envelopeXdr, Codec.base64((result)::toXdrBase64), txCode(f.code()), opCodes),
                false);
    }

    private static TransactionResult result(long feeCharged, TransactionResultCode code, OpResult[] ops) {
        TransactionResult.TransactionResultResult.Builder r =
                new TransactionResult.TransactionResultResult.Builder().discriminant(code);
        if (code == TransactionResultCode.txSUCCESS || code == TransactionResultCode.txFAILED) {
            OperationResult[] xdr = new OperationResult[ops == null ? 0 : ops.length];
            for (int i = 0; i < xdr.length; i++) {
                xdr[i] = ops[i].xdr();
            }
            r.results(xdr);
        }
        return new TransactionResult.Builder()
                .feeCharged(new Int64(feeCharged))
                .result(r.build())
                .ext(new TransactionResult.TransactionResultExt.Builder()
                        .discriminant(0)
                        .build())
                .build();
    }

    /** Horizon's names for transaction result codes. */
    static String txCode(TransactionResultCode code) {
        return switch (code) {
            case txNO_ACCOUNT -> "tx_no_source_account";
            case txBAD_MIN_SEQ_AGE_OR_GAP -> "tx_bad_minseq_age_or_gap";
            default -> "tx_" + code.name().substring(2).toLowerCase(java.util.Locale.ROOT);
        };
    }

    // stellar-core's checkValid: nothing here changes the ledger, so a refused transaction costs no fee or sequence.
    private Failure validate(Envelope e, byte[] hash, Context ctx) {
        int n = e.ops().length;
        if (n == 0) {
            return new Failure(TransactionResultCode.txMISSING_OPERATION, null);
        }
        if (n > MAX_OPS) {
            return new Failure(TransactionResultCode.txMALFORMED, null);
        }
        TimeBounds tb = null;
        LedgerBounds lb = null;
        PreconditionsV2 v2 = null;
        switch (e.cond().getDiscriminant()) {
            case PRECOND_TIME -> tb = e.cond().getTimeBounds();
            case PRECOND_V2 -> {
                v2 = e.cond().getV2();
                tb = v2.getTimeBounds();
                lb = v2.getLedgerBounds();
            }
            default -> {}
        }
        if (tb != null) {
            long min = clampU64(tb.getMinTime().getTimePoint().getUint64().getNumber());
            long max = clampU64(tb.getMaxTime().getTimePoint().getUint64().getNumber());
            if (min > 0 && ctx.closeTime() < min) {
                return new Failure(TransactionResultCode.txTOO_EARLY, null);
            }
            if (max != 0 && ctx.closeTime() > max) {
                return new Failure(TransactionResultCode.txTOO_LATE, null);
            }
        }
        if (lb != null) {
            long min = lb.getMinLedger().getUint32().getNumber();
            long max = lb.getMaxLedger().getUint32().getNumber();
            if (min > ctx.ledgerSeq()) {
                return new Failure(TransactionResultCode.txTOO_EARLY, null);
            }
            if (max != 0 && max <= ctx.ledgerSeq()) {
                return new Failure(TransactionResultCode.txTOO_LATE, null);
            }
        }
        if (e.fee() < BASE_FEE * n) {
            return new Failure(TransactionResultCode.txINSUFFICIENT_FEE, null);
        }
        LedgerState.Account source = state.accounts.get(e.source());
        if (source == null) {
            return new Failure(TransactionResultCode.txNO_ACCOUNT, null);
        }
        if (v2 != null && v2.getMinSeqNum() != null) {
            long minSeq = v2.getMinSeqNum().getSequenceNumber().getInt64();
            if (source.seq < minSeq || source.seq >= e.seq()) {
                return new Failure(TransactionResultCode.txBAD_SEQ, null);
            }
        } else if (e.seq() != source.seq + 1) {
            return new Failure(TransactionResultCode.txBAD_SEQ, null);
        }
        if (v2 != null) {
            long minAge = clampU64(v2.getMinSeqAge().getDuration().getUint64().getNumber());
            long minGap = v2.getMinSeqLedgerGap().getUint32().getNumber();
            if (ctx.closeTime() - source.seqTime < minAge || ctx.ledgerSeq() - source.seqLedger < minGap) {
                return new Failure(TransactionResultCode.txBAD_MIN_SEQ_AGE_OR_GAP, null);
            }
        }
        SignatureChecker checker = new SignatureChecker(hash, e.signatures());
        if (!checker.check(SignatureChecker.signersOf(source), source.low)) {
            return new Failure(TransactionResultCode.txBAD_AUTH, null);
        }
        if (v2 != null && v2.getExtraSigners() != null) {
            for (SignerKey extra : v2.getExtraSigners()) {
                if (!checker.check(List.of(signer(extra, 1)), 1)) {
                    return new Failure(TransactionResultCode.txBAD_AUTH, null);
                }
            }
        }
        if (source.available() < e.fee()) {
            return new Failure(TransactionResultCode.txINSUFFICIENT_BALANCE, null);
        }
        OpResult[] results = pendingResults(e.ops());
        for (int i = 0; i < n; i++) {
            Operation op = e.ops()[i];
            String opSourceId = opSource(op, e.source());
            LedgerState.Account opSource = state.accounts.get(opSourceId);
            if (opSource == null) {
                results[i] = OpResult.outer(OperationResultCode.opNO_ACCOUNT);
                return new Failure(TransactionResultCode.txFAILED, results);
            }
            Integer level = threshold(op, opSource);
            if (level == null) {
                results[i] = OpResult.outer(OperationResultCode.opNOT_SUPPORTED);
                return new Failure(TransactionResultCode.txFAILED, results);
            }
            if (!checker.check(SignatureChecker.signersOf(opSource), level)) {
                results[i] = OpResult.outer(OperationResultCode.opBAD_AUTH);
                return new Failure(TransactionResultCode.txFAILED, results);
            }
            OpResult malformed = checkMalformed(op, opSourceId);
            if (malformed != null) {
                results[i] = malformed;
                return new Failure(TransactionResultCode.txFAILED, results);
            }
        }
        if (!checker.allUsed()) {
            return new Failure(TransactionResultCode.txBAD_AUTH_EXTRA, null);
        }
        return null;
    }

    private static long clampU64(BigInteger value) {
        return value.bitLength() > 63 ? Long.MAX_VALUE : value.longValue();
    }

    private static OpResult[] pendingResults(Operation[] ops) {
        OpResult[] results = new OpResult[ops.length];
        for (int i = 0; i < ops.length; i++) {
            results[i] = OpResult.pending(ops[i].getBody().getDiscriminant());
        }
        return results;
    }

    private static String opSource(Operation op, String txSource) {
        return op.getSourceAccount() == null ? txSource : Codec.accountId(op.getSourceAccount());
    }

    /** The threshold an operation needs from its source account (stellar-core's getThresholdLevel); null: unsupported. */
    private static Integer threshold(Operation op, LedgerState.Account source) {
        return switch (op.getBody().getDiscriminant()) {
            case CREATE_ACCOUNT, PAYMENT, CHANGE_TRUST, CREATE_CLAIMABLE_BALANCE -> source.med;
            case CLAIM_CLAIMABLE_BALANCE -> source.low;
            case ACCOUNT_MERGE -> source.high;
            case SET_OPTIONS -> {
                SetOptionsOp so = op.getBody().getSetOptionsOp();
                boolean security = so.getMasterWeight() != null
                        || so.getLowThreshold() != null
                        || so.getMedThreshold() != null
                        || so.getHighThreshold() != null
                        || so.getSigner() != null;
                yield security ? source.high : source.med;
            }
            default -> null;
        };
    }

    // stellar-core's doCheckValid for each operation: shape errors that need no ledger state.
    private static OpResult checkMalformed(Operation op, String sourceId) {
        var body = op.getBody();
        switch (body.getDiscriminant()) {
            case CREATE_ACCOUNT -> {
                CreateAccountOp ca = body.getCreateAccountOp();
                if (ca.getStartingBalance().getInt64() < 0
                        || Codec.accountId(ca.getDestination()).equals(sourceId)) {
                    return OpResult.of(CreateAccountResultCode.CREATE_ACCOUNT_MALFORMED);
                }
            }
            case PAYMENT -> {
                PaymentOp p = body.getPaymentOp();
                AssetKey asset = AssetKey.of(p.getAsset());
                if (p.getAmount().getInt64() <= 0
                        || asset == null
                        || !asset.isValidCode(p.getAsset().getDiscriminant())) {
                    return OpResult.of(PaymentResultCode.PAYMENT_MALFORMED);
                }
            }
            case CHANGE_TRUST -> {
                ChangeTrustOp ct = body.getChangeTrustOp();
                AssetKey asset = AssetKey.of(ct.getLine());
                if (asset == null
                        || asset.isNative()
                        || !asset.isValidCode(ct.getLine().getDiscriminant())
                        || ct.getLimit().getInt64() < 0
                        || asset.issuer().equals(sourceId)) {
                    return OpResult.of(ChangeTrustResultCode.CHANGE_TRUST_MALFORMED);
                }
            }
            case SET_OPTIONS -> {
                SetOptionsOp so = body.getSetOptionsOp();
                for (Uint32 t : new Uint32[] {
                    so.getMasterWeight(), so.getLowThreshold(), so.getMedThreshold(), so.getHighThreshold()
                }) {
                    if (t != null && t.getUint32().getNumber() > 255) {
                        return OpResult.of(SetOptionsResultCode.SET_OPTIONS_THRESHOLD_OUT_OF_RANGE);
                    }
                }
                long set = so.getSetFlags() == null
                        ? 0
                        : so.getSetFlags().getUint32().getNumber();
                long clear = so.getClearFlags() == null
                        ? 0
                        : so.getClearFlags().getUint32().getNumber();
                if ((set & clear) != 0) {
                    return OpResult.of(SetOptionsResultCode.SET_OPTIONS_BAD_FLAGS);
                }
                if (((set | clear) & ~0xFL) != 0) {
                    return OpResult.of(SetOptionsResultCode.SET_OPTIONS_UNKNOWN_FLAG);
                }
                if (so.getSigner() != null) {
                    SignerKey key = so.getSigner().getKey();
                    if (key.getDiscriminant() == SignerKeyType.SIGNER_KEY_TYPE_ED25519_SIGNED_PAYLOAD) {
                        return OpResult.outer(OperationResultCode.opNOT_SUPPORTED);
                    }
                    boolean self = key.getDiscriminant() == SignerKeyType.SIGNER_KEY_TYPE_ED25519
                            && StrKey.encodeEd25519PublicKey(key.getEd25519().getUint256())
                                    .equals(sourceId);
                    if (self || so.getSigner().getWeight().getUint32().getNumber() > 255) {
                        return OpResult.of(SetOptionsResultCode.SET_OPTIONS_BAD_SIGNER);
                    }
                }
            }
            case ACCOUNT_MERGE -> {
                if (Codec.accountId(body.getDestination()).equals(sourceId)) {
                    return OpResult.of(AccountMergeResultCode.ACCOUNT_MERGE_MALFORMED);
                }
            }
            case CREATE_CLAIMABLE_BALANCE -> {
                CreateClaimableBalanceOp cb = body.getCreateClaimableBalanceOp();
                AssetKey asset = AssetKey.of(cb.getAsset());
                Claimant[] claimants = cb.getClaimants();
                Set<String> destinations = new HashSet<>();
                boolean ok = asset != null
                        && asset.isValidCode(cb.getAsset().getDiscriminant())
                        && cb.getAmount().getInt64() > 0
                        && claimants.length > 0
                        && claimants.length <= 10;
                for (Claimant c : claimants) {
                    ok &= destinations.add(Codec.accountId(c.getV0().getDestination()))
                            && validPredicate(c.getV0().getPredicate(), 1);
                }
                if (!ok) {
                    return OpResult.of(CreateClaimableBalanceResultCode.CREATE_CLAIMABLE_BALANCE_MALFORMED);
                }
            }
            default -> {}
        }
        return null;
    }

    // stellar-core: depth at most 4, AND/OR exactly two children, NOT one, times not negative.
    private static boolean validPredicate(ClaimPredicate p, int depth) {
        if (p == null || depth > 4) {
            return false;
        }
        return switch (p.getDiscriminant()) {
            case CLAIM_PREDICATE_UNCONDITIONAL -> true;
            case CLAIM_PREDICATE_AND -> p.getAndPredicates().length == 2
                    && validPredicate(p.getAndPredicates()[0], depth + 1)
                    && validPredicate(p.getAndPredicates()[1], depth + 1);
            case CLAIM_PREDICATE_OR -> p.getOrPredicates().length == 2
                    && validPredicate(p.getOrPredicates()[0], depth + 1)
                    && validPredicate(p.getOrPredicates()[1], depth + 1);
            case CLAIM_PREDICATE_NOT -> validPredicate(p.getNotPredicate(), depth + 1);
            case CLAIM_PREDICATE_BEFORE_ABSOLUTE_TIME -> p.getAbsBefore().getInt64() >= 0;
            case CLAIM_PREDICATE_BEFORE_RELATIVE_TIME -> p.getRelBefore().getInt64() >= 0;
        };
    }

    static LedgerState.Signer signer(SignerKey key, int weight) {
        return switch (key.getDiscriminant()) {
            case SIGNER_KEY_TYPE_ED25519 -> new LedgerState.Signer(
                    key, StrKey.encodeEd25519PublicKey(key.getEd25519().getUint256()), "ed25519_public_key", weight);
            case SIGNER_KEY_TYPE_PRE_AUTH_TX -> new LedgerState.Signer(
                    key, StrKey.encodePreAuthTx(key.getPreAuthTx().getUint256()), "preauth_tx", weight);
            case SIGNER_KEY_TYPE_HASH_X -> new LedgerState.Signer(
                    key, StrKey.encodeSha256Hash(key.getHashX().getUint256()), "sha256_hash", weight);
            default -> new LedgerState.Signer(key, "", "ed25519_signed_payload", weight);
        };
    }

    // ---- apply --------------------------------------------------------------------------------------------------

    private Submission apply(String envelopeXdr, Envelope e, String hashHex, byte[] hash, Context ctx) {
        int n = e.ops().length;
        LedgerState.Account source = state.accounts.get(e.source());
        // Fee and sequence are taken before the operations run and stay taken if they fail (tx_failed).
        long feeCharged = Math.min(source.balance, BASE_FEE * n);
        source.balance -= feeCharged;
        feePool += feeCharged;
        source.seq = e.seq();
        source.seqLedger = ctx.ledgerSeq();
        source.seqTime = ctx.closeTime();
        touch(source, ctx);
        Set<String> sources = new LinkedHashSet<>();
        sources.add(e.source());
        for (Operation op : e.ops()) {
            sources.add(opSource(op, e.source()));
        }
        // A pre-auth-tx signer is spent once the transaction is applied, successful or not.
        for (String id : sources) {
            LedgerState.Account a = state.accounts.get(id);
            if (a != null
                    && a.signers.removeIf(s -> s.key().getDiscriminant() == SignerKeyType.SIGNER_KEY_TYPE_PRE_AUTH_TX
                            && Arrays.equals(s.key().getPreAuthTx().getUint256(), hash))) {
                a.numSubEntries = a.numSubEntries - 1;
            }
        }

        LedgerState work = state.copy();
        OpResult[] results = new OpResult[n];
        boolean ok = true;
        for (int i = 0; i < n; i++) {
            results[i] = applyOp(work, e.ops()[i], opSource(e.ops()[i], e.source()), i, ctx);
            ok &= results[i].success();
        }
        if (ok) {
            state = work;
        }
        TransactionResult result =
                result(feeCharged, ok ? TransactionResultCode.txSUCCESS : TransactionResultCode.txFAILED, results);

        latestLedger = ctx.ledgerSeq();
        lastCloseTime = ctx.closeTime();
        headers.put(latestLedger, header(latestLedger, lastCloseTime, ok ? 1 : 0, ok ? 0 : 1, n));
        long txToken = ((long) latestLedger << 32) | (1L << 12);
        List<OpRecord> opRecords = new ArrayList<>();
        Set<String> participants = new LinkedHashSet<>(sources);
        for (int i = 0; i < n; i++) {
            Operation op = e.ops()[i];
            Set<String> opParticipants = new LinkedHashSet<>();
            opParticipants.add(opSource(op, e.source()));
            JsonObject json = HorizonJson.operation(
                    baseUrl,
                    op,
                    opSource(op, e.source()),
                    txToken + i + 1,
                    hashHex,
                    ok,
                    ctx.closeTime(),
                    opParticipants);
            participants.addAll(opParticipants);
            OperationType type = op.getBody().getDiscriminant();
            boolean payment = type == OperationType.CREATE_ACCOUNT
                    || type == OperationType.PAYMENT
                    || type == OperationType.ACCOUNT_MERGE;
            opRecords.add(new OpRecord(txToken + i + 1, payment, ok, json, opParticipants));
        }
        JsonObject txJson = HorizonJson.transaction(
                baseUrl,
                hashHex,
                txToken,
                ok,
                latestLedger,
                ctx.closeTime(),
                e.source(),
                e.seq(),
                feeCharged,
                e.fee(),
                n,
                envelopeXdr,
                Codec.base64((result)::toXdrBase64),
                Codec.base64((meta(n))::toXdrBase64),
                e.memo(),
                e.signatures(),
                e.cond());
        List<String> codes = new ArrayList<>();
        for (OpResult r : results) {
            codes.add(r.horizonCode());
        }
        JsonObject problem =
                ok ? null : HorizonJson.failed(envelopeXdr, Codec.base64((result)::toXdrBase64), "tx_failed", codes);
        TxRecord record = new TxRecord(hashHex, latestLedger, txToken, ok, txJson, problem, opRecords, participants);
        history.add(record);
        byHash.put(hashHex, record);
        for (Consumer<TxRecord> l : listeners) {
            l.accept(record);
        }
        return ok ? new Submission(200, txJson, true) : new Submission(400, problem, false);
    }

    private static TransactionMeta meta(int ops) {
        LedgerEntryChanges none = new LedgerEntryChanges(new LedgerEntryChange[0]);
        OperationMeta[] opMetas = new OperationMeta[ops];
        for (int i = 0; i < ops; i++) {
            opMetas[i] = new OperationMeta.Builder().changes(none).build();
        }
        return new TransactionMeta.Builder()
                .discriminant(2)
                .v2(new TransactionMetaV2.Builder()
                        .txChangesBefore(none)
                        .operations(opMetas)
                        .txChangesAfter(none)
                        .build())
                .build();
    }

    private static void touch(LedgerState.Account a, Context ctx) {
        a.lastModifiedLedger = ctx.ledgerSeq();
        a.lastModifiedTime = ctx.closeTime();
    }

    private OpResult applyOp(LedgerState s, Operation op, String sourceId, int index, Context ctx) {
        LedgerState.Account source = s.accounts.get(sourceId);
        if (source == null) {
            // An earlier operation of this transaction merged the account away.
            return OpResult.outer(OperationResultCode.opNO_ACCOUNT);
        }
        var body = op.getBody();
        return switch (body.getDiscriminant()) {
            case CREATE_ACCOUNT -> createAccount(s, source, body.getCreateAccountOp(), ctx);
            case PAYMENT -> payment(s, source, body.getPaymentOp(), ctx);
            case CHANGE_TRUST -> changeTrust(s, source, body.getChangeTrustOp(), ctx);
            case SET_OPTIONS -> setOptions(s, source, body.getSetOptionsOp(), ctx);
            case ACCOUNT_MERGE -> merge(s, source, Codec.accountId(body.getDestination()), ctx);
            case CREATE_CLAIMABLE_BALANCE -> createClaimableBalance(
                    s, source, body.getCreateClaimableBalanceOp(), index, ctx);
            case CLAIM_CLAIMABLE_BALANCE -> claimClaimableBalance(
                    s,
                    source,
                    Codec.hex(Codec.bytes((body.getClaimClaimableBalanceOp().getBalanceID())::toXdrByteArray)),
                    ctx);
            default -> OpResult.outer(OperationResultCode.opNOT_SUPPORTED);
        };
    }

    private static OpResult createAccount(LedgerState s, LedgerState.Account source, CreateAccountOp op, Context ctx) {
        String dest = Codec.accountId(op.getDestination());
        long amount = op.getStartingBalance().getInt64();
        if (s.accounts.containsKey(dest)) {
            return OpResult.of(CreateAccountResultCode.CREATE_ACCOUNT_ALREADY_EXIST);
        }
        if (amount < 2 * LedgerState.BASE_RESERVE) {
            return OpResult.of(CreateAccountResultCode.CREATE_ACCOUNT_LOW_RESERVE);
        }
        if (source.available() < amount) {
            return OpResult.of(CreateAccountResultCode.CREATE_ACCOUNT_UNDERFUNDED);
        }
        source.balance -= amount;
        touch(source, ctx);
        LedgerState.Account created = new LedgerState.Account(dest);
        created.balance = amount;
        // stellar-core starts a new account's sequence at ledger << 32 so that merged-and-recreated accounts
        // cannot replay old transactions.
        created.seq = (long) ctx.ledgerSeq() << 32;
        created.seqLedger = ctx.ledgerSeq();
        created.seqTime = ctx.closeTime();
        touch(created, ctx);
        s.accounts.put(dest, created);
        return OpResult.of(CreateAccountResultCode.CREATE_ACCOUNT_SUCCESS);
    }

    private static OpResult payment(LedgerState s, LedgerState.Account source, PaymentOp op, Context ctx) {
        String destId = Codec.accountId(op.getDestination());
        AssetKey asset = AssetKey.of(op.getAsset());
        long amount = op.getAmount().getInt64();
        if (asset.isNative() && destId.equals(source.id)) {
            return OpResult.of(PaymentResultCode.PAYMENT_SUCCESS);
        }
        LedgerState.Account dest = s.accounts.get(destId);
        if (dest == null) {
            return OpResult.of(PaymentResultCode.PAYMENT_NO_DESTINATION);
        }
        // Like core's path payment: credit the destination first, then debit the source.
        if (asset.isNative()) {
            if (dest.balance > Long.MAX_VALUE - amount) {
                return OpResult.of(PaymentResultCode.PAYMENT_LINE_FULL);
            }
            if (source.available() < amount) {
                return OpResult.of(PaymentResultCode.PAYMENT_UNDERFUNDED);
            }
            source.balance -= amount;
            dest.balance += amount;
            touch(source, ctx);
            touch(dest, ctx);
            return OpResult.of(PaymentResultCode.PAYMENT_SUCCESS);
        }
        LedgerState.TrustLine destLine = null;
        if (!destId.equals(asset.issuer())) {
            destLine = s.trustLine(destId, asset);
            if (destLine == null) {
                return OpResult.of(PaymentResultCode.PAYMENT_NO_TRUST);
            }
            if (destLine.balance > destLine.limit - amount) {
                return OpResult.of(PaymentResultCode.PAYMENT_LINE_FULL);
            }
        }
        LedgerState.TrustLine sourceLine = null;
        if (!source.id.equals(asset.issuer())) {
            sourceLine = s.trustLine(source.id, asset);
            if (sourceLine == null) {
                return OpResult.of(PaymentResultCode.PAYMENT_SRC_NO_TRUST);
            }
            if (sourceLine.balance < amount) {
                return OpResult.of(PaymentResultCode.PAYMENT_UNDERFUNDED);
            }
        }
        if (sourceLine == destLine) {
            return OpResult.of(PaymentResultCode.PAYMENT_SUCCESS);
        }
        if (sourceLine != null) {
            sourceLine.balance -= amount;
            sourceLine.lastModifiedLedger = ctx.ledgerSeq();
        }
        if (destLine != null) {
            destLine.balance += amount;
            destLine.lastModifiedLedger = ctx.ledgerSeq();
        }
        return OpResult.of(PaymentResultCode.PAYMENT_SUCCESS);
    }

    private static OpResult changeTrust(LedgerState s, LedgerState.Account source, ChangeTrustOp op, Context ctx) {
        AssetKey asset = AssetKey.of(op.getLine());
        long limit = op.getLimit().getInt64();
        LedgerState.TrustKey key = new LedgerState.TrustKey(source.id, asset);
        LedgerState.TrustLine line = s.trustLines.get(key);
        if (line != null) {
            if (limit == 0) {
                if (line.balance > 0) {
                    return OpResult.of(ChangeTrustResultCode.CHANGE_TRUST_INVALID_LIMIT);
                }
                s.trustLines.remove(key);
                source.numSubEntries--;
                touch(source, ctx);
                return OpResult.of(ChangeTrustResultCode.CHANGE_TRUST_SUCCESS);
            }
            if (limit < line.balance) {
                return OpResult.of(ChangeTrustResultCode.CHANGE_TRUST_INVALID_LIMIT);
            }
            line.limit = limit;
            line.lastModifiedLedger = ctx.ledgerSeq();
            return OpResult.of(ChangeTrustResultCode.CHANGE_TRUST_SUCCESS);
        }
        if (limit == 0) {
            return OpResult.of(ChangeTrustResultCode.CHANGE_TRUST_TRUST_LINE_MISSING);
        }
        if (!s.accounts.containsKey(asset.issuer())) {
            return OpResult.of(ChangeTrustResultCode.CHANGE_TRUST_NO_ISSUER);
        }
        if (source.available() < LedgerState.BASE_RESERVE) {
            return OpResult.of(ChangeTrustResultCode.CHANGE_TRUST_LOW_RESERVE);
        }
        LedgerState.TrustLine created = new LedgerState.TrustLine(source.id, asset);
        created.limit = limit;
        created.lastModifiedLedger = ctx.ledgerSeq();
        s.trustLines.put(key, created);
        source.numSubEntries++;
        touch(source, ctx);
        return OpResult.of(ChangeTrustResultCode.CHANGE_TRUST_SUCCESS);
    }

    private static OpResult setOptions(LedgerState s, LedgerState.Account source, SetOptionsOp op, Context ctx) {
        if (op.getInflationDest() != null) {
            String dest = Codec.accountId(op.getInflationDest());
            if (!s.accounts.containsKey(dest)) {
                return OpResult.of(SetOptionsResultCode.SET_OPTIONS_INVALID_INFLATION);
            }
            source.inflationDest = dest;
        }
        int set = op.getSetFlags() == null
                ? 0
                : (int) (long) op.getSetFlags().getUint32().getNumber();
        int clear = op.getClearFlags() == null
                ? 0
                : (int) (long) op.getClearFlags().getUint32().getNumber();
        if (set != 0 || clear != 0) {
            if ((source.flags & LedgerState.AUTH_IMMUTABLE) != 0) {
                return OpResult.of(SetOptionsResultCode.SET_OPTIONS_CANT_CHANGE);
            }
            int flags = (source.flags & ~clear) | set;
            if ((flags & LedgerState.AUTH_CLAWBACK) != 0 && (flags & LedgerState.AUTH_REVOCABLE) == 0) {
                return OpResult.of(SetOptionsResultCode.SET_OPTIONS_AUTH_REVOCABLE_REQUIRED);
            }
            source.flags = flags;
        }
        if (op.getMasterWeight() != null) {
            source.masterWeight = (int) (long) op.getMasterWeight().getUint32().getNumber();
        }
        if (op.getLowThreshold() != null) {
            source.low = (int) (long) op.getLowThreshold().getUint32().getNumber();
        }
        if (op.getMedThreshold() != null) {
            source.med = (int) (long) op.getMedThreshold().getUint32().getNumber();
        }
        if (op.getHighThreshold() != null) {
            source.high = (int) (long) op.getHighThreshold().getUint32().getNumber();
        }
        if (op.getSigner() != null) {
            LedgerState.Signer wanted = signer(op.getSigner().getKey(), (int)
                    (long) op.getSigner().getWeight().getUint32().getNumber());
            int existing = -1;
            for (int i = 0; i < source.signers.size(); i++) {
                if (source.signers.get(i).strKey().equals(wanted.strKey())) {
                    existing = i;
                }
            }
            if (wanted.weight() == 0) {
                if (existing >= 0) {
                    source.signers.remove(existing);
                    source.numSubEntries--;
                }
            } else if (existing >= 0) {
                source.signers.set(existing, wanted);
            } else {
                if (source.signers.size() >= MAX_SIGNERS) {
                    return OpResult.of(SetOptionsResultCode.SET_OPTIONS_TOO_MANY_SIGNERS);
                }
                if (source.available() < LedgerState.BASE_RESERVE) {
                    return OpResult.of(SetOptionsResultCode.SET_OPTIONS_LOW_RESERVE);
                }
                source.signers.add(wanted);
                source.signers.sort(Comparator.comparing(LedgerState.Signer::strKey));
                source.numSubEntries++;
            }
        }
        if (op.getHomeDomain() != null) {
            source.homeDomain = op.getHomeDomain().getString32().toString();
        }
        touch(source, ctx);
        return OpResult.of(SetOptionsResultCode.SET_OPTIONS_SUCCESS);
    }

    private static OpResult merge(LedgerState s, LedgerState.Account source, String destId, Context ctx) {
        LedgerState.Account dest = s.accounts.get(destId);
        if (dest == null) {
            return OpResult.of(AccountMergeResultCode.ACCOUNT_MERGE_NO_ACCOUNT);
        }
        if ((source.flags & LedgerState.AUTH_IMMUTABLE) != 0) {
            return OpResult.of(AccountMergeResultCode.ACCOUNT_MERGE_IMMUTABLE_SET);
        }
        // Signers are sub-entries too, but core lets them go with the account; trustlines and offers block.
        if (source.numSubEntries != source.signers.size()) {
            return OpResult.of(AccountMergeResultCode.ACCOUNT_MERGE_HAS_SUB_ENTRIES);
        }
        if (source.seq >= (long) ctx.ledgerSeq() << 32) {
            return OpResult.of(AccountMergeResultCode.ACCOUNT_MERGE_SEQNUM_TOO_FAR);
        }
        if (source.numSponsoring > 0) {
            return OpResult.of(AccountMergeResultCode.ACCOUNT_MERGE_IS_SPONSOR);
        }
        if (dest.balance > Long.MAX_VALUE - source.balance) {
            return OpResult.of(AccountMergeResultCode.ACCOUNT_MERGE_DEST_FULL);
        }
        long moved = source.balance;
        dest.balance += moved;
        touch(dest, ctx);
        s.accounts.remove(source.id);
        return OpResult.merged(AccountMergeResultCode.ACCOUNT_MERGE_SUCCESS, moved);
    }

    private OpResult createClaimableBalance(
            LedgerState s, LedgerState.Account source, CreateClaimableBalanceOp op, int index, Context ctx) {
        AssetKey asset = AssetKey.of(op.getAsset());
        long amount = op.getAmount().getInt64();
        if (asset.isNative()) {
            if (source.available() < amount) {
                return OpResult.of(CreateClaimableBalanceResultCode.CREATE_CLAIMABLE_BALANCE_UNDERFUNDED);
            }
            source.balance -= amount;
        } else if (!source.id.equals(asset.issuer())) {
            LedgerState.TrustLine line = s.trustLine(source.id, asset);
            if (line == null) {
                return OpResult.of(CreateClaimableBalanceResultCode.CREATE_CLAIMABLE_BALANCE_NO_TRUST);
            }
            if (line.balance < amount) {
                return OpResult.of(CreateClaimableBalanceResultCode.CREATE_CLAIMABLE_BALANCE_UNDERFUNDED);
            }
            line.balance -= amount;
            line.lastModifiedLedger = ctx.ledgerSeq();
        }
        // The creator sponsors the entry: one base reserve per claimant.
        Claimant[] claimants = op.getClaimants();
        source.numSponsoring += claimants.length;
        if (source.balance < source.minBalance()) {
            return OpResult.of(CreateClaimableBalanceResultCode.CREATE_CLAIMABLE_BALANCE_LOW_RESERVE);
        }
        List<LedgerState.Claimant> stored = new ArrayList<>();
        for (Claimant c : claimants) {
            stored.add(new LedgerState.Claimant(
                    Codec.accountId(c.getV0().getDestination()),
                    absolute(c.getV0().getPredicate(), ctx.closeTime())));
        }
        ClaimableBalanceID id = claimableBalanceId(ctx.txSource(), ctx.txSeq(), index);
        String idHex = Codec.hex(Codec.bytes((id)::toXdrByteArray));
        s.claimableBalances.put(
                idHex,
                new LedgerState.ClaimableBalance(
                        idHex, asset, amount, source.id, List.copyOf(stored), ctx.ledgerSeq(), ctx.closeTime()));
        touch(source, ctx);
        return OpResult.created(CreateClaimableBalanceResultCode.CREATE_CLAIMABLE_BALANCE_SUCCESS, id);
    }

    /** stellar-core: sha256 of the operation id preimage (transaction source, sequence number, operation index). */
    static ClaimableBalanceID claimableBalanceId(String txSource, long txSeq, int index) {
        HashIDPreimage preimage = new HashIDPreimage.Builder()
                .discriminant(EnvelopeType.ENVELOPE_TYPE_OP_ID)
                .operationID(new HashIDPreimage.HashIDPreimageOperationID.Builder()
                        .sourceAccount(KeyPair.fromAccountId(txSource).getXdrAccountId())
                        .seqNum(new SequenceNumber(new Int64(txSeq)))
                        .opNum(new Uint32(new XdrUnsignedInteger(index)))
                        .build())
                .build();
        return new ClaimableBalanceID.Builder()
                .discriminant(ClaimableBalanceIDType.CLAIMABLE_BALANCE_ID_TYPE_V0)
                .v0(new Hash(Codec.sha256(Codec.bytes((preimage)::toXdrByteArray))))
                .build();
    }

    /** Relative predicates become absolute at creation, measured from the creating ledger's close time. */
    private static ClaimPredicate absolute(ClaimPredicate p, long closeTime) {
        return switch (p.getDiscriminant()) {
            case CLAIM_PREDICATE_AND -> new ClaimPredicate.Builder()
                    .discriminant(ClaimPredicateType.CLAIM_PREDICATE_AND)
                    .andPredicates(new ClaimPredicate[] {
                        absolute(p.getAndPredicates()[0], closeTime), absolute(p.getAndPredicates()[1], closeTime)
                    })
                    .build();
            case CLAIM_PREDICATE_OR -> new ClaimPredicate.Builder()
                    .discriminant(ClaimPredicateType.CLAIM_PREDICATE_OR)
                    .orPredicates(new ClaimPredicate[] {
                        absolute(p.getOrPredicates()[0], closeTime), absolute(p.getOrPredicates()[1], closeTime)
                    })
                    .build();
            case CLAIM_PREDICATE_NOT -> new ClaimPredicate.Builder()
                    .discriminant(ClaimPredicateType.CLAIM_PREDICATE_NOT)
                    .notPredicate(absolute(p.getNotPredicate(), closeTime))
                    .build();
            case CLAIM_PREDICATE_BEFORE_RELATIVE_TIME -> {
                long rel = p.getRelBefore().getInt64();
                long abs = closeTime > Long.MAX_VALUE - rel ? Long.MAX_VALUE : closeTime + rel;
                yield new ClaimPredicate.Builder()
                        .discriminant(ClaimPredicateType.CLAIM_PREDICATE_BEFORE_ABSOLUTE_TIME)
                        .absBefore(new Int64(abs))
                        .build();
            }
            default -> p;
        };
    }

    static boolean holds(ClaimPredicate p, long closeTime) {
        return switch (p.getDiscriminant()) {
            case CLAIM_PREDICATE_UNCONDITIONAL -> true;
            case CLAIM_PREDICATE_AND -> holds(p.getAndPredicates()[0], closeTime)
                    && holds(p.getAndPredicates()[1], closeTime);
            case CLAIM_PREDICATE_OR -> holds(p.getOrPredicates()[0], closeTime)
                    || holds(p.getOrPredicates()[1], closeTime);
            case CLAIM_PREDICATE_NOT -> !holds(p.getNotPredicate(), closeTime);
            case CLAIM_PREDICATE_BEFORE_ABSOLUTE_TIME -> closeTime
                    < p.getAbsBefore().getInt64();
                // Stored predicates are absolute; a relative one can only come from a caller's own XDR.
            case CLAIM_PREDICATE_BEFORE_RELATIVE_TIME -> false;
        };
    }

    private static OpResult claimClaimableBalance(
            LedgerState s, LedgerState.Account source, String idHex, Context ctx) {
        LedgerState.ClaimableBalance cb = s.claimableBalances.get(idHex);
        if (cb == null) {
            return OpResult.of(ClaimClaimableBalanceResultCode.CLAIM_CLAIMABLE_BALANCE_DOES_NOT_EXIST);
        }
        boolean may = false;
        for (LedgerState.Claimant c : cb.claimants()) {
            if (c.destination().equals(source.id) && holds(c.predicate(), ctx.closeTime())) {
                may = true;
            }
        }
        if (!may) {
            return OpResult.of(ClaimClaimableBalanceResultCode.CLAIM_CLAIMABLE_BALANCE_CANNOT_CLAIM);
        }
        if (cb.asset().isNative()) {
            if (source.balance > Long.MAX_VALUE - cb.amount()) {
                return OpResult.of(ClaimClaimableBalanceResultCode.CLAIM_CLAIMABLE_BALANCE_LINE_FULL);
            }
            source.balance += cb.amount();
        } else if (!source.id.equals(cb.asset().issuer())) {
            LedgerState.TrustLine line = s.trustLine(source.id, cb.asset());
            if (line == null) {
                return OpResult.of(ClaimClaimableBalanceResultCode.CLAIM_CLAIMABLE_BALANCE_NO_TRUST);
            }
            if (line.balance > line.limit - cb.amount()) {
                return OpResult.of(ClaimClaimableBalanceResultCode.CLAIM_CLAIMABLE_BALANCE_LINE_FULL);
            }
            line.balance += cb.amount();
            line.lastModifiedLedger = ctx.ledgerSeq();
        }
        s.claimableBalances.remove(idHex);
        LedgerState.Account sponsor = s.accounts.get(cb.sponsor());
        if (sponsor != null) {
            sponsor.numSponsoring -= cb.claimants().size();
            touch(sponsor, ctx);
        }
        touch(source, ctx);
        return OpResult.of(ClaimClaimableBalanceResultCode.CLAIM_CLAIMABLE_BALANCE_SUCCESS);
    }

    /** JSON of a stored claimable balance. */
    synchronized JsonObject claimableBalanceJson(LedgerState.ClaimableBalance cb) {
        return HorizonJson.claimableBalance(baseUrl, cb);
    }
}
