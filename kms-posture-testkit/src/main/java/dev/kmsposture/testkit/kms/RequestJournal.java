package dev.kmsposture.testkit.kms;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The embedded KMS's record of every request it answered and every event it raised, oldest first.
 * Tests assert on it ("the scanner made no mutating call"), and the CloudTrail companion's {@code
 * LookupEvents} reads from it.
 *
 * <p>Thread-safe. Entries never hold plaintext or key material.
 */
public final class RequestJournal {
  // How far back markFailed looks for the request being answered (other requests may have been
  // recorded since, concurrently).
  private static final int MARK_WINDOW = 4096;

  private final List<JournalEntry> entries = new ArrayList<>();

  /** Creates an empty journal. */
  public RequestJournal() {}

  /** Appends {@code entry}. */
  public void record(JournalEntry entry) {
    Objects.requireNonNull(entry, "entry");
    synchronized (entries) {
      entries.add(entry);
    }
  }

  /** Returns a copy of every entry, oldest first. */
  public List<JournalEntry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** Returns a copy of the entries that match {@code filter}, oldest first. */
  public List<JournalEntry> entries(Predicate<JournalEntry> filter) {
    Objects.requireNonNull(filter, "filter");
    synchronized (entries) {
      return entries.stream().filter(filter).toList();
    }
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
    boolean found = false;
    synchronized (entries) {
      // newest first: the request being answered was recorded moments ago, near the end
      for (int i = entries.size() - 1; i >= Math.max(0, entries.size() - MARK_WINDOW); i--) {
        JournalEntry entry = entries.get(i);
        if (entry.requestId().equals(requestId) && entry.eventType().equals("AwsApiCall")) {
          entries.set(i, entry.withError(code, message));
          found = true;
        }
      }
    }
    return found;
  }

  /** Forgets every entry. */
  public void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }
}
