package dev.kmsposture.snapshot;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The keys of a snapshot that must wait for the end of the document before they are handed over (a
 * schema version 3 document without an inventory before its keys), each as the exact bytes of its
 * JSON text and where it began (line and column, for error messages): the first {@code maxInMemory}
 * bytes of them in memory, the rest in a temporary file. A key is bound once, when it is read back;
 * nothing is written twice.
 *
 * <p>Not thread-safe. {@link #close()} deletes the temporary file.
 */
final class WaitingKeys implements Closeable {
  /** One waiting key: its JSON text and the line and column of its opening brace. */
  static final class Text {
    private final byte[] json;
    private final int line;
    private final int column;

    Text(byte[] json, int line, int column) {
      this.json = json;
      this.line = line;
      this.column = column;
    }

    /** The key's JSON text, as read (not a copy: not to be changed). */
    byte[] json() {
      return json;
    }

    int line() {
      return line;
    }

    int column() {
      return column;
    }
  }

  private final long maxInMemory;
  private final List<Text> inMemory = new ArrayList<>();
  private long bytesInMemory;
  private @Nullable Path file;
  private @Nullable DataOutputStream out;
  private int inFile;

  WaitingKeys(long maxInMemory) {
    this.maxInMemory = maxInMemory;
  }

  /** Adds the next key, in document order. */
  void add(byte[] json, int line, int column) throws IOException {
    if (out == null && bytesInMemory + json.length <= maxInMemory) {
      inMemory.add(new Text(json, line, column));
      bytesInMemory += json.length;
      return;
    }
    DataOutputStream o = out;
    if (o == null) {
      Path f = Files.createTempFile("kms-posture-keys-", ".json");
      file = f;
      o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 1 << 16));
      out = o;
    }
    o.writeInt(json.length);
    o.writeInt(line);
    o.writeInt(column);
    o.write(json);
    inFile++;
  }

  /** Returns how many keys wait. */
  int size() {
    return inMemory.size() + inFile;
  }

  /** Returns how many of them wait in the temporary file. */
  int inFile() {
    return inFile;
  }

  /**
   * Returns a cursor over the waiting keys, in document order, from the first. Each cursor reads
   * the file again; close it when done.
   */
  Cursor cursor() throws IOException {
    DataOutputStream o = out;
    if (o != null) {
      o.flush();
    }
    return new Cursor();
  }

  /** Reads the waiting keys in order. */
  final class Cursor implements Closeable {
    private int next;
    private @Nullable DataInputStream in;

    private Cursor() {}

    boolean hasNext() {
      return next < size();
    }

    Text next() throws IOException {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int i = next++;
      if (i < inMemory.size()) {
        return inMemory.get(i);
      }
      DataInputStream d = in;
      if (d == null) {
        Path f = java.util.Objects.requireNonNull(file, "the file of waiting keys");
        d = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16));
        in = d;
      }
      byte[] json = new byte[d.readInt()];
      int line = d.readInt();
      int column = d.readInt();
      d.readFully(json);
      return new Text(json, line, column);
    }

    @Override
    public void close() throws IOException {
      DataInputStream d = in;
      in = null;
      if (d != null) {
        d.close();
      }
    }
  }

  /** Forgets the keys and deletes the temporary file, if any. */
  @Override
  public void close() {
    inMemory.clear();
    bytesInMemory = 0;
    DataOutputStream o = out;
    out = null;
    if (o != null) {
      try {
        o.close();
      } catch (IOException e) {
        // the file is deleted next: nothing to keep
      }
    }
    Path f = file;
    file = null;
    inFile = 0;
    if (f != null) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException e) {
        // a temporary file left behind is not worth failing the check over
      }
    }
  }
}
