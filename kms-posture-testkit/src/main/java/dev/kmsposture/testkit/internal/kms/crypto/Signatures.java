package dev.kmsposture.testkit.internal.kms.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import org.jspecify.annotations.Nullable;

/**
 * Sign and Verify under an asymmetric key with usage {@code SIGN_VERIFY}, producing exactly what
 * KMS produces, so signatures verify with plain JCA (or OpenSSL) and the public key from
 * GetPublicKey:
 *
 * <ul>
 *   <li>{@code RSASSA_PKCS1_V1_5_SHA_*}: PKCS #1 v1.5 signatures;
 *   <li>{@code RSASSA_PSS_SHA_*}: PSS with the same digest for MGF1 and a salt as long as the
 *       digest (KMS Developer Guide: "a 256-bit salt" for SHA-256, and so on);
 *   <li>{@code ECDSA_SHA_*}: DER-encoded ECDSA signatures;
 *   <li>{@code ED25519_SHA_512}: PureEdDSA over the message ({@code RAW} only);
 *   <li>{@code ED25519_PH_SHA_512}: Ed25519ph; the message is the SHA-512 digest ({@code DIGEST}
 *       only).
 * </ul>
 *
 * <p>With {@code MessageType=DIGEST} the hashing step is skipped: the message must be the digest,
 * of exactly {@link SigningAlgorithm#digestLength()} bytes. The JCA has no "already hashed" mode
 * for RSASSA-PSS, so PSS over a digest is EMSA-PSS (RFC 8017 §9.1) with a raw RSA operation; the
 * tests check it against the JCA's own PSS over the message.
 *
 * <p>The checks come in AWS's order: the model's sizes (message 1–4096 bytes, signature 1–6144),
 * the algorithm against the key spec ({@code InvalidKeyUsageException}), the message type against
 * the algorithm, then the digest length ({@code ValidationException}).
 */
public final class Signatures {
  // DER DigestInfo prefixes of RFC 8017 §9.2, note 1.
  private static final byte[] SHA256_INFO = {
    0x30,
    0x31,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    (byte) 0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x01,
    0x05,
    0x00,
    0x04,
    0x20
  };
  private static final byte[] SHA384_INFO = {
    0x30,
    0x41,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    (byte) 0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x02,
    0x05,
    0x00,
    0x04,
    0x30
  };
  private static final byte[] SHA512_INFO = {
    0x30,
    0x51,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    (byte) 0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x03,
    0x05,
    0x00,
    0x04,
    0x40
  };

  private Signatures() {}

  /**
   * Sign.
   *
   * @throws KmsCryptoException {@code ValidationException} for a message outside 1–4096 bytes, a
   *     message type the algorithm does not take, or a digest of the wrong length; {@code
   *     InvalidKeyUsageException} for an algorithm of another key spec; {@code
   *     UnsupportedOperationException} for {@code EXTERNAL_MU} (ML-DSA only)
   */
  public static byte[] sign(
      KeyMaterial material, SigningAlgorithm algorithm, MessageType messageType, byte[] message) {
    check(material, algorithm, messageType, message);
    try {
      return switch (algorithm.scheme()) {
        case RSA_PKCS1 ->
            messageType == MessageType.RAW
                ? jcaSign(material, rsaName(algorithm), message)
                : jcaSign(material, "NONEwithRSA", digestInfo(algorithm, message));
        case RSA_PSS ->
            messageType == MessageType.RAW
                ? jcaSign(material, "RSASSA-PSS", pss(algorithm), message)
                : pssSignDigest(material, algorithm, message);
        case ECDSA ->
            material.spec().family() == KeySpec.Family.ECC_SECG
                ? Secp256k1.sign(
                    ((ECPrivateKey) material.privateKey()).getS(),
                    ecdsaDigest(algorithm, messageType, message))
                : jcaSign(
                    material,
                    messageType == MessageType.RAW ? ecdsaName(algorithm) : "NONEwithECDSA",
                    message);
        case ED25519 -> jcaSign(material, "Ed25519", message);
        case ED25519_PH ->
            Ed25519.sign(
                material.ed25519Seed(), material.ed25519PublicKey(), Ed25519.DOM2_PREHASH, message);
        case UNSUPPORTED -> throw unsupported(algorithm);
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          String.format("bug in kms-posture: %s signing failed", algorithm.wireName()), e);
    }
  }

  /**
   * Verify: whether {@code signature} is a valid signature of {@code message}. AWS answers an
   * invalid signature with {@code KMSInvalidSignatureException}, never with {@code
   * SignatureValid=false}: see {@link #verifyOrThrow}. A malformed signature is simply invalid.
   *
   * @throws KmsCryptoException as {@link #sign}, and {@code ValidationException} for a signature
   *     outside 1–6144 bytes
   */
  public static boolean verify(
      KeyMaterial material,
      SigningAlgorithm algorithm,
      MessageType messageType,
      byte[] message,
      byte[] signature) {
    Objects.requireNonNull(signature, "signature");
    AwsValidation.requireLength("message", Objects.requireNonNull(message, "message"), 1, 4096);
    AwsValidation.requireLength("signature", signature, 1, 6144);
    check(material, algorithm, messageType, message);
    try {
      return switch (algorithm.scheme()) {
        case RSA_PKCS1 ->
            messageType == MessageType.RAW
                ? jcaVerify(material, rsaName(algorithm), null, message, signature)
                : jcaVerify(
                    material, "NONEwithRSA", null, digestInfo(algorithm, message), signature);
        case RSA_PSS ->
            messageType == MessageType.RAW
                ? jcaVerify(material, "RSASSA-PSS", pss(algorithm), message, signature)
                : pssVerifyDigest(material, algorithm, message, signature);
        case ECDSA ->
            material.spec().family() == KeySpec.Family.ECC_SECG
                ? Secp256k1.verify(
                    ((ECPublicKey) material.publicKey()).getW(),
                    ecdsaDigest(algorithm, messageType, message),
                    signature)
                : jcaVerify(
                    material,
                    messageType == MessageType.RAW ? ecdsaName(algorithm) : "NONEwithECDSA",
                    null,
                    message,
                    signature);
        case ED25519 -> jcaVerify(material, "Ed25519", null, message, signature);
        case ED25519_PH ->
            Ed25519.verify(material.ed25519PublicKey(), Ed25519.DOM2_PREHASH, message, signature);
        case UNSUPPORTED -> throw unsupported(algorithm);
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          String.format("bug in kms-posture: %s verification failed", algorithm.wireName()), e);
    }
  }

  /**
   * Verify as AWS answers it.
   *
   * @throws KmsCryptoException {@code KMSInvalidSignatureException} if the signature does not
   *     verify, and what {@link #verify} throws
   */
  public static void verifyOrThrow(
      KeyMaterial material,
      SigningAlgorithm algorithm,
      MessageType messageType,
      byte[] message,
      byte[] signature) {
    if (!verify(material, algorithm, messageType, message, signature)) {
      throw KmsCryptoException.invalidSignature(
          String.format(
              "the %d-byte signature is not a valid %s signature of the %s message under key"
                  + " material [%s]",
              signature.length,
              algorithm.wireName(),
              messageType.wireName(),
              material.id().value()));
    }
  }

  private static void check(
      KeyMaterial material, SigningAlgorithm algorithm, MessageType messageType, byte[] message) {
    Objects.requireNonNull(material, "material");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(messageType, "messageType");
    Objects.requireNonNull(message, "message");
    AwsValidation.requireLength("message", message, 1, 4096);
    KeySpec spec = material.spec();
    spec.requireAllowed(algorithm);
    if (messageType == MessageType.EXTERNAL_MU) {
      // EXTERNAL_MU belongs to ML-DSA, which the embedded KMS cannot do; for every other spec AWS
      // refuses the message type.
      throw KmsCryptoException.validation(
          String.format(
              "Message type %s is incompatible with key spec %s.",
              messageType.wireName(), spec.wireName()));
    }
    boolean rawOnly = algorithm == SigningAlgorithm.ED25519_SHA_512;
    boolean digestOnly = algorithm == SigningAlgorithm.ED25519_PH_SHA_512;
    if ((rawOnly && messageType != MessageType.RAW)
        || (digestOnly && messageType != MessageType.DIGEST)) {
      throw KmsCryptoException.validation(
          String.format(
              "Message type %s is incompatible with algorithm %s.",
              messageType.wireName(), algorithm.wireName()));
    }
    if (messageType == MessageType.DIGEST && message.length != algorithm.digestLength()) {
      throw KmsCryptoException.validation(
          String.format("Digest is invalid length for algorithm %s.", algorithm.wireName()));
    }
  }

  private static KmsCryptoException unsupported(SigningAlgorithm algorithm) {
    return KmsCryptoException.unsupportedByEmbeddedKms(
        String.format("signing algorithm [%s]", algorithm.wireName()),
        "its key specs are not available on JDK 17");
  }

  private static byte[] jcaSign(KeyMaterial material, String name, byte[] message)
      throws GeneralSecurityException {
    return jcaSign(material, name, null, message);
  }

  private static byte[] jcaSign(
      KeyMaterial material, String name, @Nullable PSSParameterSpec pss, byte[] message)
      throws GeneralSecurityException {
    Signature signer = Signature.getInstance(name);
    if (pss != null) {
      signer.setParameter(pss);
    }
    signer.initSign(material.privateKey(), CryptoRandom.get());
    signer.update(message);
    return signer.sign();
  }

  private static boolean jcaVerify(
      KeyMaterial material,
      String name,
      @Nullable PSSParameterSpec pss,
      byte[] message,
      byte[] signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance(name);
    if (pss != null) {
      verifier.setParameter(pss);
    }
    verifier.initVerify(material.publicKey());
    verifier.update(message);
    try {
      return verifier.verify(signature);
    } catch (java.security.SignatureException | IllegalArgumentException e) {
      // A signature that does not even parse (bad DER, wrong length) is an invalid signature.
      return false;
    }
  }

  private static String rsaName(SigningAlgorithm algorithm) {
    return algorithm.digest().replace("-", "") + "withRSA";
  }

  // The digest ECDSA signs: of the message (RAW), or the message itself (DIGEST).
  private static byte[] ecdsaDigest(
      SigningAlgorithm algorithm, MessageType messageType, byte[] message)
      throws GeneralSecurityException {
    return messageType == MessageType.RAW
        ? MessageDigest.getInstance(algorithm.digest()).digest(message)
        : message;
  }

  private static String ecdsaName(SigningAlgorithm algorithm) {
    return algorithm.digest().replace("-", "") + "withECDSA";
  }

  private static PSSParameterSpec pss(SigningAlgorithm algorithm) {
    MGF1ParameterSpec mgf1 =
        switch (algorithm.digestLength()) {
          case 32 -> MGF1ParameterSpec.SHA256;
          case 48 -> MGF1ParameterSpec.SHA384;
          default -> MGF1ParameterSpec.SHA512;
        };
    return new PSSParameterSpec(
        algorithm.digest(),
        "MGF1",
        mgf1,
        algorithm.digestLength(),
        PSSParameterSpec.TRAILER_FIELD_BC);
  }

  private static byte[] digestInfo(SigningAlgorithm algorithm, byte[] digest) {
    byte[] prefix =
        switch (algorithm.digestLength()) {
          case 32 -> SHA256_INFO;
          case 48 -> SHA384_INFO;
          default -> SHA512_INFO;
        };
    byte[] info = Arrays.copyOf(prefix, prefix.length + digest.length);
    System.arraycopy(digest, 0, info, prefix.length, digest.length);
    return info;
  }

  // EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of a digest, then RSASP1 with the private key.
  private static byte[] pssSignDigest(
      KeyMaterial material, SigningAlgorithm algorithm, byte[] digest)
      throws GeneralSecurityException {
    int hashLength = algorithm.digestLength();
    int modulusBits = ((RSAKey) material.privateKey()).getModulus().bitLength();
    int emBits = modulusBits - 1;
    int emLength = (emBits + 7) / 8;
    byte[] salt = CryptoRandom.bytes(hashLength);
    byte[] h = pssHash(algorithm, digest, salt);
    int dbLength = emLength - hashLength - 1;
    byte[] db = new byte[dbLength];
    db[dbLength - hashLength - 1] = 0x01;
    System.arraycopy(salt, 0, db, dbLength - hashLength, hashLength);
    byte[] mask = mgf1(algorithm, h, dbLength);
    for (int i = 0; i < dbLength; i++) {
      db[i] ^= mask[i];
    }
    db[0] &= (byte) (0xff >>> (8 * emLength - emBits));
    byte[] em = new byte[(modulusBits + 7) / 8];
    int offset = em.length - emLength;
    System.arraycopy(db, 0, em, offset, dbLength);
    System.arraycopy(h, 0, em, offset + dbLength, hashLength);
    em[em.length - 1] = (byte) 0xbc;
    Cipher rsa = Cipher.getInstance("RSA/ECB/NoPadding");
    rsa.init(Cipher.ENCRYPT_MODE, material.privateKey());
    return rsa.doFinal(em);
  }

  // RSAVP1 with the public key, then EMSA-PSS-VERIFY (RFC 8017 §9.1.2) against a digest.
  private static boolean pssVerifyDigest(
      KeyMaterial material, SigningAlgorithm algorithm, byte[] digest, byte[] signature)
      throws GeneralSecurityException {
    int hashLength = algorithm.digestLength();
    int modulusBits = ((RSAKey) material.publicKey()).getModulus().bitLength();
    int modulusBytes = (modulusBits + 7) / 8;
    if (signature.length != modulusBytes) {
      return false;
    }
    byte[] m;
    try {
      Cipher rsa = Cipher.getInstance("RSA/ECB/NoPadding");
      rsa.init(Cipher.DECRYPT_MODE, material.publicKey());
      m = rsa.doFinal(signature);
    } catch (javax.crypto.BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
      return false; // the signature is not below the modulus
    }
    int emBits = modulusBits - 1;
    int emLength = (emBits + 7) / 8;
    if (m.length < emLength) {
      m = leftPad(m, modulusBytes);
    }
    byte[] em = Arrays.copyOfRange(m, m.length - emLength, m.length);
    for (int i = 0; i < m.length - emLength; i++) {
      if (m[i] != 0) {
        return false;
      }
    }
    int dbLength = emLength - hashLength - 1;
    if (emLength < 2 * hashLength + 2 || em[emLength - 1] != (byte) 0xbc) {
      return false;
    }
    int topMask = 0xff << (8 - (8 * emLength - emBits)) & 0xff;
    if ((em[0] & topMask) != 0) {
      return false;
    }
    byte[] h = Arrays.copyOfRange(em, dbLength, dbLength + hashLength);
    byte[] db = Arrays.copyOf(em, dbLength);
    byte[] mask = mgf1(algorithm, h, dbLength);
    for (int i = 0; i < dbLength; i++) {
      db[i] ^= mask[i];
    }
    db[0] &= (byte) (0xff >>> (8 * emLength - emBits));
    int separator = dbLength - hashLength - 1;
    for (int i = 0; i < separator; i++) {
      if (db[i] != 0) {
        return false;
      }
    }
    if (db[separator] != 0x01) {
      return false;
    }
    byte[] salt = Arrays.copyOfRange(db, dbLength - hashLength, dbLength);
    return MessageDigest.isEqual(h, pssHash(algorithm, digest, salt));
  }

  private static byte[] pssHash(SigningAlgorithm algorithm, byte[] digest, byte[] salt)
      throws GeneralSecurityException {
    MessageDigest hash = MessageDigest.getInstance(algorithm.digest());
    hash.update(new byte[8]);
    hash.update(digest);
    hash.update(salt);
    return hash.digest();
  }

  private static byte[] mgf1(SigningAlgorithm algorithm, byte[] seed, int length)
      throws GeneralSecurityException {
    MessageDigest hash = MessageDigest.getInstance(algorithm.digest());
    byte[] mask = new byte[length];
    int filled = 0;
    for (int counter = 0; filled < length; counter++) {
      hash.update(seed);
      hash.update(ByteCodec.u32(counter));
      byte[] block = hash.digest();
      int n = Math.min(block.length, length - filled);
      System.arraycopy(block, 0, mask, filled, n);
      filled += n;
    }
    return mask;
  }

  private static byte[] leftPad(byte[] value, int length) {
    byte[] padded = new byte[length];
    System.arraycopy(value, 0, padded, length - value.length, value.length);
    return padded;
  }
}
