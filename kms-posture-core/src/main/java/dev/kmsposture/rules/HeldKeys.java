package dev.kmsposture.rules;

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
 * up, with the most recently read ones cached. What stays in memory per key in the file is its ARN
 * and where its JSON is.
 *
 * <p>Not thread-safe. {@link #close()} deletes the file.
 */
final class HeldKeys {
  // Keys read back from the file that are kept: a key's rules look up its partners many times.
  static final int CACHED = 64;

  /** Where a key's JSON is in the file. */
  private record Slot(long offset, int length) {}

  private final int maxInMemory;
  private final Path directory;
  // Each held key in the order it came: a KeySnapshot or a Slot.
  private final List<Object> order = new ArrayList<>();
  // The first key held under each ARN: a KeySnapshot or a Slot.
  private final Map<String, Object> byArn = new HashMap<>();
  private final Map<Slot, KeySnapshot> cache =
      new LinkedHashMap<>(CACHED * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Slot, KeySnapshot> eldest) {
          return size() > CACHED;
        }
      };
  private int inMemory;
  private @Nullable Path file;
  private @Nullable FileChannel channel;
  private long written;

  HeldKeys(int maxInMemory, Path directory) {
    this.maxInMemory = maxInMemory;
    this.directory = directory;
  }

  /** Holds {@code key}; a key with the ARN of one held before is judged, but not looked up. */
  void add(KeySnapshot key) {
    Object held;
    if (inMemory < maxInMemory) {
      inMemory++;
      held = key;
    } else {
      held = write(key);
    }
    order.add(held);
    byArn.putIfAbsent(key.arn(), held);
  }

  /** Returns how many keys are held. */
  int size() {
    return order.size();
  }

  /** Returns how many of them are in the temporary file. */
  int inFile() {
    return order.size() - inMemory;
  }

  /** Returns the held key with ARN {@code arn}, or null. */
  @Nullable KeySnapshot find(String arn) {
    Object held = byArn.get(arn);
    return held == null ? null : key(held);
  }

  /** Returns the {@code i}th key held. */
  KeySnapshot get(int i) {
    return key(order.get(i));
  }

  private KeySnapshot key(Object held) {
    if (held instanceof KeySnapshot k) {
      return k;
    }
    Slot slot = (Slot) held;
    KeySnapshot cached = cache.get(slot);
    if (cached != null) {
      return cached;
    }
    KeySnapshot k = read(slot);
    cache.put(slot, k);
    return k;
  }

  private Slot write(KeySnapshot key) {
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
      ByteBuffer b = ByteBuffer.wrap(json);
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
    Slot slot = new Slot(written, json.length);
    written += json.length;
    return slot;
  }

  private KeySnapshot read(Slot slot) {
    FileChannel c = Objects.requireNonNull(channel, "the file of held keys");
    ByteBuffer b = ByteBuffer.allocate(slot.length());
    try {
      while (b.hasRemaining()) {
        if (c.read(b, slot.offset() + b.position()) < 0) {
          throw new IOException("the file ends early");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read back multi-Region keys held in a temporary file: " + e.getMessage(), e);
    }
    return KeySnapshot.parse(new String(b.array(), StandardCharsets.UTF_8));
  }

  /** Forgets every key and deletes the temporary file, if any. */
  void close() {
    order.clear();
    byArn.clear();
    cache.clear();
    inMemory = 0;
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
