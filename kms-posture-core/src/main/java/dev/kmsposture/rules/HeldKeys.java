package dev.kmsposture.rules;

import dev.kmsposture.internal.spill.HashedTable;
import dev.kmsposture.snapshot.KeySnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The multi-Region keys a streaming check holds until it ends (their rules compare a key with its
 * primary or replicas, which may come later), in bounded memory: the first {@code maxInMemory} as
 * they are, the rest as their JSON in a temporary file, read back (and bound) when judged or looked
 * up, with the most recently read ones cached. Where in the file the first key of each ARN is, is
 * itself held on the heap for the first {@code maxInMemory} ARNs and in a second temporary file
 * beyond ({@link HashedTable}), so the heap does not grow with the number of keys.
 *
 * <p>Not thread-safe. {@link #close()} deletes the files.
 */
final class HeldKeys {
  // Keys read back from the file that are kept: a key's rules look up its partners many times.
  static final int CACHED = 64;

  private final int maxInMemory;
  private final Path directory;
  // The first maxInMemory keys held, in the order they came, and the first of each ARN among them.
  private final List<KeySnapshot> inMemory = new ArrayList<>();
  private final Map<String, KeySnapshot> byArn = new HashMap<>();
  // Per ARN whose first key is in the file (and not in memory): where it is, + 1.
  private final HashedTable inFileByArn;
  private final Map<Long, KeySnapshot> cache =
      new LinkedHashMap<>(CACHED * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, KeySnapshot> eldest) {
          return size() > CACHED;
        }
      };
  private @Nullable Path file;
  private @Nullable FileChannel channel;
  private long written;
  private int inFile;
  // Where the key numbered `next` among those in the file starts: keys are read in order.
  private int next;
  private long nextAt;

  HeldKeys(int maxInMemory, Path directory) {
    this.maxInMemory = maxInMemory;
    this.directory = directory;
    this.inFileByArn = new HashedTable(maxInMemory, directory, "kms-posture-held-arns-");
  }

  /** Holds {@code key}; a key with the ARN of one held before is judged, but not looked up. */
  void add(KeySnapshot key) {
    if (inMemory.size() < maxInMemory) {
      inMemory.add(key);
      byArn.putIfAbsent(key.arn(), key);
      return;
    }
    long at = write(key);
    inFile++;
    if (!byArn.containsKey(key.arn()) && inFileByArn.first(key.arn()) == 0) {
      inFileByArn.put(key.arn(), at + 1, 0);
    }
  }

  /** Returns how many keys are held. */
  int size() {
    return inMemory.size() + inFile;
  }

  /** Returns how many of them are in the temporary file. */
  int inFile() {
    return inFile;
  }

  /** Returns the held key with ARN {@code arn}, or null. */
  @Nullable KeySnapshot find(String arn) {
    KeySnapshot k = byArn.get(arn);
    if (k != null) {
      return k;
    }
    long at = inFileByArn.first(arn);
    if (at == 0) {
      return null;
    }
    KeySnapshot found = key(at - 1);
    // Two ARNs with the same 128-bit hash (see HashedTable): the one asked for is not held.
    return found.arn().equals(arn) ? found : null;
  }

  /**
   * Returns the {@code i}th key held. Keys in the file are found by reading from the last one asked
   * for: in order, each is read once.
   */
  KeySnapshot get(int i) {
    if (i < inMemory.size()) {
      return inMemory.get(i);
    }
    int n = i - inMemory.size();
    if (n < 0 || n >= inFile) {
      throw new IndexOutOfBoundsException("no held key " + i + " of " + size());
    }
    if (n < next) {
      next = 0;
      nextAt = 0;
    }
    while (next < n) {
      nextAt += Integer.BYTES + readLength(nextAt);
      next++;
    }
    return key(nextAt);
  }

  private KeySnapshot key(long at) {
    KeySnapshot cached = cache.get(at);
    if (cached != null) {
      return cached;
    }
    KeySnapshot k = read(at);
    cache.put(at, k);
    return k;
  }

  // Appends the key's JSON, after its length; returns where it starts.
  private long write(KeySnapshot key) {
    byte[] json = key.toJson().getBytes(StandardCharsets.UTF_8);
    try {
      FileChannel c = channel;
      if (c == null) {
        Path f = Files.createTempFile(directory, "kms-posture-held-keys-", ".json");
        file = f;
        f.toFile().deleteOnExit();
        c = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel = c;
      }
      ByteBuffer b = ByteBuffer.allocate(Integer.BYTES + json.length);
      b.putInt(json.length).put(json).flip();
      while (b.hasRemaining()) {
        c.write(b, written + b.position());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot hold multi-Region keys in a temporary file in "
              + directory
              + ": "
              + e.getMessage(),
          e);
    }
    long at = written;
    written += Integer.BYTES + json.length;
    return at;
  }

  private int readLength(long at) {
    return ByteBuffer.wrap(readBytes(at, Integer.BYTES)).getInt();
  }

  private KeySnapshot read(long at) {
    byte[] json = readBytes(at + Integer.BYTES, readLength(at));
    return KeySnapshot.parse(new String(json, StandardCharsets.UTF_8));
  }

  private byte[] readBytes(long at, int length) {
    FileChannel c = Objects.requireNonNull(channel, "the file of held keys");
    ByteBuffer b = ByteBuffer.allocate(length);
    try {
      while (b.hasRemaining()) {
        if (c.read(b, at + b.position()) < 0) {
          throw new IOException("the file ends early");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read back multi-Region keys held in a temporary file: " + e.getMessage(), e);
    }
    return b.array();
  }

  /** Forgets every key and deletes the temporary files, if any. */
  void close() {
    inMemory.clear();
    byArn.clear();
    inFileByArn.close();
    cache.clear();
    inFile = 0;
    next = 0;
    nextAt = 0;
    written = 0;
    FileChannel c = channel;
    channel = null;
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // the file is deleted next: nothing to keep
      }
    }
    Path f = file;
    file = null;
    if (f != null) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // a temporary file left behind is not worth failing the check over
      }
    }
  }
}
