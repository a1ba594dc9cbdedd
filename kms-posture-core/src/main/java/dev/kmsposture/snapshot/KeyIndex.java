package dev.kmsposture.snapshot;

import dev.kmsposture.internal.spill.HashedTable;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What a read remembers of the keys a snapshot has listed so far, to find a key listed twice and a
 * key that a multi-Region key names as its primary or replica but that is not multi-Region itself:
 * for each ARN, the index in {@code keys} it was first listed at and whether that key is
 * multi-Region, and the first place a multi-Region key named it. The first {@code maxInMemory} ARNs
 * are held on the heap, all beyond in a temporary file ({@link HashedTable}: 32 bytes per ARN,
 * whatever its length), so the heap does not grow with the number of keys.
 *
 * <p>A key named by one and listed (as a key that is not multi-Region) by another is a problem
 * however the two are ordered; it is noted when the second of the two is seen, and the problem
 * reported ({@link #misnamed()}) is the one whose naming came first in the document, as when the
 * namings are checked in order at the end.
 *
 * <p>Not thread-safe. {@link #close()} deletes the file.
 */
final class KeyIndex implements AutoCloseable {
  private static final long MULTI_REGION = 1L << 62;

  /**
   * A key that a multi-Region key names but that is not multi-Region.
   *
   * @param arn the key's ARN
   * @param listedAt its index in {@code keys}
   * @param namedAt the JSON Pointer of the first place a multi-Region key named it
   */
  record Misnamed(String arn, int listedAt, String namedAt) {}

  // per ARN: first = key index + 1 (| MULTI_REGION), 0 when not listed; second = where it was
  // first named + 1 (see where()), 0 when not named.
  private final HashedTable table;
  private @Nullable Misnamed misnamed;
  private long misnamedWhere = Long.MAX_VALUE;

  KeyIndex(int maxInMemory, Path directory) {
    this.table = new HashedTable(maxInMemory, directory, "kms-posture-key-index-");
  }

  /**
   * Adds {@code arn}, listed at {@code index}; returns the index it was listed at before, or -1
   * when it is new.
   */
  int add(String arn, int index, boolean isMultiRegion) {
    long listed = table.first(arn);
    if (listed != 0) {
      return (int) ((listed & ~MULTI_REGION) - 1);
    }
    long named = table.second(arn);
    table.put(arn, (index + 1L) | (isMultiRegion ? MULTI_REGION : 0), named);
    if (named != 0 && !isMultiRegion) {
      note(named - 1, arn, index);
    }
    return -1;
  }

  /**
   * Notes that the multi-Region key at {@code index} names {@code arn} as its primary ({@code
   * replica} -1) or as its replica number {@code replica}. Only the first naming of an ARN counts.
   */
  void named(String arn, int index, int replica) {
    long listed = table.first(arn);
    if (table.second(arn) != 0) {
      return;
    }
    long where = where(index, replica);
    table.put(arn, listed, where + 1);
    if (listed != 0 && (listed & MULTI_REGION) == 0) {
      note(where, arn, (int) (listed - 1));
    }
  }

  /** The first key, in the order of the namings, named but not multi-Region; null if none. */
  @Nullable Misnamed misnamed() {
    return misnamed;
  }

  /** Forgets everything and deletes the temporary file, if any. */
  @Override
  public void close() {
    table.close();
  }

  /** Returns whether the ARNs are held in the temporary file. */
  boolean inFile() {
    return table.inFile();
  }

  // Namings in document order: by key, the primary (-1) before the replicas.
  private static long where(int index, int replica) {
    return ((long) index << 32) | (replica + 1L);
  }

  private void note(long where, String arn, int listedAt) {
    if (where < misnamedWhere) {
      misnamedWhere = where;
      int index = (int) (where >>> 32);
      int replica = (int) (where & 0xFFFFFFFFL) - 1;
      String at =
          "/keys/"
              + index
              + "/metadata/multiRegion/"
              + (replica < 0 ? "primaryKey" : "replicaKeys/" + replica);
      misnamed = new Misnamed(arn, listedAt, at);
    }
  }
}
