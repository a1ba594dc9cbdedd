package dev.kmsposture.testkit.internal.kms.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh key pair for use outside
 * KMS, its public key as DER SubjectPublicKeyInfo, its private key as DER PKCS#8, and that private
 * key encrypted under a symmetric KMS key with {@link SymmetricEnvelope} (so Decrypt returns the
 * PKCS#8 bytes).
 *
 * <p>The pair is not kept: KMS does not store data key pairs. Specs the JDK cannot generate ({@code
 * SM2}, {@code ML_KEM_*}) are refused with {@code UnsupportedOperationException}.
 */
public final class DataKeyPairs {
  private DataKeyPairs() {}

  /**
   * A new data key pair of {@code spec}, its private key encrypted under {@code material}.
   *
   * @throws KmsCryptoException {@code UnsupportedOperationException} for specs the JDK cannot do
   */
  public static DataKeyPair generate(
      DataKeyPairSpec spec, KeyMaterial material, String keyId, EncryptionContext context) {
    Objects.requireNonNull(spec, "spec");
    if (!spec.isSupported()) {
      throw KmsCryptoException.unsupportedByEmbeddedKms(
          String.format("key pair spec [%s]", spec.wireName()),
          spec.keySpec().unsupportedReason().orElse("not supported"));
    }
    KeyMaterial pair = KeyMaterial.generate(spec.keySpec());
    byte[] privateKey = pair.insecureEncoded();
    try {
      byte[] blob = SymmetricEnvelope.seal(material, keyId, privateKey, context);
      return new DataKeyPair(spec, pair.publicKeyDer(), privateKey, blob);
    } finally {
      Arrays.fill(privateKey, (byte) 0);
    }
  }

  /** A data key pair. {@link #toString()} never shows the private key. */
  public static final class DataKeyPair {
    private final DataKeyPairSpec spec;
    private final byte[] publicKey;
    private final byte[] privateKeyPlaintext;
    private final byte[] privateKeyCiphertextBlob;

    DataKeyPair(
        DataKeyPairSpec spec,
        byte[] publicKey,
        byte[] privateKeyPlaintext,
        byte[] privateKeyCiphertextBlob) {
      this.spec = spec;
      this.publicKey = publicKey.clone();
      this.privateKeyPlaintext = privateKeyPlaintext.clone();
      this.privateKeyCiphertextBlob = privateKeyCiphertextBlob.clone();
    }

    /** The spec of the pair. */
    public DataKeyPairSpec spec() {
      return spec;
    }

    /** The public key, DER SubjectPublicKeyInfo (a copy). */
    public byte[] publicKey() {
      return publicKey.clone();
    }

    /** The private key, DER PKCS#8 (a copy); GenerateDataKeyPairWithoutPlaintext omits it. */
    public byte[] privateKeyPlaintext() {
      return privateKeyPlaintext.clone();
    }

    /** The private key encrypted under the KMS key (a copy). */
    public byte[] privateKeyCiphertextBlob() {
      return privateKeyCiphertextBlob.clone();
    }

    @Override
    public String toString() {
      return String.format(
          "DataKeyPair[%s, publicKey=%d bytes, privateKeyPlaintext=<redacted>,"
              + " privateKeyCiphertextBlob=%d bytes]",
          spec.wireName(), publicKey.length, privateKeyCiphertextBlob.length);
    }
  }
}
