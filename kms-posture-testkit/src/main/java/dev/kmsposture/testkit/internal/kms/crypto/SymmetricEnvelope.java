package dev.kmsposture.testkit.internal.kms.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypt and Decrypt under a symmetric encryption key ({@code SYMMETRIC_DEFAULT}): AES-256-GCM
 * with a random 96-bit IV and a 128-bit tag, the blob header and the {@link EncryptionContext}
 * bound as additional authenticated data, in the format of {@link CiphertextBlob}.
 *
 * <pre>{@code
 * byte[] blob = SymmetricEnvelope.encrypt(material, keyArn, plaintext, context);
 * CiphertextBlob parsed = CiphertextBlob.parse(blob);      // which key, which material
 * byte[] plaintext = SymmetricEnvelope.decrypt(parsed, materialOf(parsed), context);
 * }</pre>
 *
 * <p>Stateless and thread-safe. Each thread keeps one {@code Cipher}, initialised per call with the
 * material's cached {@code SecretKeySpec}; a call allocates little beyond its result.
 */
public final class SymmetricEnvelope {
  /** The largest plaintext Encrypt takes under a symmetric key (API reference). */
  public static final int MAX_PLAINTEXT = 4096;

  private static final ThreadLocal<Gcm> GCM = ThreadLocal.withInitial(Gcm::new);

  /**
   * One thread's cipher, and its buffer for the additional authenticated data: the blob header and
   * the context go to the cipher in one piece, which it buffers once (fed in two, it buffers the
   * first and grows the buffer for the second, on every call).
   */
  private static final class Gcm {
    private static final int KEEP = 16 * 1024;
    final Cipher cipher;
    private byte[] aad = new byte[512];

    Gcm() {
      try {
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("bug in kms-posture: the JDK has no AES-GCM", e);
      }
    }

    /** Feeds {@code header[0..headerLength)} and then {@code context} as the AAD. */
    void updateAad(byte[] header, int headerLength, byte[] context) {
      int length = headerLength + context.length;
      byte[] buffer = aad;
      if (buffer.length < length) {
        buffer = new byte[length];
        if (length <= KEEP) {
          aad = buffer;
        }
      }
      System.arraycopy(header, 0, buffer, 0, headerLength);
      System.arraycopy(context, 0, buffer, headerLength, context.length);
      cipher.updateAAD(buffer, 0, length);
    }
  }

  private SymmetricEnvelope() {}

  /**
   * Encrypt: {@code plaintext} (1–4096 bytes) under {@code material}, recording {@code keyId} and
   * the material's id in the blob.
   *
   * @param keyId how the engine will find the key again (its key ARN is recommended); at most 2048
   *     UTF-8 bytes
   * @throws KmsCryptoException {@code ValidationException} for a plaintext outside 1–4096 bytes
   * @throws IllegalArgumentException if {@code material} is not {@code SYMMETRIC_DEFAULT}
   */
  public static byte[] encrypt(
      KeyMaterial material, String keyId, byte[] plaintext, EncryptionContext context) {
    Objects.requireNonNull(plaintext, "plaintext");
    AwsValidation.requireLength("plaintext", plaintext, 1, MAX_PLAINTEXT);
    return seal(material, keyId, plaintext, context);
  }

  /**
   * Decrypt: the plaintext of {@code blob}, which {@code material} (the material the blob names)
   * encrypted under {@code context}.
   *
   * @throws KmsCryptoException {@code InvalidCiphertextException} if the blob was altered or the
   *     encryption context differs
   * @throws IllegalArgumentException if {@code material} is not the blob's material (the engine
   *     must look it up by {@link CiphertextBlob#keyMaterialId()})
   */
  public static byte[] decrypt(
      CiphertextBlob blob, KeyMaterial material, EncryptionContext context) {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(context, "context");
    requireSymmetric(material);
    if (!material.id().equals(blob.keyMaterialId())) {
      throw new IllegalArgumentException(
          String.format(
              "key material [%s] did not encrypt this blob; it names material [%s]",
              material.id().value(), blob.keyMaterialId().value()));
    }
    byte[] bytes = blob.bytes();
    int ivOffset = blob.ivOffset();
    int dataOffset = ivOffset + CiphertextBlob.IV_LENGTH;
    Gcm gcm = GCM.get();
    Cipher cipher = gcm.cipher;
    try {
      cipher.init(
          Cipher.DECRYPT_MODE,
          material.secretKey(),
          new GCMParameterSpec(
              CiphertextBlob.TAG_LENGTH * 8, bytes, ivOffset, CiphertextBlob.IV_LENGTH));
      gcm.updateAad(bytes, ivOffset, context.aadView());
      return cipher.doFinal(bytes, dataOffset, bytes.length - dataOffset);
    } catch (AEADBadTagException e) {
      throw KmsCryptoException.invalidCiphertext(
          String.format(
              "ciphertext for key [%s] does not authenticate: the blob was altered, or the"
                  + " encryption context (%d pairs given) is not the one it was encrypted with",
              blob.keyId(), context.asMap().size()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bug in kms-posture: AES-GCM decryption failed", e);
    }
  }

  /** Encrypt without the Encrypt API's size limit (data keys and data key pairs). */
  static byte[] seal(
      KeyMaterial material, String keyId, byte[] plaintext, EncryptionContext context) {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(plaintext, "plaintext");
    Objects.requireNonNull(context, "context");
    requireSymmetric(material);
    byte[] keyIdBytes = keyId.getBytes(StandardCharsets.UTF_8);
    if (keyIdBytes.length == 0 || keyIdBytes.length > CiphertextBlob.MAX_KEY_ID_LENGTH) {
      throw new IllegalArgumentException(
          String.format(
              "key id has %d UTF-8 bytes; a ciphertext blob records 1 to %d",
              keyIdBytes.length, CiphertextBlob.MAX_KEY_ID_LENGTH));
    }
    int ivOffset = CiphertextBlob.ivOffset(keyIdBytes.length);
    int dataOffset = ivOffset + CiphertextBlob.IV_LENGTH;
    byte[] blob = new byte[dataOffset + plaintext.length + CiphertextBlob.TAG_LENGTH];
    CiphertextBlob.writeHeader(blob, keyIdBytes, material.id());
    byte[] iv = CryptoRandom.bytes(CiphertextBlob.IV_LENGTH);
    System.arraycopy(iv, 0, blob, ivOffset, iv.length);
    Gcm gcm = GCM.get();
    Cipher cipher = gcm.cipher;
    try {
      cipher.init(
          Cipher.ENCRYPT_MODE,
          material.secretKey(),
          new GCMParameterSpec(CiphertextBlob.TAG_LENGTH * 8, iv));
      gcm.updateAad(blob, ivOffset, context.aadView());
      cipher.doFinal(plaintext, 0, plaintext.length, blob, dataOffset);
      return blob;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("bug in kms-posture: AES-GCM encryption failed", e);
    }
  }

  private static void requireSymmetric(KeyMaterial material) {
    Objects.requireNonNull(material, "material");
    if (material.spec() != KeySpec.SYMMETRIC_DEFAULT) {
      throw new IllegalArgumentException(
          String.format(
              "the symmetric envelope needs SYMMETRIC_DEFAULT material, not [%s]",
              material.spec().wireName()));
    }
  }
}
