package dev.kmsposture.testkit.internal.kms.crypto;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The encryption context of a symmetric cryptographic operation: non-secret key-value pairs bound
 * to the ciphertext as additional authenticated data (AAD), so Decrypt must present the same pairs
 * ("an exact case-sensitive match"; only the order of the pairs may vary).
 *
 * <p>{@link #aad()} is the canonical encoding: the pairs sorted by key, each key and value
 * length-prefixed, every {@code char} written as two bytes. It is the same for every map with the
 * same pairs, whatever the map's order, and different for any two different contexts — including
 * strings that UTF-8 would garble (lone surrogates), since no text encoding is applied. The empty
 * context and no context are the same.
 *
 * <p>AWS documents no size limit for the context (the model's map has no constraint), so none is
 * enforced.
 */
public final class EncryptionContext {
  private static final EncryptionContext EMPTY = new EncryptionContext(new TreeMap<>());

  private final SortedMap<String, String> pairs;
  private final byte[] aad;

  private EncryptionContext(SortedMap<String, String> pairs) {
    this.pairs = Collections.unmodifiableSortedMap(pairs);
    this.aad = encode(pairs);
  }

  /** The empty context (no pairs). */
  public static EncryptionContext empty() {
    return EMPTY;
  }

  /** The context with {@code pairs} (copied). */
  public static EncryptionContext of(Map<String, String> pairs) {
    Objects.requireNonNull(pairs, "pairs");
    if (pairs.isEmpty()) {
      return EMPTY;
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    pairs.forEach(
        (key, value) ->
            sorted.put(
                Objects.requireNonNull(key, "encryption context key"),
                Objects.requireNonNull(value, "encryption context value")));
    return new EncryptionContext(sorted);
  }

  /** The pairs, sorted by key; unmodifiable. */
  public Map<String, String> asMap() {
    return pairs;
  }

  /** Whether there are no pairs. */
  public boolean isEmpty() {
    return pairs.isEmpty();
  }

  /** The canonical encoding used as AAD (a copy). */
  public byte[] aad() {
    return aad.clone();
  }

  byte[] aadView() {
    return aad;
  }

  private static byte[] encode(SortedMap<String, String> pairs) {
    // sized first, then filled: this runs for every symmetric Encrypt and Decrypt
    int size = 4;
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      size += 8 + 2 * (e.getKey().length() + e.getValue().length());
    }
    byte[] out = new byte[size];
    ByteCodec.putU32(out, 0, pairs.size());
    int offset = 4;
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      offset = writeChars(out, offset, e.getKey());
      offset = writeChars(out, offset, e.getValue());
    }
    return out;
  }

  private static int writeChars(byte[] out, int offset, String text) {
    int length = text.length();
    ByteCodec.putU32(out, offset, length);
    int at = offset + 4;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      out[at++] = (byte) (c >>> 8);
      out[at++] = (byte) c;
    }
    return at;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof EncryptionContext that && pairs.equals(that.pairs);
  }

  @Override
  public int hashCode() {
    return pairs.hashCode();
  }

  @Override
  public String toString() {
    return "EncryptionContext" + pairs;
  }
}
