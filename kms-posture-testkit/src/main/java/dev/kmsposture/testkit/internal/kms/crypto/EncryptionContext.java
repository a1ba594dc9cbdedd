package dev.kmsposture.testkit.internal.kms.crypto;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 *
 * <p>Immutable. The contexts made lately are remembered in a small table (those of at most 8 KiB
 * encoded): every Decrypt of a data key presents the same pairs again, and {@link #of} hands back
 * the context made before (sorted and encoded once) instead of sorting and encoding them per call.
 * Thread-safe without locks: the slots hold immutable values, read and replaced whole (a racing
 * thread at worst makes its own copy).
 */
public final class EncryptionContext {
  private static final EncryptionContext EMPTY = new EncryptionContext(new TreeMap<>());
  private static final int RECENT = 16;
  // larger contexts (AWS sets no limit) are not kept alive by the table
  private static final int MAX_REMEMBERED = 8 * 1024;
  private static final @Nullable EncryptionContext[] RECENT_CONTEXTS =
      new EncryptionContext[RECENT];

  private final SortedMap<String, String> pairs;
  private final byte[] aad;
  // the pairs' Map.hashCode, compared before the pairs themselves
  private final int hash;

  private EncryptionContext(SortedMap<String, String> pairs) {
    this.pairs = Collections.unmodifiableSortedMap(pairs);
    this.aad = encode(pairs);
    this.hash = pairs.hashCode();
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
    boolean equalKeys = keysCompareByEquals(pairs);
    int h = equalKeys ? hashOf(pairs) : 0;
    int slot = (h ^ (h >>> 16)) & (RECENT - 1);
    EncryptionContext known = equalKeys ? RECENT_CONTEXTS[slot] : null;
    if (known != null && known.hash == h && known.hasExactly(pairs)) {
      return known;
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    pairs.forEach(
        (key, value) ->
            sorted.put(
                Objects.requireNonNull(key, "encryption context key"),
                Objects.requireNonNull(value, "encryption context value")));
    EncryptionContext made = new EncryptionContext(sorted);
    if (equalKeys && made.aad.length <= MAX_REMEMBERED) {
      RECENT_CONTEXTS[slot] = made;
    }
    return made;
  }

  /**
   * Whether {@code pairs} tells its keys apart by {@code String.equals} (a hash map, or a sorted
   * map in natural order), so that no two of its keys are equal strings: only such a map is
   * compared with the remembered contexts (see {@link #hasExactly}).
   */
  private static boolean keysCompareByEquals(Map<String, String> pairs) {
    return pairs.getClass() == LinkedHashMap.class
        || pairs.getClass() == HashMap.class
        || (pairs instanceof TreeMap<String, String> tree && tree.comparator() == null);
  }

  /** {@link Map#hashCode()} of {@code pairs}, without relying on the map's own (any map type). */
  private static int hashOf(Map<String, String> pairs) {
    int h = 0;
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      h += Objects.hashCode(e.getKey()) ^ Objects.hashCode(e.getValue());
    }
    return h;
  }

  /**
   * Whether {@code other} holds exactly these pairs: as many, each of its keys (distinct strings,
   * see {@link #keysCompareByEquals}) here with an equal value. Looked up here, where keys compare
   * by {@code String.equals} (natural order), never in the caller's map.
   */
  private boolean hasExactly(Map<String, String> other) {
    if (other.size() != pairs.size()) {
      return false;
    }
    for (Map.Entry<String, String> e : other.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (key == null || value == null || !value.equals(pairs.get(key))) {
        return false;
      }
    }
    return true;
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
