package dev.holdfast.stellar.simulator;

import java.util.Locale;
import org.stellar.sdk.xdr.AccountMergeResult;
import org.stellar.sdk.xdr.AccountMergeResultCode;
import org.stellar.sdk.xdr.ChangeTrustResult;
import org.stellar.sdk.xdr.ChangeTrustResultCode;
import org.stellar.sdk.xdr.ClaimClaimableBalanceResult;
import org.stellar.sdk.xdr.ClaimClaimableBalanceResultCode;
import org.stellar.sdk.xdr.ClaimableBalanceID;
import org.stellar.sdk.xdr.CreateAccountResult;
import org.stellar.sdk.xdr.CreateAccountResultCode;
import org.stellar.sdk.xdr.CreateClaimableBalanceResult;
import org.stellar.sdk.xdr.CreateClaimableBalanceResultCode;
import org.stellar.sdk.xdr.Int64;
import org.stellar.sdk.xdr.OperationResult;
import org.stellar.sdk.xdr.OperationResultCode;
import org.stellar.sdk.xdr.OperationType;
import org.stellar.sdk.xdr.PaymentResult;
import org.stellar.sdk.xdr.PaymentResultCode;
import org.stellar.sdk.xdr.SetOptionsResult;
import org.stellar.sdk.xdr.SetOptionsResultCode;

/**
 * One operation's outcome: the XDR {@link OperationResult} stellar-core would produce and the code Horizon prints for
 * it ({@code op_success}, {@code op_underfunded}, ...). Immutable.
 */
record OpResult(OperationResult xdr, String horizonCode, boolean success) {

    /** An outer failure (opBAD_AUTH, opNO_ACCOUNT, opNOT_SUPPORTED) with no inner result. */
    static OpResult outer(OperationResultCode code) {
        String horizon =
                switch (code) {
                    case opBAD_AUTH -> "op_bad_auth";
                    case opNO_ACCOUNT -> "op_no_source_account";
                    case opNOT_SUPPORTED -> "op_not_supported";
                    case opTOO_MANY_SUBENTRIES -> "op_too_many_subentries";
                    case opEXCEEDED_WORK_LIMIT -> "op_exceeded_work_limit";
                    default -> "op_" + code.name().substring(2).toLowerCase(Locale.ROOT);
                };
        return new OpResult(new OperationResult.Builder().discriminant(code).build(), horizon, false);
    }

    static OpResult of(CreateAccountResultCode code) {
        return inner(
                OperationType.CREATE_ACCOUNT,
                code,
                "CREATE_ACCOUNT_",
                tr -> tr.createAccountResult(
                        new CreateAccountResult.Builder().discriminant(code).build()));
    }

    static OpResult of(PaymentResultCode code) {
        return inner(
                OperationType.PAYMENT,
                code,
                "PAYMENT_",
                tr -> tr.paymentResult(
                        new PaymentResult.Builder().discriminant(code).build()));
    }

    static OpResult of(SetOptionsResultCode code) {
        return inner(
                OperationType.SET_OPTIONS,
                code,
                "SET_OPTIONS_",
                tr -> tr.setOptionsResult(
                        new SetOptionsResult.Builder().discriminant(code).build()));
    }

    static OpResult of(ChangeTrustResultCode code) {
        return inner(
                OperationType.CHANGE_TRUST,
                code,
                "CHANGE_TRUST_",
                tr -> tr.changeTrustResult(
                        new ChangeTrustResult.Builder().discriminant(code).build()));
    }

    static OpResult of(AccountMergeResultCode code) {
        return merged(code, 0);
    }

    static OpResult merged(AccountMergeResultCode code, long sourceAccountBalance) {
        AccountMergeResult.Builder b = new AccountMergeResult.Builder().discriminant(code);
        if (code == AccountMergeResultCode.ACCOUNT_MERGE_SUCCESS) {
            b.sourceAccountBalance(new Int64(sourceAccountBalance));
        }
        return inner(OperationType.ACCOUNT_MERGE, code, "ACCOUNT_MERGE_", tr -> tr.accountMergeResult(b.build()));
    }

    static OpResult of(CreateClaimableBalanceResultCode code) {
        return created(code, null);
    }

    static OpResult created(CreateClaimableBalanceResultCode code, ClaimableBalanceID id) {
        CreateClaimableBalanceResult.Builder b = new CreateClaimableBalanceResult.Builder().discriminant(code);
        if (id != null) {
            b.balanceID(id);
        }
        return inner(
                OperationType.CREATE_CLAIMABLE_BALANCE,
                code,
                "CREATE_CLAIMABLE_BALANCE_",
                tr -> tr.createClaimableBalanceResult(b.build()));
    }

    static OpResult of(ClaimClaimableBalanceResultCode code) {
        return inner(
                OperationType.CLAIM_CLAIMABLE_BALANCE,
                code,
                "CLAIM_CLAIMABLE_BALANCE_",
                tr -> tr.claimClaimableBalanceResult(new ClaimClaimableBalanceResult.Builder()
                        .discriminant(code)
                        .build()));
    }

    /** The result an operation shows before it runs, as stellar-core initialises the result array. */
    static OpResult pending(OperationType type) {
        return switch (type) {
            case CREATE_ACCOUNT -> of(CreateAccountResultCode.CREATE_ACCOUNT_SUCCESS);
            case PAYMENT -> of(PaymentResultCode.PAYMENT_SUCCESS);
            case SET_OPTIONS -> of(SetOptionsResultCode.SET_OPTIONS_SUCCESS);
            case CHANGE_TRUST -> of(ChangeTrustResultCode.CHANGE_TRUST_SUCCESS);
            case ACCOUNT_MERGE -> merged(AccountMergeResultCode.ACCOUNT_MERGE_SUCCESS, 0);
            case CREATE_CLAIMABLE_BALANCE -> created(
                    CreateClaimableBalanceResultCode.CREATE_CLAIMABLE_BALANCE_SUCCESS, null);
            case CLAIM_CLAIMABLE_BALANCE -> of(ClaimClaimableBalanceResultCode.CLAIM_CLAIMABLE_BALANCE_SUCCESS);
            default -> outer(OperationResultCode.opNOT_SUPPORTED);
        };
    }

    private static OpResult inner(
            OperationType type,
            Enum<?> code,
            String prefix,
            java.util.function.Consumer<OperationResult.OperationResultTr.Builder> arm) {
        OperationResult.OperationResultTr.Builder tr =
                new OperationResult.OperationResultTr.Builder().discriminant(type);
        arm.accept(tr);
        OperationResult xdr = new OperationResult.Builder()
                .discriminant(OperationResultCode.opINNER)
                .tr(tr.build())
                .build();
        String suffix = code.name().substring(prefix.length()).toLowerCase(Locale.ROOT);
        // Horizon's spellings differ from the XDR names in these two cases.
        suffix = switch (suffix) {
            case "already_exist" -> "already_exists";
            case "seqnum_too_far" -> "seq_num_too_far";
            default -> suffix;
        };
        return new OpResult(xdr, "op_" + suffix, suffix.equals("success"));
    }
}
