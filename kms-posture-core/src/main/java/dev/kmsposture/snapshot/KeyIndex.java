package dev.kmsposture.snapshot;

/**
 * The key ARNs a snapshot has listed so far, each with its index in {@code keys} and whether it is
 * a multi-Region key, in 20 bytes per slot (27 to 53 bytes per key, whatever the ARN's length): a
 * million keys take about 40 MB, not the 200 MB their ARNs would. An ARN is kept as two 64-bit
 * hashes with different multipliers (128 bits), so two different ARNs are taken for one with a
 * probability below 10^-25 for a million keys.
 */
final class KeyIndex {
  private static final int MULTI_REGION = 1 << 31;

  private long[] first = new long[1024];
  private long[] second = new long[1024];
  // key index + 1 (0 marks an empty slot), with MULTI_REGION set for a multi-Region key
  private int[] entries = new int[1024];
  private int size;

  /**
   * Adds {@code arn}, listed at {@code index}; returns the index it was listed at before, or -1
   * when it is new.
   */
  int add(String arn, int index, boolean isMultiRegion) {
    if (size * 4 >= entries.length * 3) {
      grow();
    }
    long h1 = hash(arn, 0x100000001B3L, 29);
    long h2 = hash(arn, 0x9E3779B97F4A7C15L, 31);
    int slot = find(h1, h2);
    if (entries[slot] != 0) {
      return (entries[slot] & ~MULTI_REGION) - 1;
    }
    first[slot] = h1;
    second[slot] = h2;
    entries[slot] = (index + 1) | (isMultiRegion ? MULTI_REGION : 0);
    size++;
    return -1;
  }

  /** Returns whether {@code arn} is listed as a multi-Region key; false when it is not listed. */
  boolean isMultiRegion(String arn) {
    int e = entries[find(hash(arn, 0x100000001B3L, 29), hash(arn, 0x9E3779B97F4A7C15L, 31))];
    return (e & MULTI_REGION) != 0;
  }

  /** Returns the index {@code arn} is listed at, or -1. */
  int indexOf(String arn) {
    int e = entries[find(hash(arn, 0x100000001B3L, 29), hash(arn, 0x9E3779B97F4A7C15L, 31))];
    return (e & ~MULTI_REGION) - 1;
  }

  private int find(long h1, long h2) {
    int mask = entries.length - 1;
    int slot = (int) (h1 ^ (h1 >>> 32)) & mask;
    while (entries[slot] != 0 && (first[slot] != h1 || second[slot] != h2)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  private void grow() {
    long[] f = first;
    long[] s = second;
    int[] e = entries;
    int n = e.length * 2;
    first = new long[n];
    second = new long[n];
    entries = new int[n];
    for (int i = 0; i < e.length; i++) {
      if (e[i] != 0) {
        int slot = find(f[i], s[i]);
        first[slot] = f[i];
        second[slot] = s[i];
        entries[slot] = e[i];
      }
    }
  }

  // A 64-bit hash of the characters: multiply-xorshift per character, then a final mix.
  private static long hash(String s, long multiplier, int shift) {
    long h = 0xCBF29CE484222325L ^ multiplier;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * multiplier;
      h ^= h >>> shift;
    }
    h ^= s.length();
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }
}
