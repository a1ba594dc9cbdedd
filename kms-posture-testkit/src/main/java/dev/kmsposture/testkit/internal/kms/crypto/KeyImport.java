package dev.kmsposture.testkit.internal.kms.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The import workflow: GetParametersForImport hands out an RSA wrapping public key and an import
 * token; ImportKeyMaterial takes the wrapped material and the token back, unwraps the material and
 * checks that it fits the key spec.
 *
 * <p>The import token is self-contained: the wrapping private key, the KMS key it was issued for,
 * the wrapping algorithm and the end of its 24 hours, sealed with AES-256-GCM under a secret that
 * only this {@code KeyImport} knows. So the engine keeps no state per GetParametersForImport, a
 * token opens only with the {@code KeyImport} that issued it, names one key, and cannot be altered;
 * material wrapped for another public key does not unwrap. Create one {@code KeyImport} per engine.
 *
 * <pre>{@code
 * ImportParameters parameters =
 *     keyImport.parametersForImport(KeySpec.SYMMETRIC_DEFAULT, keyArn,
 *         WrappingAlgorithm.RSA_AES_KEY_WRAP_SHA_256, WrappingKeySpec.RSA_4096, clock.instant());
 * // ... the caller wraps its material with parameters.publicKey() ...
 * KeyMaterial material = keyImport.importKeyMaterial(KeySpec.SYMMETRIC_DEFAULT, keyArn,
 *     importToken, encryptedKeyMaterial, clock.instant());
 * }</pre>
 *
 * <p>Wrapping, as AWS documents it ("Encrypt the key material"): with {@code RSAES_OAEP_SHA_*} the
 * material itself is RSAES-OAEP encrypted under the wrapping key (hash and MGF1 the same digest,
 * empty label). With {@code RSA_AES_KEY_WRAP_SHA_*} the caller makes an AES key, encrypts it with
 * RSAES-OAEP under the wrapping key, wraps the material with it by AES key wrap with padding (RFC
 * 5649), and sends the two concatenated (the RSA part first, modulus length). Thread-safe.
 */
public final class KeyImport {
  /** How long a wrapping public key and its import token are valid. */
  public static final Duration PARAMETERS_VALIDITY = Duration.ofHours(24);

  /** How far ahead ImportKeyMaterial's {@code ValidTo} may lie (API reference: 365 days). */
  public static final Duration MAX_VALID_TO = Duration.ofDays(365);

  private static final byte[] TOKEN_MAGIC = {'k', 'i', 1};
  private static final byte[] TOKEN_AAD =
      "kms-posture import token v1".getBytes(StandardCharsets.US_ASCII);
  private static final int IV_LENGTH = 12;

  private final SecretKeySpec tokenKey;

  private KeyImport(SecretKeySpec tokenKey) {
    this.tokenKey = tokenKey;
  }

  /** A new {@code KeyImport} with a fresh token secret. */
  public static KeyImport create() {
    byte[] secret = CryptoRandom.bytes(32);
    try {
      return new KeyImport(new SecretKeySpec(secret, "AES"));
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /**
   * GetParametersForImport: a fresh RSA wrapping key pair of {@code wrappingKeySpec}, and a token
   * that binds its private half to {@code keyId} and {@code wrappingAlgorithm} until {@code now}
   * plus 24 hours.
   *
   * @param keySpec the spec of the KMS key (origin {@code EXTERNAL}) the material is for
   * @param keyId how the engine names the key; ImportKeyMaterial must pass the same string
   * @throws KmsCryptoException {@code ValidationException} for {@code RSAES_PKCS1_V1_5} (refused
   *     since October 10, 2023), {@code RSAES_OAEP_*} with an RSA key (RSA private keys need an
   *     RSA_AES algorithm) and {@code RSAES_OAEP_*} with {@code RSA_2048} for {@code
   *     ECC_NIST_P521}; {@code UnsupportedOperationException} for {@code SM2}/{@code SM2PKE} and
   *     for key specs the JDK cannot do
   */
  public ImportParameters parametersForImport(
      KeySpec keySpec,
      String keyId,
      WrappingAlgorithm wrappingAlgorithm,
      WrappingKeySpec wrappingKeySpec,
      Instant now) {
    Objects.requireNonNull(keySpec, "keySpec");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(wrappingAlgorithm, "wrappingAlgorithm");
    Objects.requireNonNull(wrappingKeySpec, "wrappingKeySpec");
    Objects.requireNonNull(now, "now");
    keySpec.requireSupported();
    requireCombination(keySpec, wrappingAlgorithm, wrappingKeySpec);
    KeyPair wrapping = rsaKeyPair(wrappingKeySpec.bits());
    Instant validTo = now.plus(PARAMETERS_VALIDITY);
    byte[] token = seal(keyId, wrappingAlgorithm, validTo, wrapping.getPrivate().getEncoded());
    return new ImportParameters(wrapping.getPublic().getEncoded(), token, validTo);
  }

  /**
   * ImportKeyMaterial: unwraps {@code encryptedKeyMaterial} with the wrapping key inside {@code
   * importToken} and returns it as imported material of {@code keySpec} (not expiring; apply {@link
   * KeyMaterial#expiringAt} for {@code KEY_MATERIAL_EXPIRES}).
   *
   * @param keyId the same string that was given to {@link #parametersForImport}
   * @throws KmsCryptoException {@code ValidationException} for a token or material outside 1–6144
   *     bytes; {@code InvalidImportTokenException} for a token this {@code KeyImport} did not
   *     issue, or issued for another key; {@code ExpiredImportTokenException} after its 24 hours;
   *     {@code InvalidCiphertextException} if the material does not unwrap (another wrapping key,
   *     another algorithm, altered); {@code IncorrectKeyMaterialException} if it does not fit the
   *     key spec
   */
  public KeyMaterial importKeyMaterial(
      KeySpec keySpec, String keyId, byte[] importToken, byte[] encryptedKeyMaterial, Instant now) {
    Objects.requireNonNull(keySpec, "keySpec");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(importToken, "importToken");
    Objects.requireNonNull(encryptedKeyMaterial, "encryptedKeyMaterial");
    Objects.requireNonNull(now, "now");
    AwsValidation.requireLength("importToken", importToken, 1, 6144);
    AwsValidation.requireLength("encryptedKeyMaterial", encryptedKeyMaterial, 1, 6144);
    keySpec.requireSupported();
    Token token = open(importToken);
    if (!token.keyId().equals(keyId)) {
      throw KmsCryptoException.invalidImportToken(
          String.format("import token was issued for key [%s], not [%s]", token.keyId(), keyId));
    }
    if (!now.isBefore(token.validTo())) {
      throw KmsCryptoException.expiredImportToken(
          String.format("parameters were valid until %s; it is %s", token.validTo(), now));
    }
    byte[] material = unwrap(token, encryptedKeyMaterial);
    try {
      return KeyMaterial.imported(keySpec, keyId, material);
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /**
   * Checks ImportKeyMaterial's {@code ValidTo} for {@code KEY_MATERIAL_EXPIRES}: "a future date and
   * time. The maximum value is 365 days from the request date" (API reference).
   *
   * @throws KmsCryptoException {@code ValidationException} otherwise
   */
  public static void requireValidTo(Instant validTo, Instant now) {
    if (!validTo.isAfter(now)) {
      throw KmsCryptoException.validation(
          String.format("ValidTo [%s] must be in the future (it is %s)", validTo, now));
    }
    if (validTo.isAfter(now.plus(MAX_VALID_TO))) {
      throw KmsCryptoException.validation(
          String.format(
              "ValidTo [%s] must be at most 365 days after the request (%s)", validTo, now));
    }
  }

  private static void requireCombination(
      KeySpec keySpec, WrappingAlgorithm algorithm, WrappingKeySpec wrappingKeySpec) {
    if (wrappingKeySpec == WrappingKeySpec.SM2 || algorithm == WrappingAlgorithm.SM2PKE) {
      throw KmsCryptoException.unsupportedByEmbeddedKms(
          String.format(
              "wrapping [%s] with [%s]", wrappingKeySpec.wireName(), algorithm.wireName()),
          "SM2 is offered in China Regions only and the JDK has no SM2");
    }
    if (algorithm == WrappingAlgorithm.RSAES_PKCS1_V1_5) {
      throw KmsCryptoException.validation(
          "The RSAES_PKCS1_V1_5 wrapping algorithm is not supported since October 10, 2023; use"
              + " RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.");
    }
    boolean directOaep = !algorithm.isAesKeyWrap();
    if (directOaep && keySpec.family() == KeySpec.Family.RSA) {
      throw KmsCryptoException.validation(
          String.format(
              "Wrapping algorithm %s cannot wrap %s key material; RSA private keys need"
                  + " RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.",
              algorithm.wireName(), keySpec.wireName()));
    }
    if (directOaep
        && keySpec == KeySpec.ECC_NIST_P521
        && wrappingKeySpec == WrappingKeySpec.RSA_2048) {
      throw KmsCryptoException.validation(
          String.format(
              "Wrapping algorithm %s with wrapping key spec RSA_2048 cannot wrap ECC_NIST_P521 key"
                  + " material; use a larger wrapping key or an RSA_AES_KEY_WRAP algorithm.",
              algorithm.wireName()));
    }
  }

  private byte[] unwrap(Token token, byte[] encrypted) {
    try {
      PrivateKey wrappingKey =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(token.wrappingKey()));
      int modulusBytes =
          (((java.security.interfaces.RSAKey) wrappingKey).getModulus().bitLength() + 7) / 8;
      String digest = token.algorithm().oaepDigest();
      if (!token.algorithm().isAesKeyWrap()) {
        if (encrypted.length != modulusBytes) {
          throw KmsCryptoException.invalidCiphertext(
              String.format(
                  "%s key material must be %d bytes (the wrapping key's modulus), not %d",
                  token.algorithm().wireName(), modulusBytes, encrypted.length));
        }
        return RsaEncryption.oaepCipher(Cipher.DECRYPT_MODE, wrappingKey, digest)
            .doFinal(encrypted);
      }
      if (encrypted.length <= modulusBytes + 8) {
        throw KmsCryptoException.invalidCiphertext(
            String.format(
                "%s key material of %d bytes is too short: it is the %d-byte RSA-OAEP encrypted AES"
                    + " key followed by the AES-KWP wrapped material",
                token.algorithm().wireName(), encrypted.length, modulusBytes));
      }
      byte[] aesKey =
          RsaEncryption.oaepCipher(Cipher.DECRYPT_MODE, wrappingKey, digest)
              .doFinal(encrypted, 0, modulusBytes);
      if (aesKey.length != 16 && aesKey.length != 24 && aesKey.length != 32) {
        throw KmsCryptoException.invalidCiphertext(
            String.format(
                "the RSA-OAEP part holds %d bytes, not an AES key (16, 24 or 32 bytes)",
                aesKey.length));
      }
      Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding");
      kwp.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
      Arrays.fill(aesKey, (byte) 0);
      return kwp.doFinal(encrypted, modulusBytes, encrypted.length - modulusBytes);
    } catch (GeneralSecurityException e) {
      throw KmsCryptoException.invalidCiphertext(
          String.format(
              "the key material does not unwrap with %s and this import token's wrapping key"
                  + " (wrapped for another public key, with another algorithm, or altered)",
              token.algorithm().wireName()));
    }
  }

  @SuppressWarnings("ArrayRecordComponent") // a private token's fields, never compared
  private record Token(
      String keyId, WrappingAlgorithm algorithm, Instant validTo, byte[] wrappingKey) {}

  // Token plaintext: u16 n | key id (n bytes UTF-8) | u8 algorithm | u64 validTo (epoch millis) |
  // wrapping private key (PKCS#8).
  private byte[] seal(
      String keyId, WrappingAlgorithm algorithm, Instant validTo, byte[] wrappingKey) {
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    if (id.length == 0 || id.length > 2048) {
      throw new IllegalArgumentException(
          String.format("key id has %d UTF-8 bytes; an import token holds 1 to 2048", id.length));
    }
    byte[] plain = new byte[2 + id.length + 1 + 8 + wrappingKey.length];
    ByteCodec.putU16(plain, 0, id.length);
    System.arraycopy(id, 0, plain, 2, id.length);
    int offset = 2 + id.length;
    // The token is sealed and opened by this process: the ordinal is read back by the same enum.
    @SuppressWarnings("EnumOrdinal")
    byte code = (byte) algorithm.ordinal();
    plain[offset] = code;
    long millis = validTo.toEpochMilli();
    ByteCodec.putU32(plain, offset + 1, (int) (millis >>> 32));
    ByteCodec.putU32(plain, offset + 5, (int) millis);
    System.arraycopy(wrappingKey, 0, plain, offset + 9, wrappingKey.length);
    byte[] iv = CryptoRandom.bytes(IV_LENGTH);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, tokenKey, new GCMParameterSpec(128, iv));
      gcm.updateAAD(TOKEN_AAD);
      byte[] sealed = gcm.doFinal(plain);
      byte[] token = new byte[TOKEN_MAGIC.length + IV_LENGTH + sealed.length];
      System.arraycopy(TOKEN_MAGIC, 0, token, 0, TOKEN_MAGIC.length);
      System.arraycopy(iv, 0, token, TOKEN_MAGIC.length, IV_LENGTH);
      System.arraycopy(sealed, 0, token, TOKEN_MAGIC.length + IV_LENGTH, sealed.length);
      return token;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bug in kms-posture: cannot seal an import token", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private Token open(byte[] token) {
    int sealedOffset = TOKEN_MAGIC.length + IV_LENGTH;
    if (token.length < sealedOffset + 16
        || !Arrays.equals(token, 0, TOKEN_MAGIC.length, TOKEN_MAGIC, 0, TOKEN_MAGIC.length)) {
      throw KmsCryptoException.invalidImportToken(
          String.format(
              "import token of %d bytes was not issued by GetParametersForImport of this KMS",
              token.length));
    }
    byte[] plain;
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE,
          tokenKey,
          new GCMParameterSpec(128, token, TOKEN_MAGIC.length, IV_LENGTH));
      gcm.updateAAD(TOKEN_AAD);
      plain = gcm.doFinal(token, sealedOffset, token.length - sealedOffset);
    } catch (AEADBadTagException e) {
      throw KmsCryptoException.invalidImportToken(
          "import token does not authenticate: it was altered, or issued by another KMS instance");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bug in kms-posture: cannot open an import token", e);
    }
    try {
      int idLength = ByteCodec.u16(plain, 0);
      String keyId = new String(plain, 2, idLength, StandardCharsets.UTF_8);
      int offset = 2 + idLength;
      @SuppressWarnings("EnumOrdinal") // written by seal(...) of this process
      WrappingAlgorithm algorithm = WrappingAlgorithm.values()[plain[offset]];
      long millis =
          ((long) ByteCodec.u32(plain, offset + 1) << 32)
              | (ByteCodec.u32(plain, offset + 5) & 0xffffffffL);
      byte[] wrappingKey = Arrays.copyOfRange(plain, offset + 9, plain.length);
      return new Token(keyId, algorithm, Instant.ofEpochMilli(millis), wrappingKey);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private static KeyPair rsaKeyPair(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(
          new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), CryptoRandom.get());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bug in kms-posture: cannot generate an RSA wrapping key", e);
    }
  }

  /**
   * What GetParametersForImport returns: the wrapping public key (DER SubjectPublicKeyInfo), the
   * import token, and {@code ParametersValidTo}.
   */
  public static final class ImportParameters {
    private final byte[] publicKey;
    private final byte[] importToken;
    private final Instant parametersValidTo;

    ImportParameters(byte[] publicKey, byte[] importToken, Instant parametersValidTo) {
      this.publicKey = publicKey.clone();
      this.importToken = importToken.clone();
      this.parametersValidTo = parametersValidTo;
    }

    /** The wrapping public key, DER SubjectPublicKeyInfo (a copy). */
    public byte[] publicKey() {
      return publicKey.clone();
    }

    /** The import token (a copy); it is opaque and at most 6144 bytes. */
    public byte[] importToken() {
      return importToken.clone();
    }

    /** When the public key and the token stop being valid: 24 hours after the request. */
    public Instant parametersValidTo() {
      return parametersValidTo;
    }

    @Override
    public String toString() {
      return String.format(
          "ImportParameters[publicKey=%d bytes, importToken=%d bytes, parametersValidTo=%s]",
          publicKey.length, importToken.length, parametersValidTo);
    }
  }
}
