package dev.kmsposture.testkit.kms;

import dev.kmsposture.testkit.internal.kms.Uuids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The embedded KMS's record of every request it answered and every event it raised, oldest first.
 * Tests assert on it ("the scanner made no mutating call"), and the CloudTrail companion's {@code
 * LookupEvents} reads from it.
 *
 * <p>Thread-safe. Entries never hold plaintext or key material.
 *
 * <p>The journal keeps every entry until {@link #clear()}, so it holds them compactly: what calls
 * share (operation, caller, keys, user agent, request parameters, outcome) is kept once for a run
 * of alike entries, and what each has of its own (its time, and its event and request ids when they
 * are UUIDs in lower case, as the embedded KMS makes them) in primitive arrays: an entry costs
 * about 52 bytes and no object of its own, where a {@link JournalEntry} with its strings costs
 * about 280 bytes in seven objects, which each collection had to copy while the journal grew.
 * {@link #entries()} builds the entries again, equal to those recorded.
 */
public final class RequestJournal {
  // How far back markFailed looks for the request being answered (other requests may have been
  // recorded since, concurrently).
  private static final int MARK_WINDOW = 4096;

  private static final int CHUNK_BITS = 10;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final int MASK = CHUNK - 1;
  // per entry: epoch second, nanosecond, event id (high, low), request id (high, low)
  private static final int LONGS = 6;
  // the shapes of the last few entries, tried before a new shape is made
  private static final int SHAPES = 8;

  private final Object lock = new Object();
  private final List<Chunk> chunks = new ArrayList<>();
  private int size;
  private final @Nullable Shape[] recent = new Shape[SHAPES];
  private int nextShape;

  /** Creates an empty journal. */
  public RequestJournal() {}

  /**
   * {@link #CHUNK} entries: each row is the entry's {@link Shape} (its own parts in {@code bits}),
   * or the entry itself when its ids are not lower-case UUIDs.
   */
  private static final class Chunk {
    final Object[] rows = new Object[CHUNK];
    final long[] bits = new long[CHUNK * LONGS];
  }

  /** What alike entries share: everything but the time and the two ids. */
  private record Shape(
      String eventType,
      String service,
      String operation,
      String region,
      Caller caller,
      List<String> keyArns,
      @Nullable String errorCode,
      boolean readOnly,
      String userAgent,
      String sourceIpAddress,
      String requestParametersJson,
      @Nullable String errorMessage) {

    static Shape of(JournalEntry e) {
      return new Shape(
          e.eventType(),
          e.service(),
          e.operation(),
          e.region(),
          e.caller(),
          e.keyArns(),
          e.errorCode(),
          e.readOnly(),
          e.userAgent(),
          e.sourceIpAddress(),
          e.requestParametersJson(),
          e.errorMessage());
    }

    /** Whether {@code e} has this shape; most parts are the very same objects, checked first. */
    boolean fits(JournalEntry e) {
      return same(operation, e.operation())
          && readOnly == e.readOnly()
          && same(requestParametersJson, e.requestParametersJson())
          && same(keyArns, e.keyArns())
          && same(caller, e.caller())
          && same(region, e.region())
          && same(userAgent, e.userAgent())
          && same(eventType, e.eventType())
          && same(service, e.service())
          && same(sourceIpAddress, e.sourceIpAddress())
          && Objects.equals(errorCode, e.errorCode())
          && Objects.equals(errorMessage, e.errorMessage());
    }

    private static boolean same(Object a, Object b) {
      return a == b || a.equals(b);
    }

    JournalEntry entry(Instant time, String eventId, String requestId) {
      return new JournalEntry(
          time,
          eventId,
          requestId,
          eventType,
          service,
          operation,
          region,
          caller,
          keyArns,
          errorCode,
          readOnly,
          userAgent,
          sourceIpAddress,
          requestParametersJson,
          errorMessage);
    }
  }

  /** Appends {@code entry}. */
  public void record(JournalEntry entry) {
    Objects.requireNonNull(entry, "entry");
    synchronized (lock) {
      int index = size;
      if ((index & MASK) == 0) {
        chunks.add(new Chunk());
      }
      store(chunks.get(index >>> CHUNK_BITS), index & MASK, entry);
      size = index + 1;
    }
  }

  /** Writes {@code entry} into row {@code row} of {@code chunk}; holds the lock. */
  private void store(Chunk chunk, int row, JournalEntry entry) {
    long[] bits = chunk.bits;
    int at = row * LONGS;
    if (!Uuids.parse(entry.eventId(), bits, at + 2)
        || !Uuids.parse(entry.requestId(), bits, at + 4)) {
      chunk.rows[row] = entry;
      return;
    }
    Instant time = entry.eventTime();
    bits[at] = time.getEpochSecond();
    // the whole time is the second and this adjustment, which is what is wanted
    @SuppressWarnings("JavaInstantGetSecondsGetNano")
    long nano = time.getNano();
    bits[at + 1] = nano;
    chunk.rows[row] = shape(entry);
  }

  /** A shape that {@code entry} fits, one of the recent ones when it can; holds the lock. */
  private Shape shape(JournalEntry entry) {
    int last = (nextShape + SHAPES - 1) % SHAPES;
    for (int i = 0; i < SHAPES; i++) {
      Shape s = recent[(last + SHAPES - i) % SHAPES];
      if (s == null) {
        break;
      }
      if (s.fits(entry)) {
        return s;
      }
    }
    Shape s = Shape.of(entry);
    recent[nextShape] = s;
    nextShape = (nextShape + 1) % SHAPES;
    return s;
  }

  /** The entry in row {@code row} of {@code chunk}, as it was recorded; holds the lock. */
  private static JournalEntry entry(Chunk chunk, int row) {
    Object stored = chunk.rows[row];
    if (stored instanceof JournalEntry whole) {
      return whole;
    }
    long[] bits = chunk.bits;
    int at = row * LONGS;
    return ((Shape) stored)
        .entry(
            Instant.ofEpochSecond(bits[at], bits[at + 1]),
            Uuids.text(bits[at + 2], bits[at + 3]),
            Uuids.text(bits[at + 4], bits[at + 5]));
  }

  /** Every entry, built again, oldest first; holds the lock. */
  private List<JournalEntry> built() {
    List<JournalEntry> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(entry(chunks.get(i >>> CHUNK_BITS), i & MASK));
    }
    return out;
  }

  /** Returns a copy of every entry, oldest first. */
  public List<JournalEntry> entries() {
    List<JournalEntry> all;
    synchronized (lock) {
      all = built();
    }
    return List.copyOf(all);
  }

  /** Returns a copy of the entries that match {@code filter}, oldest first. */
  public List<JournalEntry> entries(Predicate<JournalEntry> filter) {
    Objects.requireNonNull(filter, "filter");
    List<JournalEntry> all;
    synchronized (lock) {
      all = built();
    }
    return all.stream().filter(filter).toList();
  }

  /**
   * Marks the entries of request {@code requestId} as failed with {@code code} and {@code message}:
   * the wire layer answered it with an error after the service recorded it (an injected fault after
   * the change was made), or the recorder left the message out.
   *
   * @return whether the journal holds entries of that request
   */
  boolean markFailed(String requestId, String code, String message) {
    Objects.requireNonNull(requestId, "requestId");
    long[] wanted = new long[2];
    // entries kept in parts have UUID request ids; any other id is only in whole entries
    boolean uuid = Uuids.parse(requestId, wanted, 0);
    boolean found = false;
    synchronized (lock) {
      // newest first: the request being answered was recorded moments ago, near the end
      for (int i = size - 1; i >= Math.max(0, size - MARK_WINDOW); i--) {
        Chunk chunk = chunks.get(i >>> CHUNK_BITS);
        int row = i & MASK;
        Object stored = chunk.rows[row];
        boolean match;
        if (stored instanceof JournalEntry whole) {
          match = whole.requestId().equals(requestId);
        } else {
          int at = row * LONGS;
          match = uuid && chunk.bits[at + 4] == wanted[0] && chunk.bits[at + 5] == wanted[1];
        }
        if (match) {
          JournalEntry entry = entry(chunk, row);
          if (entry.eventType().equals("AwsApiCall")) {
            store(chunk, row, entry.withError(code, message));
            found = true;
          }
        }
      }
    }
    return found;
  }

  /** Forgets every entry. */
  public void clear() {
    synchronized (lock) {
      chunks.clear();
      size = 0;
      Arrays.fill(recent, null);
      nextShape = 0;
    }
  }
}
