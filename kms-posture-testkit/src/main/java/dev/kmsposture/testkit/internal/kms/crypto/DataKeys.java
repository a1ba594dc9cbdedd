package dev.kmsposture.testkit.internal.kms.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * GenerateDataKey, GenerateDataKeyWithoutPlaintext and GenerateRandom: random bytes, and data keys
 * returned encrypted under a symmetric KMS key with {@link SymmetricEnvelope}, so Decrypt (with or
 * without a {@code KeyId}) and ReEncrypt take them like any other ciphertext.
 */
public final class DataKeys {
  /** The most bytes GenerateRandom and GenerateDataKey's {@code NumberOfBytes} take. */
  public static final int MAX_NUMBER_OF_BYTES = 1024;

  private DataKeys() {}

  /**
   * The data key length of a GenerateDataKey request, from its {@code KeySpec} or its {@code
   * NumberOfBytes} (1–1024): exactly one of them must be given.
   *
   * @throws KmsCryptoException {@code ValidationException} "Please specify either number of bytes
   *     or key spec." when both or neither are given; AWS's range message for a bad {@code
   *     NumberOfBytes}
   */
  public static int length(Optional<DataKeySpec> keySpec, OptionalInt numberOfBytes) {
    Objects.requireNonNull(keySpec, "keySpec");
    Objects.requireNonNull(numberOfBytes, "numberOfBytes");
    if (keySpec.isPresent() == numberOfBytes.isPresent()) {
      throw KmsCryptoException.validation("Please specify either number of bytes or key spec.");
    }
    if (keySpec.isPresent()) {
      return keySpec.get().length();
    }
    int length = numberOfBytes.getAsInt();
    AwsValidation.requireRange("numberOfBytes", length, 1, MAX_NUMBER_OF_BYTES);
    return length;
  }

  /**
   * GenerateRandom: {@code numberOfBytes} (1–1024) random bytes from a {@code SecureRandom}.
   *
   * @throws KmsCryptoException {@code ValidationException} outside 1–1024
   */
  public static byte[] generateRandom(int numberOfBytes) {
    AwsValidation.requireRange("numberOfBytes", numberOfBytes, 1, MAX_NUMBER_OF_BYTES);
    return CryptoRandom.bytes(numberOfBytes);
  }

  /**
   * GenerateDataKey: a random data key of {@code length} bytes (see {@link #length}) and its copy
   * encrypted under {@code material} with {@code context}.
   */
  public static DataKey generate(
      KeyMaterial material, String keyId, int length, EncryptionContext context) {
    AwsValidation.requireRange("numberOfBytes", length, 1, MAX_NUMBER_OF_BYTES);
    byte[] plaintext = CryptoRandom.bytes(length);
    try {
      byte[] blob = SymmetricEnvelope.seal(material, keyId, plaintext, context);
      return new DataKey(plaintext, blob);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /** GenerateDataKeyWithoutPlaintext: only the encrypted copy of a fresh data key. */
  public static byte[] generateWithoutPlaintext(
      KeyMaterial material, String keyId, int length, EncryptionContext context) {
    return generate(material, keyId, length, context).ciphertextBlob();
  }

  /**
   * A data key: the plaintext key and its ciphertext blob. {@link #toString()} never shows the
   * plaintext.
   */
  public static final class DataKey {
    private final byte[] plaintext;
    private final byte[] ciphertextBlob;

    DataKey(byte[] plaintext, byte[] ciphertextBlob) {
      this.plaintext = plaintext.clone();
      this.ciphertextBlob = ciphertextBlob.clone();
    }

    /** The plaintext data key (a copy). */
    public byte[] plaintext() {
      return plaintext.clone();
    }

    /** The data key encrypted under the KMS key (a copy). */
    public byte[] ciphertextBlob() {
      return ciphertextBlob.clone();
    }

    @Override
    public String toString() {
      return String.format(
          "DataKey[%d bytes, plaintext=<redacted>, ciphertextBlob=%d bytes]",
          plaintext.length, ciphertextBlob.length);
    }
  }
}
