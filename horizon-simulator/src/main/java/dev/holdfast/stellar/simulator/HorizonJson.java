package dev.holdfast.stellar.simulator;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.stellar.sdk.xdr.ClaimPredicate;
import org.stellar.sdk.xdr.Claimant;
import org.stellar.sdk.xdr.DecoratedSignature;
import org.stellar.sdk.xdr.Memo;
import org.stellar.sdk.xdr.Operation;
import org.stellar.sdk.xdr.Preconditions;
import org.stellar.sdk.xdr.SetOptionsOp;
import org.stellar.sdk.xdr.TimeBounds;

/** Horizon's JSON resources and problem documents. Stateless. */
final class HorizonJson {
    static final String ERRORS = "https://stellar.org/horizon-errors/";

    private HorizonJson() {}

    static JsonObject link(String href) {
        JsonObject o = new JsonObject();
        o.addProperty("href", href);
        return o;
    }

    static JsonObject templated(String href) {
        JsonObject o = link(href);
        o.addProperty("templated", true);
        return o;
    }

    // ---- problems -----------------------------------------------------------------------------------------------

    static JsonObject problem(int status, String type, String title, String detail) {
        JsonObject o = new JsonObject();
        o.addProperty("type", ERRORS + type);
        o.addProperty("title", title);
        o.addProperty("status", status);
        o.addProperty("detail", detail);
        return o;
    }

    static JsonObject notFound() {
        return problem(
                404,
                "not_found",
                "Resource Missing",
                "The resource at the url requested was not found.  This usually occurs for one of two reasons:  The"
                        + " url requested is not valid, or no data in our database could be found with the"
                        + " parameters provided.");
    }

    static JsonObject badRequest(String detail) {
        return problem(400, "bad_request", "Bad Request", detail);
    }

    /** The problem for an HTTP status a test forced with {@code failNext(int)}. */
    static JsonObject forStatus(int status) {
        return switch (status) {
            case 404 -> notFound();
            case 429 -> problem(
                    429,
                    "rate_limit_exceeded",
                    "Rate Limit Exceeded",
                    "The rate limit for the requesting IP" + " address is over its alloted limit.");
            case 503 -> problem(
                    503,
                    "service_unavailable",
                    "Service Unavailable",
                    "The request cannot be serviced at this" + " time.");
            case 504 -> problem(
                    504,
                    "timeout",
                    "Timeout",
                    "Your request timed out before completing.  Please try your request" + " again.");
            default -> problem(
                    status,
                    "server_error",
                    "Internal Server Error",
                    "An error occurred while processing this" + " request.");
        };
    }

    static JsonObject malformed(String envelopeXdr) {
        JsonObject o = problem(
                400,
                "transaction_malformed",
                "Transaction Malformed",
                "Horizon could not decode the transaction envelope in this request. A transaction should be an XDR"
                        + " TransactionEnvelope struct encoded using base64.");
        JsonObject extras = new JsonObject();
        extras.addProperty("envelope_xdr", envelopeXdr);
        o.add("extras", extras);
        return o;
    }

    static JsonObject failed(String envelopeXdr, String resultXdr, String txCode, List<String> opCodes) {
        JsonObject o = problem(
                400,
                "transaction_failed",
                "Transaction Failed",
                "The transaction failed when submitted to the stellar network. The `extras.result_codes` field on"
                        + " this response contains further details.  Descriptions of each code can be found at:"
                        + " https://developers.stellar.org/api/errors/http-status-codes/horizon-specific/"
                        + "transaction-failed/");
        JsonObject extras = new JsonObject();
        extras.addProperty("envelope_xdr", envelopeXdr);
        extras.addProperty("result_xdr", resultXdr);
        JsonObject codes = new JsonObject();
        codes.addProperty("transaction", txCode);
        if (!opCodes.isEmpty()) {
            JsonArray ops = new JsonArray();
            opCodes.forEach(ops::add);
            codes.add("operations", ops);
        }
        extras.add("result_codes", codes);
        o.add("extras", extras);
        return o;
    }

    // ---- resources ----------------------------------------------------------------------------------------------

    static JsonObject account(String base, LedgerState.Account a, List<LedgerState.TrustLine> lines) {
        JsonObject o = new JsonObject();
        JsonObject links = new JsonObject();
        String self = base + "/accounts/" + a.id;
        links.add("self", link(self));
        links.add("transactions", templated(self + "/transactions{?cursor,limit,order}"));
        links.add("operations", templated(self + "/operations{?cursor,limit,order}"));
        links.add("payments", templated(self + "/payments{?cursor,limit,order}"));
        links.add("effects", templated(self + "/effects{?cursor,limit,order}"));
        links.add("offers", templated(self + "/offers{?cursor,limit,order}"));
        links.add("trades", templated(self + "/trades{?cursor,limit,order}"));
        links.add("data", templated(self + "/data/{key}"));
        o.add("_links", links);
        o.addProperty("id", a.id);
        o.addProperty("account_id", a.id);
        o.addProperty("sequence", Long.toString(a.seq));
        o.addProperty("sequence_ledger", a.seqLedger);
        o.addProperty("sequence_time", Long.toString(a.seqTime));
        o.addProperty("subentry_count", a.numSubEntries);
        if (a.inflationDest != null) {
            o.addProperty("inflation_destination", a.inflationDest);
        }
        if (!a.homeDomain.isEmpty()) {
            o.addProperty("home_domain", a.homeDomain);
        }
        o.addProperty("last_modified_ledger", a.lastModifiedLedger);
        o.addProperty("last_modified_time", Codec.time(a.lastModifiedTime));
        JsonObject thresholds = new JsonObject();
        thresholds.addProperty("low_threshold", a.low);
        thresholds.addProperty("med_threshold", a.med);
        thresholds.addProperty("high_threshold", a.high);
        o.add("thresholds", thresholds);
        JsonObject flags = new JsonObject();
        flags.addProperty("auth_required", (a.flags & LedgerState.AUTH_REQUIRED) != 0);
        flags.addProperty("auth_revocable", (a.flags & LedgerState.AUTH_REVOCABLE) != 0);
        flags.addProperty("auth_immutable", (a.flags & LedgerState.AUTH_IMMUTABLE) != 0);
        flags.addProperty("auth_clawback_enabled", (a.flags & LedgerState.AUTH_CLAWBACK) != 0);
        o.add("flags", flags);
        JsonArray balances = new JsonArray();
        for (LedgerState.TrustLine line : lines) {
            JsonObject b = new JsonObject();
            b.addProperty("balance", Codec.amount(line.balance));
            b.addProperty("limit", Codec.amount(line.limit));
            b.addProperty("buying_liabilities", Codec.amount(0));
            b.addProperty("selling_liabilities", Codec.amount(0));
            b.addProperty("last_modified_ledger", line.lastModifiedLedger);
            b.addProperty("is_authorized", true);
            b.addProperty("is_authorized_to_maintain_liabilities", true);
            b.addProperty("is_clawback_enabled", false);
            b.addProperty("asset_type", line.asset.type());
            b.addProperty("asset_code", line.asset.code());
            b.addProperty("asset_issuer", line.asset.issuer());
            balances.add(b);
        }
        // Horizon lists the native balance last.
        JsonObject nativeBalance = new JsonObject();
        nativeBalance.addProperty("balance", Codec.amount(a.balance));
        nativeBalance.addProperty("buying_liabilities", Codec.amount(0));
        nativeBalance.addProperty("selling_liabilities", Codec.amount(0));
        nativeBalance.addProperty("asset_type", "native");
        balances.add(nativeBalance);
        o.add("balances", balances);
        JsonArray signers = new JsonArray();
        for (LedgerState.Signer s : a.signers) {
            signers.add(signer(s.strKey(), s.weight(), s.type()));
        }
        signers.add(signer(a.id, a.masterWeight, "ed25519_public_key"));
        o.add("signers", signers);
        o.add("data", new JsonObject());
        o.addProperty("num_sponsoring", a.numSponsoring);
        o.addProperty("num_sponsored", 0);
        o.addProperty("paging_token", a.id);
        return o;
    }

    private static JsonObject signer(String key, int weight, String type) {
        JsonObject s = new JsonObject();
        s.addProperty("weight", weight);
        s.addProperty("key", key);
        s.addProperty("type", type);
        return s;
    }

    static JsonObject transaction(
            String base,
            String hash,
            long pagingToken,
            boolean successful,
            int ledger,
            long closeTime,
            String source,
            long seq,
            long feeCharged,
            long maxFee,
            int opCount,
            String envelopeXdr,
            String resultXdr,
            String metaXdr,
            Memo memo,
            DecoratedSignature[] signatures,
            Preconditions cond) {
        JsonObject o = new JsonObject();
        JsonObject links = new JsonObject();
        String self = base + "/transactions/" + hash;
        links.add("self", link(self));
        links.add("account", link(base + "/accounts/" + source));
        links.add("ledger", link(base + "/ledgers/" + ledger));
        links.add("operations", templated(self + "/operations{?cursor,limit,order}"));
        links.add("effects", templated(self + "/effects{?cursor,limit,order}"));
        links.add("precedes", link(base + "/transactions?order=asc&cursor=" + pagingToken));
        links.add("succeeds", link(base + "/transactions?order=desc&cursor=" + pagingToken));
        links.add("transaction", link(self));
        o.add("_links", links);
        o.addProperty("id", hash);
        o.addProperty("paging_token", Long.toString(pagingToken));
        o.addProperty("successful", successful);
        o.addProperty("hash", hash);
        o.addProperty("ledger", ledger);
        o.addProperty("created_at", Codec.time(closeTime));
        o.addProperty("source_account", source);
        o.addProperty("source_account_sequence", Long.toString(seq));
        o.addProperty("fee_account", source);
        o.addProperty("fee_charged", Long.toString(feeCharged));
        o.addProperty("max_fee", Long.toString(maxFee));
        o.addProperty("operation_count", opCount);
        o.addProperty("envelope_xdr", envelopeXdr);
        o.addProperty("result_xdr", resultXdr);
        o.addProperty("result_meta_xdr", metaXdr);
        o.addProperty("fee_meta_xdr", "AAAAAA==");
        memo(o, memo);
        JsonArray sigs = new JsonArray();
        for (DecoratedSignature s : signatures) {
            sigs.add(Base64.getEncoder().encodeToString(s.getSignature().getSignature()));
        }
        o.add("signatures", sigs);
        TimeBounds tb =
                switch (cond.getDiscriminant()) {
                    case PRECOND_TIME -> cond.getTimeBounds();
                    case PRECOND_V2 -> cond.getV2().getTimeBounds();
                    default -> null;
                };
        if (tb != null) {
            String min = tb.getMinTime().getTimePoint().getUint64().getNumber().toString();
            String max = tb.getMaxTime().getTimePoint().getUint64().getNumber().toString();
            o.addProperty("valid_after", Codec.time(Long.parseLong(min)));
            if (!max.equals("0")) {
                o.addProperty(
                        "valid_before",
                        Codec.time(tb.getMaxTime()
                                .getTimePoint()
                                .getUint64()
                                .getNumber()
                                .min(java.math.BigInteger.valueOf(Long.MAX_VALUE))
                                .longValue()));
            }
            JsonObject pre = new JsonObject();
            JsonObject timebounds = new JsonObject();
            timebounds.addProperty("min_time", min);
            timebounds.addProperty("max_time", max);
            pre.add("timebounds", timebounds);
            o.add("preconditions", pre);
        }
        return o;
    }

    private static void memo(JsonObject o, Memo memo) {
        switch (memo.getDiscriminant()) {
            case MEMO_TEXT -> {
                o.addProperty("memo_type", "text");
                byte[] bytes = memo.getText().getBytes();
                o.addProperty("memo", new String(bytes, StandardCharsets.UTF_8));
                o.addProperty("memo_bytes", Base64.getEncoder().encodeToString(bytes));
            }
            case MEMO_ID -> {
                o.addProperty("memo_type", "id");
                o.addProperty("memo", memo.getId().getUint64().getNumber().toString());
            }
            case MEMO_HASH -> {
                o.addProperty("memo_type", "hash");
                o.addProperty(
                        "memo",
                        Base64.getEncoder().encodeToString(memo.getHash().getHash()));
            }
            case MEMO_RETURN -> {
                o.addProperty("memo_type", "return");
                o.addProperty(
                        "memo",
                        Base64.getEncoder().encodeToString(memo.getRetHash().getHash()));
            }
            default -> o.addProperty("memo_type", "none");
        }
    }

    static JsonObject operation(
            String base,
            Operation op,
            String source,
            long pagingToken,
            String txHash,
            boolean successful,
            long closeTime,
            Set<String> participants) {
        JsonObject o = new JsonObject();
        JsonObject links = new JsonObject();
        String self = base + "/operations/" + pagingToken;
        links.add("self", link(self));
        links.add("transaction", link(base + "/transactions/" + txHash));
        links.add("effects", link(self + "/effects"));
        links.add("succeeds", link(base + "/effects?order=desc&cursor=" + pagingToken));
        links.add("precedes", link(base + "/effects?order=asc&cursor=" + pagingToken));
        o.add("_links", links);
        o.addProperty("id", Long.toString(pagingToken));
        o.addProperty("paging_token", Long.toString(pagingToken));
        o.addProperty("transaction_successful", successful);
        o.addProperty("source_account", source);
        var body = op.getBody();
        o.addProperty("type", body.getDiscriminant().name().toLowerCase(Locale.ROOT));
        o.addProperty("type_i", body.getDiscriminant().getValue());
        o.addProperty("created_at", Codec.time(closeTime));
        o.addProperty("transaction_hash", txHash);
        switch (body.getDiscriminant()) {
            case CREATE_ACCOUNT -> {
                String account = Codec.accountId(body.getCreateAccountOp().getDestination());
                o.addProperty(
                        "starting_balance",
                        Codec.amount(
                                body.getCreateAccountOp().getStartingBalance().getInt64()));
                o.addProperty("funder", source);
                o.addProperty("account", account);
                participants.add(account);
            }
            case PAYMENT -> {
                String to = Codec.accountId(body.getPaymentOp().getDestination());
                asset(o, AssetKey.of(body.getPaymentOp().getAsset()));
                o.addProperty("from", source);
                o.addProperty("to", to);
                o.addProperty(
                        "amount", Codec.amount(body.getPaymentOp().getAmount().getInt64()));
                participants.add(to);
            }
            case CHANGE_TRUST -> {
                AssetKey asset = AssetKey.of(body.getChangeTrustOp().getLine());
                if (asset != null) {
                    asset(o, asset);
                    o.addProperty("trustee", asset.issuer());
                }
                o.addProperty("trustor", source);
                o.addProperty(
                        "limit", Codec.amount(body.getChangeTrustOp().getLimit().getInt64()));
            }
            case SET_OPTIONS -> {
                SetOptionsOp so = body.getSetOptionsOp();
                if (so.getMasterWeight() != null) {
                    o.addProperty(
                            "master_key_weight",
                            so.getMasterWeight().getUint32().getNumber());
                }
                if (so.getLowThreshold() != null) {
                    o.addProperty(
                            "low_threshold", so.getLowThreshold().getUint32().getNumber());
                }
                if (so.getMedThreshold() != null) {
                    o.addProperty(
                            "med_threshold", so.getMedThreshold().getUint32().getNumber());
                }
                if (so.getHighThreshold() != null) {
                    o.addProperty(
                            "high_threshold", so.getHighThreshold().getUint32().getNumber());
                }
                if (so.getSigner() != null) {
                    o.addProperty(
                            "signer_key",
                            Ledger.signer(so.getSigner().getKey(), 0).strKey());
                    o.addProperty(
                            "signer_weight",
                            so.getSigner().getWeight().getUint32().getNumber());
                }
            }
            case ACCOUNT_MERGE -> {
                String into = Codec.accountId(body.getDestination());
                o.addProperty("account", source);
                o.addProperty("into", into);
                participants.add(into);
            }
            case CREATE_CLAIMABLE_BALANCE -> {
                o.addProperty(
                        "asset",
                        AssetKey.of(body.getCreateClaimableBalanceOp().getAsset())
                                .canonical());
                o.addProperty(
                        "amount",
                        Codec.amount(
                                body.getCreateClaimableBalanceOp().getAmount().getInt64()));
                JsonArray claimants = new JsonArray();
                for (Claimant c : body.getCreateClaimableBalanceOp().getClaimants()) {
                    String dest = Codec.accountId(c.getV0().getDestination());
                    JsonObject cj = new JsonObject();
                    cj.addProperty("destination", dest);
                    cj.add("predicate", predicate(c.getV0().getPredicate()));
                    claimants.add(cj);
                    participants.add(dest);
                }
                o.add("claimants", claimants);
            }
            case CLAIM_CLAIMABLE_BALANCE -> {
                o.addProperty(
                        "balance_id",
                        Codec.hex(Codec.bytes((body.getClaimClaimableBalanceOp().getBalanceID())::toXdrByteArray)));
                o.addProperty("claimant", source);
            }
            default -> {}
        }
        return o;
    }

    private static void asset(JsonObject o, AssetKey asset) {
        o.addProperty("asset_type", asset.type());
        if (!asset.isNative()) {
            o.addProperty("asset_code", asset.code());
            o.addProperty("asset_issuer", asset.issuer());
        }
    }

    static JsonObject predicate(ClaimPredicate p) {
        JsonObject o = new JsonObject();
        switch (p.getDiscriminant()) {
            case CLAIM_PREDICATE_UNCONDITIONAL -> o.addProperty("unconditional", true);
            case CLAIM_PREDICATE_AND -> {
                JsonArray a = new JsonArray();
                for (ClaimPredicate c : p.getAndPredicates()) {
                    a.add(predicate(c));
                }
                o.add("and", a);
            }
            case CLAIM_PREDICATE_OR -> {
                JsonArray a = new JsonArray();
                for (ClaimPredicate c : p.getOrPredicates()) {
                    a.add(predicate(c));
                }
                o.add("or", a);
            }
            case CLAIM_PREDICATE_NOT -> o.add("not", predicate(p.getNotPredicate()));
            case CLAIM_PREDICATE_BEFORE_ABSOLUTE_TIME -> {
                o.addProperty("abs_before", Codec.time(p.getAbsBefore().getInt64()));
                o.addProperty("abs_before_epoch", Long.toString(p.getAbsBefore().getInt64()));
            }
            case CLAIM_PREDICATE_BEFORE_RELATIVE_TIME -> o.addProperty(
                    "rel_before", Long.toString(p.getRelBefore().getInt64()));
        }
        return o;
    }

    static JsonObject claimableBalance(String base, LedgerState.ClaimableBalance cb) {
        JsonObject o = new JsonObject();
        JsonObject links = new JsonObject();
        String self = base + "/claimable_balances/" + cb.id();
        links.add("self", link(self));
        links.add("transactions", templated(self + "/transactions{?cursor,limit,order}"));
        links.add("operations", templated(self + "/operations{?cursor,limit,order}"));
        o.add("_links", links);
        o.addProperty("id", cb.id());
        o.addProperty("asset", cb.asset().canonical());
        o.addProperty("amount", Codec.amount(cb.amount()));
        o.addProperty("sponsor", cb.sponsor());
        o.addProperty("last_modified_ledger", cb.lastModifiedLedger());
        o.addProperty("last_modified_time", Codec.time(cb.lastModifiedTime()));
        JsonArray claimants = new JsonArray();
        for (LedgerState.Claimant c : cb.claimants()) {
            JsonObject cj = new JsonObject();
            cj.addProperty("destination", c.destination());
            cj.add("predicate", predicate(c.predicate()));
            claimants.add(cj);
        }
        o.add("claimants", claimants);
        JsonObject flags = new JsonObject();
        flags.addProperty("clawback_enabled", false);
        o.add("flags", flags);
        o.addProperty("paging_token", cb.lastModifiedLedger() + "-" + cb.id());
        return o;
    }

    static JsonObject ledger(String base, Ledger.LedgerHeader h, long feePool) {
        JsonObject o = new JsonObject();
        JsonObject links = new JsonObject();
        String self = base + "/ledgers/" + h.sequence();
        links.add("self", link(self));
        links.add("transactions", templated(self + "/transactions{?cursor,limit,order}"));
        links.add("operations", templated(self + "/operations{?cursor,limit,order}"));
        links.add("payments", templated(self + "/payments{?cursor,limit,order}"));
        links.add("effects", templated(self + "/effects{?cursor,limit,order}"));
        o.add("_links", links);
        o.addProperty("id", h.hash());
        o.addProperty("paging_token", Long.toString((long) h.sequence() << 32));
        o.addProperty("hash", h.hash());
        o.addProperty("prev_hash", h.prevHash());
        o.addProperty("sequence", h.sequence());
        o.addProperty("successful_transaction_count", h.successfulTx());
        o.addProperty("failed_transaction_count", h.failedTx());
        o.addProperty("operation_count", h.operations());
        o.addProperty("tx_set_operation_count", h.operations());
        o.addProperty("closed_at", Codec.time(h.closeTime()));
        o.addProperty("total_coins", Codec.amount(Ledger.TOTAL_COINS));
        o.addProperty("fee_pool", Codec.amount(feePool));
        o.addProperty("base_fee_in_stroops", Ledger.BASE_FEE);
        o.addProperty("base_reserve_in_stroops", LedgerState.BASE_RESERVE);
        o.addProperty("max_tx_set_size", 1000);
        o.addProperty("protocol_version", Ledger.PROTOCOL_VERSION);
        return o;
    }
}
