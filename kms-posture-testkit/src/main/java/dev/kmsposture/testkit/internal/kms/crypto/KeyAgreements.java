package dev.kmsposture.testkit.internal.kms.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;
import javax.crypto.KeyAgreement;

/**
 * DeriveSharedSecret under a NIST elliptic-curve key with usage {@code KEY_AGREEMENT}: ECDH with
 * the peer's public key, given as DER X.509 SubjectPublicKeyInfo (what GetPublicKey returns). The
 * result is the raw shared secret (the x coordinate, field-size bytes), as KMS returns it.
 */
public final class KeyAgreements {
  private KeyAgreements() {}

  /**
   * DeriveSharedSecret.
   *
   * @throws KmsCryptoException {@code InvalidKeyUsageException} if the algorithm is not the spec's;
   *     {@code ValidationException} for a public key outside 1–8192 bytes, one that is not a DER
   *     SubjectPublicKeyInfo of an EC key (without a message, as AWS answers), or one on another
   *     curve
   */
  public static byte[] deriveSharedSecret(
      KeyMaterial material, KeyAgreementAlgorithm algorithm, byte[] peerPublicKey) {
    Objects.requireNonNull(material, "material");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(peerPublicKey, "peerPublicKey");
    AwsValidation.requireLength("publicKey", peerPublicKey, 1, 8192);
    material.spec().requireAllowed(algorithm);
    PublicKey peer;
    try {
      peer = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(peerPublicKey));
    } catch (GeneralSecurityException | RuntimeException e) {
      // Recorded from AWS: a ValidationException without a message.
      throw KmsCryptoException.of(
          "ValidationException",
          "",
          String.format(
              "PublicKey is not a DER-encoded X.509 SubjectPublicKeyInfo of an elliptic-curve key"
                  + " (%d bytes)",
              peerPublicKey.length));
    }
    ECPrivateKey own = (ECPrivateKey) material.privateKey();
    if (!(peer instanceof ECPublicKey ecPeer)
        || !KeyMaterial.sameCurve(ecPeer.getParams(), own.getParams())) {
      throw KmsCryptoException.validation(
          String.format(
              "PublicKey is not on the curve of key spec %s (%s)",
              material.spec().wireName(), material.spec().curve()));
    }
    try {
      KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
      ecdh.init(own);
      ecdh.doPhase(peer, true);
      return ecdh.generateSecret();
    } catch (GeneralSecurityException e) {
      throw KmsCryptoException.validation(
          String.format("PublicKey is not a valid point of curve %s", material.spec().curve()));
    }
  }
}
