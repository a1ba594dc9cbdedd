package dev.kmsposture.internal.spill;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A map from strings (ARNs) to two {@code long} values, in bounded heap: up to {@code maxInMemory}
 * entries in an array on the heap, then all of them in a temporary file mapped into memory (the
 * operating system keeps what it can of it in its page cache and writes the rest to disk; the heap
 * holds only the mapping's handles). Either way it is the same open-addressing table with linear
 * probing, so what it answers does not depend on where it is.
 *
 * <p>A key is kept as its 128-bit SipHash-2-4 ({@link SipHash128}), not as its text, under a key
 * drawn from {@link java.security.SecureRandom} for each table: nobody who does not know that key
 * (which never leaves the table) can craft two ARNs that the table takes for one, and by chance two
 * different ARNs are taken for one with a probability below 10^-26 for a million of them. Nothing
 * the table answers depends on the key (it has no iteration order). An entry whose two values are
 * both 0 is absent: {@link #put} refuses it.
 *
 * <p>Not thread-safe. {@link #close()} forgets every entry and deletes the file (on systems that
 * allow it, the file is deleted as soon as it is mapped, so that nothing is left behind even if the
 * process dies).
 */
public final class HashedTable implements Closeable {
  private static final int FIELDS = 4; // hash 1, hash 2, first value, second value
  private static final int SLOT_BYTES = FIELDS * Long.BYTES;
  // Slots per mapped region: one mapping is at most 2 GiB.
  private static final int CHUNK_SLOTS = 1 << 20;
  private static final int SMALLEST = 16;

  private final int maxInMemory;
  private final Path directory;
  private final String prefix;
  private final SipHash128 hash;
  // The key hashed last and its hash.
  private @Nullable String hashed;
  private long low;
  private long high;
  private Slots slots = new HeapSlots(SMALLEST);
  private int size;

  /**
   * Creates an empty table.
   *
   * @param maxInMemory how many entries are held on the heap; beyond that, all are in a file
   * @param directory where the temporary file goes
   * @param prefix the temporary file's name prefix (says what it holds)
   */
  public HashedTable(int maxInMemory, Path directory, String prefix) {
    this(maxInMemory, directory, prefix, SipHash128.random());
  }

  // With the given hash: for tests.
  HashedTable(int maxInMemory, Path directory, String prefix, SipHash128 hash) {
    if (maxInMemory < 0) {
      throw new IllegalArgumentException(
          String.format("maxInMemory [%d] must be 0 or more", maxInMemory));
    }
    this.maxInMemory = maxInMemory;
    this.directory = Objects.requireNonNull(directory, "directory");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.hash = hash;
  }

  // Hashes key into low and high, unless it is the very string hashed last: a caller asks for
  // both values of a key and then sets them, and hashing a key costs more than finding its slot.
  @SuppressWarnings("ReferenceEquality") // the same instance only; an equal string is hashed again
  private void hash(String key) {
    if (key != hashed) {
      hash.hash(key);
      low = hash.low();
      high = hash.high();
      hashed = key;
    }
  }

  // The hash this table keys its entries with: for tests.
  SipHash128 hash() {
    return hash;
  }

  /** Returns how many entries the table holds. */
  public int size() {
    return size;
  }

  /** Returns whether the entries are in the temporary file (more than the heap budget). */
  public boolean inFile() {
    return slots instanceof FileSlots;
  }

  /** Returns the first value of {@code key}, or 0 when it has no entry. */
  public long first(String key) {
    hash(key);
    return slots.get(find(slots, low, high), 2);
  }

  /** Returns the second value of {@code key}, or 0 when it has no entry. */
  public long second(String key) {
    hash(key);
    return slots.get(find(slots, low, high), 3);
  }

  /**
   * Sets both values of {@code key}, adding it when it has no entry.
   *
   * @throws IllegalArgumentException if both values are 0 (which would mean "absent")
   * @throws UncheckedIOException if the temporary file cannot be created or mapped
   */
  public void put(String key, long first, long second) {
    if (first == 0 && second == 0) {
      throw new IllegalArgumentException("an entry needs a value other than 0");
    }
    hash(key);
    long h1 = low;
    long h2 = high;
    int slot = find(slots, h1, h2);
    if (isEmpty(slots, slot)) {
      int capacity = slots.capacity();
      boolean full = (size + 1L) * 4 > capacity * 3L;
      boolean spill = size + 1 > maxInMemory && slots instanceof HeapSlots;
      if (full || spill) {
        rebuild(full ? capacity * 2 : capacity, spill || inFile());
        slot = find(slots, h1, h2);
      }
      size++;
      slots.set(slot, 0, h1);
      slots.set(slot, 1, h2);
    }
    slots.set(slot, 2, first);
    slots.set(slot, 3, second);
  }

  /** Forgets every entry and deletes the temporary file, if any. */
  @Override
  public void close() {
    Slots old = slots;
    slots = new HeapSlots(SMALLEST);
    size = 0;
    old.release();
  }

  private void rebuild(int capacity, boolean toFile) {
    if (capacity <= 0) {
      throw new IllegalStateException("the table cannot grow beyond 2^30 entries");
    }
    Slots old = slots;
    Slots next = toFile ? new FileSlots(capacity, directory, prefix) : new HeapSlots(capacity);
    try {
      for (int i = 0; i < old.capacity(); i++) {
        if (!isEmpty(old, i)) {
          long h1 = old.get(i, 0);
          long h2 = old.get(i, 1);
          int slot = find(next, h1, h2);
          for (int f = 0; f < FIELDS; f++) {
            next.set(slot, f, f == 0 ? h1 : f == 1 ? h2 : old.get(i, f));
          }
        }
      }
    } catch (RuntimeException e) {
      next.release();
      throw e;
    }
    slots = next;
    old.release();
  }

  private static boolean isEmpty(Slots s, int slot) {
    return s.get(slot, 2) == 0 && s.get(slot, 3) == 0;
  }

  private static int find(Slots s, long h1, long h2) {
    int mask = s.capacity() - 1;
    int slot = (int) (h1 ^ (h1 >>> 32)) & mask;
    while (!isEmpty(s, slot) && (s.get(slot, 0) != h1 || s.get(slot, 1) != h2)) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** Where the slots are: a power of two of them, each {@link #FIELDS} longs, all 0 at first. */
  private abstract static class Slots {
    abstract int capacity();

    abstract long get(int slot, int field);

    abstract void set(int slot, int field, long value);

    abstract void release();
  }

  private static final class HeapSlots extends Slots {
    private final long[] values;

    HeapSlots(int capacity) {
      this.values = new long[capacity * FIELDS];
    }

    @Override
    int capacity() {
      return values.length / FIELDS;
    }

    @Override
    long get(int slot, int field) {
      return values[slot * FIELDS + field];
    }

    @Override
    void set(int slot, int field, long value) {
      values[slot * FIELDS + field] = value;
    }

    @Override
    void release() {}
  }

  private static final class FileSlots extends Slots {
    private final int capacity;
    private final MappedByteBuffer[] chunks;
    // Set when the file could not be deleted once mapped (deleted by release instead).
    private Path file;
    private boolean deleted;

    FileSlots(int capacity, Path directory, String prefix) {
      this.capacity = capacity;
      int n = (capacity + CHUNK_SLOTS - 1) / CHUNK_SLOTS;
      this.chunks = new MappedByteBuffer[n];
      try {
        file = Files.createTempFile(directory, prefix, ".bin");
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create a temporary file in " + directory + ": " + e.getMessage(), e);
      }
      try (FileChannel c =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        for (int i = 0; i < n; i++) {
          long slotsHere = Math.min(CHUNK_SLOTS, capacity - (long) i * CHUNK_SLOTS);
          chunks[i] =
              c.map(
                  FileChannel.MapMode.READ_WRITE,
                  (long) i * CHUNK_SLOTS * SLOT_BYTES,
                  slotsHere * SLOT_BYTES);
        }
      } catch (IOException e) {
        release();
        throw new UncheckedIOException(
            "cannot map a temporary file in " + directory + ": " + e.getMessage(), e);
      }
      // The mapping outlives the name: delete it now, so nothing is left behind.
      deleted = delete(file);
      if (!deleted) {
        file.toFile().deleteOnExit();
      }
    }

    @Override
    int capacity() {
      return capacity;
    }

    @Override
    long get(int slot, int field) {
      return chunks[slot / CHUNK_SLOTS].getLong(
          (slot % CHUNK_SLOTS) * SLOT_BYTES + field * Long.BYTES);
    }

    @Override
    void set(int slot, int field, long value) {
      chunks[slot / CHUNK_SLOTS].putLong(
          (slot % CHUNK_SLOTS) * SLOT_BYTES + field * Long.BYTES, value);
    }

    @Override
    void release() {
      // The mapping itself is released when its buffers are collected.
      Arrays.fill(chunks, null);
      if (!deleted) {
        deleted = delete(file);
      }
    }

    private static boolean delete(Path f) {
      try {
        Files.deleteIfExists(f);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }
}
