package dev.kmsposture.testkit.internal.kms.crypto;

import dev.kmsposture.testkit.internal.wire.RepeatedText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A symmetric ciphertext blob of the embedded KMS, parsed: which KMS key and which of its key
 * materials encrypted it, so that Decrypt without a {@code KeyId} finds the key, and ciphertexts
 * made before a rotation still find their (old) material.
 *
 * <p>The format is our own (AWS's is not documented), version 1:
 *
 * <pre>
 * 'k' 'p' 0x01 | u16 n | key id (n bytes UTF-8) | key material id (32 bytes) | IV (12 bytes) |
 * AES-256-GCM ciphertext | GCM tag (16 bytes)
 * </pre>
 *
 * Everything before the IV is authenticated with the encryption context (see {@link
 * SymmetricEnvelope}), so the header cannot be altered either. The key id is whatever string the
 * engine passed to {@link SymmetricEnvelope#encrypt}; the key ARN is the sensible choice, since it
 * resolves across accounts and, through the shared key id, across the Regions of a multi-Region
 * key.
 */
public final class CiphertextBlob {
  static final int IV_LENGTH = 12;
  static final int TAG_LENGTH = 16;
  static final int MAX_KEY_ID_LENGTH = 2048;
  private static final byte[] MAGIC = {'k', 'p', 1};
  private static final int MATERIAL_ID_LENGTH = 32;
  private static final RepeatedText KEY_IDS = new RepeatedText();

  private final byte[] bytes;
  private final String keyId;
  private final KeyMaterialId keyMaterialId;
  private final int ivOffset;

  private CiphertextBlob(byte[] bytes, String keyId, KeyMaterialId keyMaterialId, int ivOffset) {
    this.bytes = bytes;
    this.keyId = keyId;
    this.keyMaterialId = keyMaterialId;
    this.ivOffset = ivOffset;
  }

  /**
   * Reads a ciphertext blob ({@code CiphertextBlob} of Decrypt and ReEncrypt, 1–6144 bytes).
   *
   * @throws KmsCryptoException {@code ValidationException} for a blob outside 1–6144 bytes; {@code
   *     InvalidCiphertextException} for anything that is not a blob of the embedded KMS
   */
  public static CiphertextBlob parse(byte[] blob) {
    Objects.requireNonNull(blob, "blob");
    return read(blob.clone());
  }

  /**
   * As {@link #parse}, taking {@code blob} without a copy: for a blob the caller decoded for this
   * call alone and never changes afterwards (the engine's Decrypt, once per request).
   *
   * @throws KmsCryptoException as {@link #parse}
   */
  public static CiphertextBlob parseOwned(byte[] blob) {
    Objects.requireNonNull(blob, "blob");
    return read(blob);
  }

  private static CiphertextBlob read(byte[] blob) {
    AwsValidation.requireLength("ciphertextBlob", blob, 1, 6144);
    int headerEnd = MAGIC.length + 2;
    if (blob.length < headerEnd || !Arrays.equals(blob, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw KmsCryptoException.invalidCiphertext(
          String.format(
              "ciphertext blob of %d bytes does not start with the embedded KMS's header; it was"
                  + " not made by Encrypt or GenerateDataKey of this KMS",
              blob.length));
    }
    int keyIdLength = ByteCodec.u16(blob, MAGIC.length);
    int ivOffset = headerEnd + keyIdLength + MATERIAL_ID_LENGTH;
    if (keyIdLength == 0 || blob.length < ivOffset + IV_LENGTH + TAG_LENGTH) {
      throw KmsCryptoException.invalidCiphertext(
          String.format(
              "ciphertext blob of %d bytes is truncated (key id length %d)",
              blob.length, keyIdLength));
    }
    String keyId;
    if (isAscii(blob, headerEnd, keyIdLength)) {
      // the usual case (a key ARN): ASCII decodes the same under every ASCII-compatible charset
      // (and one shared string for a key id read lately: every Decrypt under a key reads it)
      keyId = KEY_IDS.latin1(blob, headerEnd, keyIdLength);
    } else {
      try {
        keyId =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(blob, headerEnd, keyIdLength))
                .toString();
      } catch (CharacterCodingException e) {
        throw KmsCryptoException.invalidCiphertext(
            "ciphertext blob names its key with bytes that are not UTF-8");
      }
    }
    KeyMaterialId materialId = KeyMaterialId.fromBytes(blob, headerEnd + keyIdLength);
    return new CiphertextBlob(blob, keyId, materialId, ivOffset);
  }

  private static boolean isAscii(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code blob} starts like a blob of the embedded KMS (cheap; does not validate). */
  public static boolean looksLikeSymmetricBlob(byte[] blob) {
    return blob.length >= MAGIC.length
        && Arrays.equals(blob, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  /** The key id recorded by {@link SymmetricEnvelope#encrypt}. */
  public String keyId() {
    return keyId;
  }

  /** The key material that encrypted the blob. */
  public KeyMaterialId keyMaterialId() {
    return keyMaterialId;
  }

  /** The blob's bytes (a copy). */
  public byte[] toBytes() {
    return bytes.clone();
  }

  @Override
  public String toString() {
    return String.format(
        "CiphertextBlob[keyId=%s, keyMaterialId=%s, %d bytes]",
        keyId, keyMaterialId.value(), bytes.length);
  }

  byte[] bytes() {
    return bytes;
  }

  int ivOffset() {
    return ivOffset;
  }

  /** Writes the header for {@code keyId} and {@code materialId} at the start of {@code target}. */
  static void writeHeader(byte[] target, byte[] keyId, KeyMaterialId materialId) {
    System.arraycopy(MAGIC, 0, target, 0, MAGIC.length);
    ByteCodec.putU16(target, MAGIC.length, keyId.length);
    int offset = MAGIC.length + 2;
    System.arraycopy(keyId, 0, target, offset, keyId.length);
    offset += keyId.length;
    System.arraycopy(materialId.toBytes(), 0, target, offset, MATERIAL_ID_LENGTH);
  }

  /** The IV offset of a blob whose key id has {@code keyIdLength} UTF-8 bytes. */
  static int ivOffset(int keyIdLength) {
    return MAGIC.length + 2 + keyIdLength + MATERIAL_ID_LENGTH;
  }
}
