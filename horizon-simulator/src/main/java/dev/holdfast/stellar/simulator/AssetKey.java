package dev.holdfast.stellar.simulator;

import org.stellar.sdk.xdr.Asset;
import org.stellar.sdk.xdr.AssetType;
import org.stellar.sdk.xdr.ChangeTrustAsset;

/** An asset as the ledger keys it: native, or a code with its issuer. Immutable. */
record AssetKey(String code, String issuer) {
    static final AssetKey NATIVE = new AssetKey(null, null);

    static AssetKey of(Asset asset) {
        switch (asset.getDiscriminant()) {
            case ASSET_TYPE_NATIVE:
                return NATIVE;
            case ASSET_TYPE_CREDIT_ALPHANUM4:
                return new AssetKey(
                        Codec.assetCode(asset.getAlphaNum4().getAssetCode().getAssetCode4()),
                        Codec.accountId(asset.getAlphaNum4().getIssuer()));
            case ASSET_TYPE_CREDIT_ALPHANUM12:
                return new AssetKey(
                        Codec.assetCode(asset.getAlphaNum12().getAssetCode().getAssetCode12()),
                        Codec.accountId(asset.getAlphaNum12().getIssuer()));
            default:
                return null;
        }
    }

    /** Null for liquidity-pool shares, which the simulator does not hold. */
    static AssetKey of(ChangeTrustAsset asset) {
        switch (asset.getDiscriminant()) {
            case ASSET_TYPE_NATIVE:
                return NATIVE;
            case ASSET_TYPE_CREDIT_ALPHANUM4:
                return new AssetKey(
                        Codec.assetCode(asset.getAlphaNum4().getAssetCode().getAssetCode4()),
                        Codec.accountId(asset.getAlphaNum4().getIssuer()));
            case ASSET_TYPE_CREDIT_ALPHANUM12:
                return new AssetKey(
                        Codec.assetCode(asset.getAlphaNum12().getAssetCode().getAssetCode12()),
                        Codec.accountId(asset.getAlphaNum12().getIssuer()));
            default:
                return null;
        }
    }

    boolean isNative() {
        return code == null;
    }

    /** stellar-core's asset validity: 1-4 or 5-12 alphanumeric characters, no gaps. */
    boolean isValidCode(AssetType type) {
        if (isNative()) {
            return true;
        }
        int max = type == AssetType.ASSET_TYPE_CREDIT_ALPHANUM4 ? 4 : 12;
        int min = type == AssetType.ASSET_TYPE_CREDIT_ALPHANUM4 ? 1 : 5;
        return code.length() >= min && code.length() <= max && code.chars().allMatch(Character::isLetterOrDigit);
    }

    String type() {
        if (isNative()) {
            return "native";
        }
        return code.length() <= 4 ? "credit_alphanum4" : "credit_alphanum12";
    }

    /** Horizon's canonical form: {@code native} or {@code CODE:ISSUER}. */
    String canonical() {
        return isNative() ? "native" : code + ":" + issuer;
    }
}
