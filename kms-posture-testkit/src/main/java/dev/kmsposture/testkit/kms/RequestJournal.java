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

  /** Forgets every entry. */
  public void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }
}
