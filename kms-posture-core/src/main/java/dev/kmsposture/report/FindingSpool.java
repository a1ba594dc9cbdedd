package dev.kmsposture.report;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.FindingSink;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.Status;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Puts findings in report order ({@link PostureEngine#reportOrder()}) within bounded memory: a
 * {@link FindingSink} for a streaming check ({@link PostureEngine#start}) that feeds a report
 * writer. It keeps only the findings {@code keep} accepts (what the report format writes), holds up
 * to {@code maxInMemory} of them, and when more arrive, sorts those and writes them to a temporary
 * file; reading them back merges the files with the findings still held, sorted in memory (not
 * written). The order is exactly the one {@link PostureEngine#check} gives, ties included (the sort
 * is stable, and the merge prefers earlier files, and any file to the findings held).
 *
 * <p>A full batch is sorted and written on a thread of the spool's own while the next batch fills,
 * so the thread that judges keys does not wait for it: at most one batch is being written at a time
 * (a second full batch waits for it), so at most twice {@code maxInMemory} findings are held. A
 * failure to write is thrown by the first {@link #accept} after it happened, or by {@link
 * #inReportOrder()}.
 *
 * <pre>{@code
 * try (FindingSpool spool = FindingSpool.create(writer::includes)) {
 *   PostureEngine.Session session = engine.start(header, source, spool);
 *   ... session.check(key) for each key ...
 *   PostureSummary summary = session.finish(account);
 *   writer.write(PostureResults.of(summary, spool.inReportOrder()), out);
 * }
 * }</pre>
 *
 * <p>Temporary files are deleted by {@link #close()}. Not thread-safe.
 */
public final class FindingSpool implements FindingSink, Closeable {
  /**
   * The most findings held in memory before they go to a file by default: 200,000 (about 50 MB), or
   * fewer in a small heap (one per 4 KB of the maximum heap, at least 10,000).
   */
  public static final int DEFAULT_MAX_IN_MEMORY = 200_000;

  // Merging more files than this at once would need too many buffers: merge them into one first.
  static final int MAX_FILES = 64;

  private static final Comparator<Finding> ORDER = PostureEngine.reportOrder();

  private final Predicate<Finding> keep;
  private final Path directory;
  private final int maxInMemory;
  private final FindingCodec codec = new FindingCodec();
  private List<Finding> held = new ArrayList<>();
  // Once read (sealed) with files: where the held findings (sorted) of each status are ({from, to}
  // indexes), or null when a status comes back after another.
  private @Nullable Map<Status, int[]> heldRanges;
  // Written only by the batch being written (at most one at a time), read by the caller's thread
  // only once it waited for that batch (awaitWriting), which orders the two.
  private final List<Path> files = new ArrayList<>();
  // Per file, where the findings of each status are ({from, to} in bytes; a run in report order
  // holds each status's findings together), or null when the file is to be read whole.
  private final List<@Nullable Map<Status, long[]>> statusRanges = new ArrayList<>();
  private final List<Closeable> open = new ArrayList<>();
  private @Nullable Path spoolDirectory;
  // The writing thread, made on the first spill; it ends when idle for a second.
  private @Nullable ThreadPoolExecutor writer;
  // The batch being written, if any.
  private @Nullable Future<?> writing;
  private long count;
  private boolean sealed;

  private FindingSpool(Predicate<Finding> keep, Path directory, int maxInMemory) {
    this.keep = keep;
    this.directory = directory;
    this.maxInMemory = maxInMemory;
  }

  /**
   * Returns a spool that keeps the findings {@code keep} accepts, with its temporary files (if any)
   * in the system's temporary directory ({@code java.io.tmpdir}).
   */
  public static FindingSpool create(Predicate<Finding> keep) {
    long fit = Runtime.getRuntime().maxMemory() / 4096;
    int maxInMemory = (int) Math.max(10_000, Math.min(DEFAULT_MAX_IN_MEMORY, fit));
    return create(keep, Path.of(System.getProperty("java.io.tmpdir")), maxInMemory);
  }

  /**
   * Returns a spool that keeps the findings {@code keep} accepts, holds at most {@code maxInMemory}
   * in memory, and writes the rest to files in {@code directory}.
   *
   * @throws IllegalArgumentException if {@code maxInMemory} is not positive
   */
  public static FindingSpool create(Predicate<Finding> keep, Path directory, int maxInMemory) {
    Objects.requireNonNull(keep, "keep");
    Objects.requireNonNull(directory, "directory");
    if (maxInMemory < 1) {
      throw new IllegalArgumentException(
          String.format("maxInMemory [%d] must be at least 1", maxInMemory));
    }
    return new FindingSpool(keep, directory, maxInMemory);
  }

  /**
   * Takes a finding, if the spool keeps it.
   *
   * @throws IllegalStateException if the findings were already read
   * @throws UncheckedIOException if a temporary file cannot be written
   */
  @Override
  public void accept(Finding finding) {
    Objects.requireNonNull(finding, "finding");
    if (sealed) {
      throw new IllegalStateException("the spool was already read; it takes no more findings");
    }
    if (!keep.test(finding)) {
      return;
    }
    Future<?> w = writing;
    if (w != null && w.isDone()) {
      awaitWriting();
    }
    count++;
    held.add(finding);
    if (held.size() >= maxInMemory) {
      spillInBackground();
    }
  }

  /** Returns how many findings the spool kept. */
  public long size() {
    return count;
  }

  /**
   * Returns how many temporary files hold findings (once the batch being written, if any, is
   * written).
   *
   * @throws UncheckedIOException if a temporary file cannot be written
   */
  public int fileCount() {
    awaitWriting();
    return files.size();
  }

  /**
   * Returns the kept findings in report order. After the first call the spool takes no more
   * findings; each iteration reads them again from the start.
   *
   * @throws UncheckedIOException if a temporary file cannot be written or read
   */
  public Iterable<Finding> inReportOrder() {
    awaitWriting();
    if (!sealed) {
      sealed = true;
      // The findings still held are merged from memory, after the files: sorting them here is
      // cheaper than writing them to one more file and reading them back.
      held.sort(ORDER);
      if (!files.isEmpty()) {
        heldRanges = indexRanges(held);
      }
    }
    List<Finding> last = java.util.Collections.unmodifiableList(held);
    if (files.isEmpty()) {
      return last;
    }
    List<Path> sources = List.copyOf(files);
    return () -> SortedRuns.merge(sources, null, last.iterator(), ORDER, codec::read, open);
  }

  // Where the findings of each status are in a run in report order, or null when a status comes
  // back after another. The run is sorted, status first, so each status's findings are together:
  // the end of each is found by galloping and halving, not by looking at every finding (a loop run
  // once, over the held findings, with the report waiting for it).
  static @Nullable Map<Status, int[]> indexRanges(List<Finding> run) {
    Map<Status, int[]> ranges = new EnumMap<>(Status.class);
    int n = run.size();
    int from = 0;
    while (from < n) {
      Status s = run.get(from).status();
      if (ranges.containsKey(s)) {
        return null;
      }
      // run[lo] has status s; run[hi] does not, or hi == n
      int lo = from;
      int hi = from + 1;
      int step = 1;
      while (hi < n && run.get(hi).status() == s) {
        lo = hi;
        step *= 2;
        hi = (int) Math.min(n, (long) hi + step);
      }
      while (hi - lo > 1) {
        int mid = (lo + hi) >>> 1;
        if (run.get(mid).status() == s) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      ranges.put(s, new int[] {from, hi});
      from = hi;
    }
    return ranges;
  }

  // Hands the full batch to the writing thread, once the one before it is written.
  private void spillInBackground() {
    awaitWriting();
    List<Finding> batch = held;
    held = new ArrayList<>();
    ThreadPoolExecutor w = writer;
    if (w == null) {
      w =
          new ThreadPoolExecutor(
              1,
              1,
              1,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "kms-posture-spool");
                t.setDaemon(true);
                return t;
              });
      w.allowCoreThreadTimeOut(true);
      writer = w;
    }
    writing = w.submit(() -> spill(batch));
  }

  // Waits for the batch being written, if any, and throws what failed it.
  private void awaitWriting() {
    Future<?> w = writing;
    if (w == null) {
      return;
    }
    writing = null;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          w.get();
          return;
        } catch (InterruptedException e) {
          // the batch is written whatever happens: wait for it, then keep the interrupt
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException("bug in kms-posture: writing findings failed", cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void spill(List<Finding> batch) {
    batch.sort(ORDER);
    Path file = newFile();
    Map<Status, long[]> ranges = write(file, batch.iterator());
    batch.clear();
    files.add(file);
    statusRanges.add(ranges);
    if (files.size() >= MAX_FILES) {
      // Merge what is there into one file, so a merge never opens more than MAX_FILES.
      List<Path> sources = List.copyOf(files);
      Path merged = newFile();
      Map<Status, long[]> mergedRanges = write(merged, merge(sources));
      for (Path p : sources) {
        delete(p);
      }
      files.clear();
      statusRanges.clear();
      files.add(merged);
      statusRanges.add(mergedRanges);
    }
  }

  // Writes a run of findings in report order; returns where each status's findings are in it, or
  // null when a status comes back after another (not in report order) or the file is too long to
  // count.
  private @Nullable Map<Status, long[]> write(Path file, Iterator<Finding> run) {
    Map<Status, long[]> ranges = new EnumMap<>(Status.class);
    boolean together = true;
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      Status current = null;
      long[] range = null;
      while (run.hasNext()) {
        Finding f = run.next();
        long at = out.size();
        if (f.status() != current) {
          if (range != null) {
            range[1] = at;
          }
          current = f.status();
          if (ranges.containsKey(current)) {
            together = false;
          }
          range = new long[] {at, at};
          ranges.put(current, range);
        }
        codec.write(out, f);
      }
      if (range != null) {
        range[1] = out.size();
      }
      // size() stops counting at Integer.MAX_VALUE
      if (out.size() == Integer.MAX_VALUE) {
        together = false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write findings to " + file + ": " + e.getMessage(), e);
    }
    return together ? ranges : null;
  }

  /**
   * Returns the kept findings of status {@code status} in report order: those of {@link
   * #inReportOrder()}, in the same order, reading of each file only the part that holds them. After
   * the first call the spool takes no more findings.
   *
   * @throws UncheckedIOException if a temporary file cannot be written or read
   */
  public Iterable<Finding> inReportOrder(Status status) {
    Objects.requireNonNull(status, "status");
    Iterable<Finding> all = inReportOrder();
    if (files.isEmpty()) {
      return () -> withStatus(all.iterator(), status);
    }
    List<Path> sources = new ArrayList<>();
    List<long @Nullable []> ranges = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Map<Status, long[]> r = statusRanges.get(i);
      if (r == null) {
        sources.add(files.get(i));
        ranges.add(null);
      } else if (r.containsKey(status)) {
        sources.add(files.get(i));
        ranges.add(r.get(status));
      }
    }
    List<Finding> last = java.util.Collections.unmodifiableList(held);
    Map<Status, int[]> lastRanges = heldRanges;
    if (lastRanges != null) {
      int[] r = lastRanges.get(status);
      last = r == null ? List.of() : last.subList(r[0], r[1]);
    }
    List<Finding> lastRun = last;
    return () ->
        withStatus(
            SortedRuns.merge(sources, ranges, lastRun.iterator(), ORDER, codec::read, open),
            status);
  }

  private static Iterator<Finding> withStatus(Iterator<Finding> it, Status status) {
    return new Iterator<>() {
      private @Nullable Finding next = advance();

      private @Nullable Finding advance() {
        while (it.hasNext()) {
          Finding f = it.next();
          if (f.status() == status) {
            return f;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Finding next() {
        Finding f = next;
        if (f == null) {
          throw new java.util.NoSuchElementException();
        }
        next = advance();
        return f;
      }
    };
  }

  private Path newFile() {
    try {
      if (spoolDirectory == null) {
        spoolDirectory = Files.createTempDirectory(directory, "kms-posture-findings-");
      }
      return Files.createTempFile(spoolDirectory, "run-", ".bin");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create a temporary file for findings in " + directory + ": " + e.getMessage(), e);
    }
  }

  private Iterator<Finding> merge(List<Path> sources) {
    return SortedRuns.merge(sources, ORDER, codec::read, open);
  }

  /** Deletes the temporary files. */
  @Override
  public void close() {
    try {
      awaitWriting();
    } catch (RuntimeException e) {
      // a batch that could not be written: its failure was thrown to the caller, or is moot now
    } finally {
      ThreadPoolExecutor w = writer;
      if (w != null) {
        w.shutdown();
        writer = null;
      }
      deleteFiles();
    }
  }

  private void deleteFiles() {
    for (Closeable c : open) {
      try {
        c.close();
      } catch (IOException e) {
        // closing a file that is read no more: nothing to do
      }
    }
    open.clear();
    for (Path p : files) {
      delete(p);
    }
    files.clear();
    statusRanges.clear();
    held.clear();
    heldRanges = null;
    Path dir = spoolDirectory;
    if (dir != null) {
      delete(dir);
    }
  }

  private static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // A temporary file left behind is not worth failing the report over.
    }
  }
}
