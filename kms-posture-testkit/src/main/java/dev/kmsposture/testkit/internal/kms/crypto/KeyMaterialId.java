package dev.kmsposture.testkit.internal.kms.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The identifier of one key material of a KMS key ({@code KeyMaterialId}, {@code
 * CurrentKeyMaterialId}): 64 lower-case hex characters, as AWS writes it.
 *
 * <p>Generated material gets a random id. Imported material gets an id computed from the KMS key id
 * and the material, as AWS documents ("KMS assigns a unique identifier to the key material based on
 * the KMS key ID and the imported key material"), so re-importing the same material yields the same
 * id. The computation is a SHA-256 over a domain label, the key id and the material: it reveals
 * nothing about the material.
 *
 * @param value the 64 hex characters
 */
public record KeyMaterialId(String value) {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] IMPORT_LABEL =
      "kms-posture imported key material id v1".getBytes(StandardCharsets.US_ASCII);

  private static final int RECENT_SLOTS = 64;

  /**
   * Ids read from bytes lately, by their first and last byte. Slots hold immutable values, read and
   * replaced whole, without a lock: a racing thread at worst misses and formats its own.
   */
  private static final @Nullable Recent[] RECENT = new Recent[RECENT_SLOTS];

  /**
   * Checks the form.
   *
   * @throws IllegalArgumentException unless {@code value} is 64 lower-case hex characters
   */
  public KeyMaterialId {
    Objects.requireNonNull(value, "value");
    if (!isHex64(value)) {
      throw new IllegalArgumentException(
          String.format(
              "key material id [%s] is not 64 lower-case hex characters",
              value.length() > 80 ? value.substring(0, 80) + "…" : value));
    }
  }

  /** Whether {@code value} is 64 lower-case hex characters (without a regex: runs per Decrypt). */
  private static boolean isHex64(String value) {
    if (value.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = value.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Reads a key material id. */
  public static KeyMaterialId parse(String value) {
    return new KeyMaterialId(value);
  }

  /** A fresh random id, for material the embedded KMS generates. */
  public static KeyMaterialId random() {
    byte[] bytes = new byte[32];
    CryptoRandom.nextBytes(bytes);
    return new KeyMaterialId(HEX.formatHex(bytes));
  }

  /** The id of {@code material} imported into the KMS key {@code keyId}. */
  static KeyMaterialId forImported(String keyId, byte[] material) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(IMPORT_LABEL);
      byte[] key = keyId.getBytes(StandardCharsets.UTF_8);
      sha256.update(ByteCodec.u32(key.length));
      sha256.update(key);
      sha256.update(material);
      return new KeyMaterialId(HEX.formatHex(sha256.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("bug in kms-posture: the JDK has no SHA-256", e);
    }
  }

  /** The 32 bytes the hex characters stand for. */
  byte[] toBytes() {
    return HEX.parseHex(value);
  }

  /** The id whose bytes are {@code bytes} (32 of them). */
  static KeyMaterialId fromBytes(byte[] bytes) {
    return new KeyMaterialId(HEX.formatHex(bytes));
  }

  /**
   * The id whose 32 bytes start at {@code offset} of {@code source} (read without a copy). Every
   * Decrypt reads one from its ciphertext, and a key has few materials: an id read recently is
   * handed out again (equal, and the same instance) without formatting and checking its hex anew.
   */
  static KeyMaterialId fromBytes(byte[] source, int offset) {
    Objects.checkFromIndexSize(offset, 32, source.length);
    int slot = ((source[offset] & 0xff) ^ (source[offset + 31] & 0xff)) & (RECENT_SLOTS - 1);
    Recent known = RECENT[slot];
    if (known != null && Arrays.equals(known.bytes, 0, 32, source, offset, offset + 32)) {
      return known.id;
    }
    KeyMaterialId id = new KeyMaterialId(HEX.formatHex(source, offset, offset + 32));
    RECENT[slot] = new Recent(Arrays.copyOfRange(source, offset, offset + 32), id);
    return id;
  }

  /** An id and the 32 bytes it stands for. */
  private static final class Recent {
    final byte[] bytes;
    final KeyMaterialId id;

    Recent(byte[] bytes, KeyMaterialId id) {
      this.bytes = bytes;
      this.id = id;
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
