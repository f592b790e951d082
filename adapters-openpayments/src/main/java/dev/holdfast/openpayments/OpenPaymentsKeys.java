package dev.holdfast.openpayments;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The platform's Open Payments client key: an Ed25519 key pair and its key id. Every request the rail makes is signed
 * with it; the authorization servers verify it against the JWKS published at the client's wallet address ({@code
 * <escrow wallet address>/jwks.json}), which is {@link #jwks()}. Register that JWKS with the account servicing entity
 * of the escrow wallet (Rafiki lets a wallet holder upload keys) or serve it where the wallet address says.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the private key.
 *
 * @since 0.1
 */
public final class OpenPaymentsKeys {
    private final String keyId;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private OpenPaymentsKeys(String keyId, PrivateKey privateKey, PublicKey publicKey) {
        if (keyId == null || !keyId.matches("[A-Za-z0-9._:-]{1,100}")) {
            throw new IllegalArgumentException("key id must be 1 to 100 of A-Z a-z 0-9 . _ : -");
        }
        this.keyId = keyId;
        this.privateKey = Objects.requireNonNull(privateKey);
        this.publicKey = Objects.requireNonNull(publicKey);
    }

    /**
     * @param keyId the key id to publish
     * @return a fresh key pair
     */
    public static OpenPaymentsKeys generate(String keyId) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new OpenPaymentsKeys(keyId, pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /**
     * @param keyId the key id the JWKS publishes
     * @param pkcs8 the private key, PKCS#8 DER (what Rafiki's admin UI and {@code openssl genpkey -algorithm ed25519}
     *     give, once un-PEMed)
     * @param x509 the public key, X.509 SubjectPublicKeyInfo DER
     * @return the keys
     * @throws IllegalArgumentException when they are not Ed25519 keys
     */
    public static OpenPaymentsKeys of(String keyId, byte[] pkcs8, byte[] x509) {
        try {
            KeyFactory f = KeyFactory.getInstance("Ed25519");
            return new OpenPaymentsKeys(
                    keyId,
                    f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)),
                    f.generatePublic(new X509EncodedKeySpec(x509)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key pair", e);
        }
    }

    /** @return the key id ({@code keyid} of every signature, {@code kid} in the JWKS) */
    public String keyId() {
        return keyId;
    }

    /** @return the private key, for the rail's signer only */
    PrivateKey privateKey() {
        return privateKey;
    }

    /** @return the public key as a JWK: {@code kty OKP}, {@code crv Ed25519}, {@code alg EdDSA}, {@code kid}, {@code x} */
    public String jwk() {
        byte[] spki = publicKey.getEncoded();
        String x = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        return "{\"kid\":\"" + keyId
                + "\",\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"alg\":\"EdDSA\",\"use\":\"sig\",\"x\":\"" + x + "\"}";
    }

    /** @return the JWKS document to serve at {@code <client wallet address>/jwks.json} */
    public String jwks() {
        return "{\"keys\":[" + jwk() + "]}";
    }

    @Override
    public String toString() {
        return "OpenPaymentsKeys[" + keyId + "]";
    }
}
