package dev.kmsposture.testkit.internal.kms.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The secret behind one key material of a KMS key: an AES-256 key, an HMAC key, or a key pair, with
 * its {@link KeyMaterialId}, its origin, and (for imported material) when it expires.
 *
 * <p>Immutable and thread-safe. The bytes never appear in {@link #toString()}, in exception
 * messages or in logs; the only way out is {@link #insecureEncoded()}, for snapshots and seeds.
 * Equality is identity: two materials are the same material when their ids are equal.
 *
 * <pre>{@code
 * KeyMaterial generated = KeyMaterial.generate(KeySpec.SYMMETRIC_DEFAULT);
 * KeyMaterial imported = KeyMaterial.imported(KeySpec.HMAC_256, keyId, unwrappedBytes)
 *     .expiringAt(validTo);
 * }</pre>
 */
public final class KeyMaterial {
  // SubjectPublicKeyInfo of an Ed25519 key is this prefix and the 32-byte point (RFC 8410).
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private final KeySpec spec;
  private final KeyMaterialId id;
  private final KeyMaterialOrigin origin;
  private final @Nullable Instant validTo;
  private final @Nullable SecretKeySpec secret;
  private final @Nullable PrivateKey privateKey;
  private final @Nullable PublicKey publicKey;

  private KeyMaterial(
      KeySpec spec,
      KeyMaterialId id,
      KeyMaterialOrigin origin,
      @Nullable Instant validTo,
      @Nullable SecretKeySpec secret,
      @Nullable PrivateKey privateKey,
      @Nullable PublicKey publicKey) {
    this.spec = spec;
    this.id = id;
    this.origin = origin;
    this.validTo = validTo;
    this.secret = secret;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /**
   * New material that the embedded KMS generates for {@code spec} (origin {@code AWS_KMS}), with a
   * random id.
   *
   * @throws KmsCryptoException {@code UnsupportedOperationException} for specs the JDK cannot do
   */
  public static KeyMaterial generate(KeySpec spec) {
    Objects.requireNonNull(spec, "spec");
    spec.requireSupported();
    KeyMaterialId id = KeyMaterialId.random();
    if (!spec.isAsymmetric()) {
      byte[] bytes = CryptoRandom.bytes(spec.secretLength());
      try {
        return new KeyMaterial(
            spec, id, KeyMaterialOrigin.AWS_KMS, null, secretKey(spec, bytes), null, null);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }
    KeyPair pair = generateKeyPair(spec);
    return new KeyMaterial(
        spec, id, KeyMaterialOrigin.AWS_KMS, null, null, pair.getPrivate(), pair.getPublic());
  }

  /**
   * Material imported into the KMS key {@code keyId} (origin {@code EXTERNAL}), checked against the
   * spec: 32 bytes for {@code SYMMETRIC_DEFAULT}; 28–64, 32–64, 48–128 and 64–128 bytes for {@code
   * HMAC_224/256/384/512}; a PKCS#8 DER private key of the spec's algorithm, size and curve for key
   * pairs (AWS derives the public key; so do we). The id is computed from {@code keyId} and the
   * material, so the same material imported again has the same id. It does not expire until {@link
   * #expiringAt(Instant)} says so.
   *
   * @throws KmsCryptoException {@code IncorrectKeyMaterialException} if the material does not fit
   *     the spec; {@code UnsupportedOperationException} for specs the JDK cannot do
   */
  public static KeyMaterial imported(KeySpec spec, String keyId, byte[] encoded) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(encoded, "encoded");
    spec.requireSupported();
    KeyMaterial parsed = parse(spec, KeyMaterialId.random(), KeyMaterialOrigin.EXTERNAL, encoded);
    byte[] canonical = parsed.insecureEncoded();
    try {
      return parsed.withId(KeyMaterialId.forImported(keyId, canonical));
    } finally {
      Arrays.fill(canonical, (byte) 0);
    }
  }

  /**
   * Material read back from a snapshot or seed file: {@code encoded} as {@link #insecureEncoded()}
   * wrote it, with its id and origin.
   *
   * @throws KmsCryptoException {@code IncorrectKeyMaterialException} if the bytes do not fit the
   *     spec; {@code UnsupportedOperationException} for specs the JDK cannot do
   */
  public static KeyMaterial restore(
      KeySpec spec, KeyMaterialId id, KeyMaterialOrigin origin, byte[] encoded) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(encoded, "encoded");
    spec.requireSupported();
    return parse(spec, id, origin, encoded);
  }

  /** The key spec. */
  public KeySpec spec() {
    return spec;
  }

  /** The key material id. */
  public KeyMaterialId id() {
    return id;
  }

  /** Whether KMS generated the material or it was imported. */
  public KeyMaterialOrigin origin() {
    return origin;
  }

  /** When imported material expires ({@code ValidTo}); empty if it does not expire. */
  public Optional<Instant> validTo() {
    return Optional.ofNullable(validTo);
  }

  /** Whether the material has expired at {@code now} (never, without {@link #validTo()}). */
  public boolean isExpiredAt(Instant now) {
    return validTo != null && !now.isBefore(validTo);
  }

  /**
   * This imported material, expiring at {@code validTo} ({@code KEY_MATERIAL_EXPIRES}).
   *
   * @throws IllegalStateException if the material was not imported
   */
  public KeyMaterial expiringAt(Instant validTo) {
    Objects.requireNonNull(validTo, "validTo");
    requireImported("expiringAt");
    return new KeyMaterial(spec, id, origin, validTo, secret, privateKey, publicKey);
  }

  /**
   * This imported material, never expiring ({@code KEY_MATERIAL_DOES_NOT_EXPIRE}).
   *
   * @throws IllegalStateException if the material was not imported
   */
  public KeyMaterial withoutExpiry() {
    requireImported("withoutExpiry");
    return new KeyMaterial(spec, id, origin, null, secret, privateKey, publicKey);
  }

  /**
   * The public key as a DER-encoded X.509 SubjectPublicKeyInfo, as GetPublicKey returns it.
   *
   * @throws IllegalStateException for symmetric and HMAC material
   */
  public byte[] publicKeyDer() {
    return publicKey().getEncoded();
  }

  /**
   * The secret itself: the raw key for symmetric and HMAC material, the PKCS#8 DER private key for
   * key pairs. For snapshots and seed files only ({@link #restore} reads it back); never log it.
   */
  public byte[] insecureEncoded() {
    if (secret != null) {
      return secret.getEncoded();
    }
    return privateKey().getEncoded();
  }

  /** Whether {@code other} holds the same secret (compared in constant time). */
  public boolean hasSameSecretAs(KeyMaterial other) {
    byte[] mine = insecureEncoded();
    byte[] theirs = other.insecureEncoded();
    try {
      return spec == other.spec && MessageDigest.isEqual(mine, theirs);
    } finally {
      Arrays.fill(mine, (byte) 0);
      Arrays.fill(theirs, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "KeyMaterial[spec="
        + spec.wireName()
        + ", id="
        + id.value()
        + ", origin="
        + origin.wireName()
        + (validTo == null ? "" : ", validTo=" + validTo)
        + ", secret=<redacted>]";
  }

  SecretKeySpec secretKey() {
    if (secret == null) {
      throw new IllegalStateException(
          String.format("key spec [%s] has a key pair, not a secret key", spec.wireName()));
    }
    return secret;
  }

  PrivateKey privateKey() {
    if (privateKey == null) {
      throw new IllegalStateException(
          String.format("key spec [%s] has a secret key, not a key pair", spec.wireName()));
    }
    return privateKey;
  }

  PublicKey publicKey() {
    if (publicKey == null) {
      throw new IllegalStateException(
          String.format("key spec [%s] has a secret key, not a key pair", spec.wireName()));
    }
    return publicKey;
  }

  /** The 32-byte private key (seed) of Ed25519 material. */
  byte[] ed25519Seed() {
    if (privateKey() instanceof EdECPrivateKey edPrivate) {
      return edPrivate
          .getBytes()
          .orElseThrow(
              () -> new IllegalStateException("bug in kms-posture: Ed25519 key without its seed"));
    }
    throw new IllegalStateException(
        String.format("key spec [%s] is not an Ed25519 key", spec.wireName()));
  }

  /** The 32-byte encoded public point of Ed25519 material. */
  byte[] ed25519PublicKey() {
    byte[] spki = publicKeyDer();
    return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
  }

  private KeyMaterial withId(KeyMaterialId newId) {
    return new KeyMaterial(spec, newId, origin, validTo, secret, privateKey, publicKey);
  }

  private void requireImported(String method) {
    if (origin != KeyMaterialOrigin.EXTERNAL) {
      throw new IllegalStateException(
          String.format(
              "%s applies to imported key material only; material [%s] has origin [%s]",
              method, id.value(), origin.wireName()));
    }
  }

  private static SecretKeySpec secretKey(KeySpec spec, byte[] bytes) {
    String algorithm =
        spec.family() == KeySpec.Family.SYMMETRIC ? "AES" : spec.macAlgorithms().get(0).jcaName();
    return new SecretKeySpec(bytes, algorithm);
  }

  private static KeyPair generateKeyPair(KeySpec spec) {
    if (spec.family() == KeySpec.Family.ECC_SECG) {
      return Secp256k1.generateKeyPair();
    }
    try {
      KeyPairGenerator generator;
      switch (spec.family()) {
        case RSA -> {
          generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(
              new RSAKeyGenParameterSpec(spec.bits(), RSAKeyGenParameterSpec.F4),
              CryptoRandom.get());
        }
        case ECC_NIST -> {
          generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec(spec.curve()), CryptoRandom.get());
        }
        case EDWARDS -> {
          generator = KeyPairGenerator.getInstance("Ed25519");
          generator.initialize(NamedParameterSpec.ED25519, CryptoRandom.get());
        }
        default ->
            throw new IllegalStateException(
                String.format(
                    "bug in kms-posture: no key pair generator for [%s]", spec.wireName()));
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          String.format("bug in kms-posture: the JDK cannot generate [%s] keys", spec.wireName()),
          e);
    }
  }

  private static KeyMaterial parse(
      KeySpec spec, KeyMaterialId id, KeyMaterialOrigin origin, byte[] encoded) {
    return switch (spec.family()) {
      case SYMMETRIC, HMAC -> {
        requireSecretLength(spec, encoded.length);
        yield new KeyMaterial(spec, id, origin, null, secretKey(spec, encoded), null, null);
      }
      case RSA -> {
        RSAPrivateCrtKey rsa = parsePrivate(spec, "RSA", encoded, RSAPrivateCrtKey.class);
        if (rsa.getModulus().bitLength() != spec.bits()) {
          throw KmsCryptoException.incorrectKeyMaterial(
              String.format(
                  "imported RSA key has a %d-bit modulus; key spec [%s] needs %d bits",
                  rsa.getModulus().bitLength(), spec.wireName(), spec.bits()));
        }
        PublicKey pub =
            publicFrom(
                spec, "RSA", new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        requireConsistentPair(spec, rsa, pub, "SHA256withRSA");
        yield new KeyMaterial(spec, id, origin, null, null, rsa, pub);
      }
      case ECC_NIST -> {
        ECPrivateKey ec = parsePrivate(spec, "EC", encoded, ECPrivateKey.class);
        ECParameterSpec expected = curveParameters(spec.curve());
        if (!sameCurve(ec.getParams(), expected)) {
          throw KmsCryptoException.incorrectKeyMaterial(
              String.format(
                  "imported EC key is not on curve [%s] that key spec [%s] needs",
                  spec.curve(), spec.wireName()));
        }
        if (ec.getS().signum() <= 0 || ec.getS().compareTo(expected.getOrder()) >= 0) {
          throw KmsCryptoException.incorrectKeyMaterial(
              "imported EC private scalar is outside [1, n-1]");
        }
        yield new KeyMaterial(spec, id, origin, null, null, ec, ecPublicKey(spec, ec, expected));
      }
      case ECC_SECG -> {
        ECPrivateKey ec = parsePrivate(spec, "EC", encoded, ECPrivateKey.class);
        if (!sameCurve(ec.getParams(), Secp256k1.PARAMS)) {
          throw KmsCryptoException.incorrectKeyMaterial(
              String.format(
                  "imported EC key is not on curve [%s] that key spec [%s] needs",
                  spec.curve(), spec.wireName()));
        }
        if (ec.getS().signum() <= 0 || ec.getS().compareTo(Secp256k1.PARAMS.getOrder()) >= 0) {
          throw KmsCryptoException.incorrectKeyMaterial(
              "imported EC private scalar is outside [1, n-1]");
        }
        yield new KeyMaterial(spec, id, origin, null, null, ec, Secp256k1.publicKey(ec.getS()));
      }
      case EDWARDS -> {
        EdECPrivateKey ed = parsePrivate(spec, "Ed25519", encoded, EdECPrivateKey.class);
        if (!"Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
          throw KmsCryptoException.incorrectKeyMaterial(
              String.format(
                  "imported EdDSA key is [%s]; key spec [%s] needs Ed25519",
                  ed.getParams().getName(), spec.wireName()));
        }
        byte[] seed =
            ed.getBytes()
                .orElseThrow(
                    () ->
                        KmsCryptoException.incorrectKeyMaterial(
                            "imported Ed25519 key has no private key bytes"));
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
        System.arraycopy(Ed25519.publicKey(seed), 0, spki, ED25519_SPKI_PREFIX.length, 32);
        Arrays.fill(seed, (byte) 0);
        PublicKey pub = publicFrom(spec, "Ed25519", new X509EncodedKeySpec(spki));
        requireConsistentPair(spec, ed, pub, "Ed25519");
        yield new KeyMaterial(spec, id, origin, null, null, ed, pub);
      }
      default ->
          throw new IllegalStateException(
              String.format("bug in kms-posture: cannot parse [%s] material", spec.wireName()));
    };
  }

  private static void requireSecretLength(KeySpec spec, int length) {
    // Requirements for imported key material (KMS Developer Guide): 256-bit symmetric keys; HMAC
    // keys from the digest length up to the hash function's block size.
    int min = spec.secretLength();
    int max =
        switch (spec) {
          case HMAC_224, HMAC_256 -> 64;
          case HMAC_384, HMAC_512 -> 128;
          default -> min;
        };
    if (length < min || length > max) {
      throw KmsCryptoException.incorrectKeyMaterial(
          String.format(
              "key material for key spec [%s] has %d bytes; it needs %s",
              spec.wireName(),
              length,
              min == max ? min + " bytes" : "between " + min + " and " + max + " bytes"));
    }
  }

  private static <T extends PrivateKey> T parsePrivate(
      KeySpec spec, String algorithm, byte[] encoded, Class<T> type) {
    PrivateKey key;
    try {
      key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(encoded));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw KmsCryptoException.incorrectKeyMaterial(
          String.format(
              "key material for key spec [%s] is not a PKCS#8 DER %s private key (%d bytes)",
              spec.wireName(), algorithm, encoded.length));
    }
    if (!type.isInstance(key)) {
      throw KmsCryptoException.incorrectKeyMaterial(
          String.format(
              "key material for key spec [%s] is a %s, not a %s",
              spec.wireName(), key.getClass().getSimpleName(), type.getSimpleName()));
    }
    return type.cast(key);
  }

  private static PublicKey publicFrom(
      KeySpec spec, String algorithm, java.security.spec.KeySpec keySpec) {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(keySpec);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw KmsCryptoException.incorrectKeyMaterial(
          String.format(
              "cannot derive the public key of the imported [%s] material", spec.wireName()));
    }
  }

  // A signature made with the private key must verify with the derived public key: this catches
  // PKCS#8 keys whose parts do not belong together (a forged CRT key, for instance).
  private static void requireConsistentPair(
      KeySpec spec, PrivateKey priv, PublicKey pub, String algorithm) {
    if (!signsAndVerifies(priv, pub, algorithm)) {
      throw KmsCryptoException.incorrectKeyMaterial(
          String.format(
              "the imported [%s] private key does not match its own public key", spec.wireName()));
    }
  }

  private static boolean signsAndVerifies(PrivateKey priv, PublicKey pub, String algorithm) {
    byte[] probe = "kms-posture key pair check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(priv);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static ECParameterSpec curveParameters(String curve) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(curve));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          String.format("bug in kms-posture: the JDK has no curve [%s]", curve), e);
    }
  }

  static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    return a.getCurve().equals(b.getCurve())
        && a.getGenerator().equals(b.getGenerator())
        && a.getOrder().equals(b.getOrder())
        && a.getCofactor() == b.getCofactor();
  }

  // The JCA cannot multiply the generator by a private scalar, but ECDH with the generator as the
  // peer's key yields the x coordinate of that product. Of the two points with that x, the public
  // key is the one that verifies a signature made with the private key.
  private static PublicKey ecPublicKey(KeySpec spec, ECPrivateKey priv, ECParameterSpec params) {
    try {
      KeyFactory factory = KeyFactory.getInstance("EC");
      PublicKey generator =
          factory.generatePublic(new ECPublicKeySpec(params.getGenerator(), params));
      KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
      ecdh.init(priv);
      ecdh.doPhase(generator, true);
      BigInteger x = new BigInteger(1, ecdh.generateSecret());
      BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
      BigInteger rhs =
          x.pow(3).add(params.getCurve().getA().multiply(x)).add(params.getCurve().getB()).mod(p);
      // The NIST primes are 3 mod 4, so a square root is rhs^((p+1)/4).
      BigInteger y = rhs.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
      for (BigInteger candidate : new BigInteger[] {y, p.subtract(y).mod(p)}) {
        PublicKey pub =
            factory.generatePublic(new ECPublicKeySpec(new ECPoint(x, candidate), params));
        if (signsAndVerifies(priv, pub, "SHA256withECDSA")) {
          return pub;
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // Reported below.
    }
    throw KmsCryptoException.incorrectKeyMaterial(
        String.format(
            "cannot derive the public key of the imported [%s] material", spec.wireName()));
  }
}
