package dev.kmsposture.testkit.internal.kms.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.spec.MGF1ParameterSpec;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Encrypt and Decrypt under an RSA key with usage {@code ENCRYPT_DECRYPT}: RSAES-OAEP (PKCS #1
 * v2.2) with SHA-1 or SHA-256 "for both the hash and in the MGF1 mask generation function along
 * with an empty label", as the KMS Developer Guide specifies. A ciphertext made outside KMS with
 * the public key from GetPublicKey and the same algorithm decrypts here.
 *
 * <p>The ciphertext is the bare RSA output (modulus length): AWS's asymmetric ciphertexts carry no
 * metadata, so Decrypt needs the {@code KeyId} and the algorithm.
 */
public final class RsaEncryption {
  private RsaEncryption() {}

  /**
   * The largest plaintext {@code algorithm} encrypts under {@code spec}: (bits / 8) − 2 × digest
   * length − 2, which gives 214/190 (RSA_2048), 342/318 (RSA_3072) and 470/446 (RSA_4096) bytes for
   * SHA-1/SHA-256.
   *
   * @throws KmsCryptoException {@code InvalidKeyUsageException} if the algorithm is not one of the
   *     spec's
   */
  public static int maxPlaintext(KeySpec spec, EncryptionAlgorithm algorithm) {
    spec.requireAllowed(algorithm);
    return spec.bits() / 8 - 2 * digestLength(algorithm) - 2;
  }

  /**
   * Encrypt with the public key.
   *
   * @throws KmsCryptoException {@code InvalidKeyUsageException} for an algorithm the spec does not
   *     have; {@code ValidationException} for a plaintext outside 1–4096 bytes or longer than
   *     {@link #maxPlaintext}
   */
  public static byte[] encrypt(
      KeyMaterial material, EncryptionAlgorithm algorithm, byte[] plaintext) {
    Objects.requireNonNull(material, "material");
    Objects.requireNonNull(plaintext, "plaintext");
    AwsValidation.requireLength("plaintext", plaintext, 1, SymmetricEnvelope.MAX_PLAINTEXT);
    int max = maxPlaintext(material.spec(), algorithm);
    if (plaintext.length > max) {
      throw KmsCryptoException.validation(
          String.format(
              "Algorithm %s and key spec %s cannot encrypt data larger than %d bytes.",
              algorithm.wireName(), material.spec().wireName(), max));
    }
    try {
      return cipher(Cipher.ENCRYPT_MODE, material.publicKey(), algorithm).doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bug in kms-posture: RSA-OAEP encryption failed", e);
    }
  }

  /**
   * Decrypt with the private key.
   *
   * @throws KmsCryptoException {@code InvalidKeyUsageException} for an algorithm the spec does not
   *     have; {@code InvalidCiphertextException} if the ciphertext was not made with this key and
   *     algorithm; {@code ValidationException} for a blob outside 1–6144 bytes
   */
  public static byte[] decrypt(
      KeyMaterial material, EncryptionAlgorithm algorithm, byte[] ciphertext) {
    Objects.requireNonNull(material, "material");
    Objects.requireNonNull(ciphertext, "ciphertext");
    AwsValidation.requireLength("ciphertextBlob", ciphertext, 1, 6144);
    material.spec().requireAllowed(algorithm);
    int modulusBytes = material.spec().bits() / 8;
    if (ciphertext.length != modulusBytes) {
      throw KmsCryptoException.invalidCiphertext(
          String.format(
              "an %s ciphertext under key spec [%s] has %d bytes, not %d",
              algorithm.wireName(), material.spec().wireName(), ciphertext.length, modulusBytes));
    }
    try {
      return cipher(Cipher.DECRYPT_MODE, material.privateKey(), algorithm).doFinal(ciphertext);
    } catch (GeneralSecurityException e) {
      throw KmsCryptoException.invalidCiphertext(
          String.format(
              "the ciphertext does not decrypt with %s under this [%s] key (wrong key, wrong"
                  + " algorithm, or altered)",
              algorithm.wireName(), material.spec().wireName()));
    }
  }

  static Cipher cipher(int mode, Key key, EncryptionAlgorithm algorithm)
      throws GeneralSecurityException {
    return oaepCipher(
        mode, key, algorithm == EncryptionAlgorithm.RSAES_OAEP_SHA_1 ? "SHA-1" : "SHA-256");
  }

  /** RSA-OAEP with {@code digest} for the hash and for MGF1, and an empty label. */
  static Cipher oaepCipher(int mode, Key key, String digest) throws GeneralSecurityException {
    // The JDK's OAEP transformations default MGF1 to SHA-1 whatever the hash; KMS uses the same
    // digest for both, so the parameters are spelled out.
    MGF1ParameterSpec mgf1 =
        "SHA-1".equals(digest) ? MGF1ParameterSpec.SHA1 : MGF1ParameterSpec.SHA256;
    Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
    cipher.init(mode, key, new OAEPParameterSpec(digest, "MGF1", mgf1, PSource.PSpecified.DEFAULT));
    return cipher;
  }

  private static int digestLength(EncryptionAlgorithm algorithm) {
    return algorithm == EncryptionAlgorithm.RSAES_OAEP_SHA_1 ? 20 : 32;
  }
}
