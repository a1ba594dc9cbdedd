package dev.kmsposture.report;

import dev.kmsposture.internal.spill.HashedTable;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.FindingSink;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Keeps what the Markdown report of a streaming check needs, within bounded memory: a {@link
 * FindingSink} for {@link PostureEngine#start} that {@link MarkdownReportWriter#write(
 * dev.kmsposture.rules.PostureSummary, MarkdownSpool, java.io.Writer)} reads. The report lists keys
 * worst first, which is known for a key only once all its findings are in, so the spool collects
 * one key's findings at a time (a {@link PostureEngine.Session} hands over each key's findings
 * together), works out what orders the key, and holds the keys' findings in memory up to {@code
 * maxInMemory} findings; past that it sorts the keys it holds and writes them to a temporary file,
 * and reading merges the files. Besides the findings it keeps the counts the summary needs and, per
 * key, a 16-byte hash of its name (to tell keys that share a name apart by Region): the first
 * 65,536 on the heap, the rest in a temporary file mapped into memory.
 *
 * <p>Findings of one key must arrive together, and no key twice (as a session gives them for a
 * snapshot whose keys have distinct ARNs, which {@link dev.kmsposture.snapshot.SnapshotReader}
 * makes sure of). Temporary files are deleted by {@link #close()}. Not thread-safe.
 */
public final class MarkdownSpool implements FindingSink, Closeable {
  // Merging more files than this at once would need too many buffers: merge them into one first.
  static final int MAX_FILES = 64;
  // Key names whose counts are held on the heap, 32 bytes each; the rest are in a file.
  static final int NAMES_IN_MEMORY = 1 << 16;

  private static final Comparator<Finding> REPORT_ORDER = PostureEngine.reportOrder();

  private final Path directory;
  private final int maxInMemory;
  private final FindingCodec codec = new FindingCodec();
  private final List<KeyGroup> held = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();
  private final List<Closeable> open = new ArrayList<>();
  private final List<Finding> account = new ArrayList<>();
  // How many keys carry each name, by a 128-bit hash of the name: on the heap for the first
  // NAMES_IN_MEMORY names (or maxInMemory, if fewer), then in a mapped temporary file.
  private final HashedTable names;
  private final long[] unknownBySeverity = new long[Severity.values().length];
  private long suppressed;
  private long baselined;
  private List<Finding> current = new ArrayList<>();
  private @Nullable String currentArn;
  private int heldFindings;
  private @Nullable Path spoolDirectory;
  private boolean sealed;

  private MarkdownSpool(Path directory, int maxInMemory) {
    this.directory = directory;
    this.maxInMemory = maxInMemory;
    this.names =
        new HashedTable(
            Math.min(maxInMemory, NAMES_IN_MEMORY), directory, "kms-posture-markdown-names-");
  }

  /**
   * Returns a spool with its temporary files (if any) in the system's temporary directory, holding
   * as many findings in memory as {@link FindingSpool#create(java.util.function.Predicate)} does.
   */
  public static MarkdownSpool create() {
    long fit = Runtime.getRuntime().maxMemory() / 4096;
    int maxInMemory = (int) Math.max(10_000, Math.min(FindingSpool.DEFAULT_MAX_IN_MEMORY, fit));
    return create(Path.of(System.getProperty("java.io.tmpdir")), maxInMemory);
  }

  /**
   * Returns a spool that holds about {@code maxInMemory} findings in memory (whole keys: at least
   * one key's) and writes the rest to files in {@code directory}.
   *
   * @throws IllegalArgumentException if {@code maxInMemory} is not positive
   */
  public static MarkdownSpool create(Path directory, int maxInMemory) {
    Objects.requireNonNull(directory, "directory");
    if (maxInMemory < 1) {
      throw new IllegalArgumentException(
          String.format("maxInMemory [%d] must be at least 1", maxInMemory));
    }
    return new MarkdownSpool(directory, maxInMemory);
  }

  /**
   * Takes a finding.
   *
   * @throws IllegalStateException if the spool was already read
   * @throws UncheckedIOException if a temporary file cannot be written
   */
  @Override
  // the ordinal indexes a count array of this one run.
  @SuppressWarnings("EnumOrdinal")
  public void accept(Finding finding) {
    Objects.requireNonNull(finding, "finding");
    if (sealed) {
      throw new IllegalStateException("the spool was already read; it takes no more findings");
    }
    if (finding.status() == Status.UNKNOWN) {
      unknownBySeverity[finding.severity().ordinal()]++;
    } else if (finding.status() == Status.FAIL) {
      if (finding.disposition() == Finding.Disposition.SUPPRESSED) {
        suppressed++;
      } else if (finding.disposition() == Finding.Disposition.BASELINED) {
        baselined++;
      }
    }
    String arn = finding.keyArn();
    if (arn == null) {
      account.add(finding);
      return;
    }
    if (!arn.equals(currentArn)) {
      endKey();
      currentArn = arn;
    }
    current.add(finding);
  }

  // The findings of the key collected so far become a group, in report order.
  private void endKey() {
    if (current.isEmpty()) {
      return;
    }
    current.sort(REPORT_ORDER);
    KeyGroup g = new KeyGroup(current);
    names.put(g.subject(), names.first(g.subject()) + 1, 0);
    held.add(g);
    heldFindings += current.size();
    current = new ArrayList<>();
    currentArn = null;
    if (heldFindings >= maxInMemory) {
      spill();
    }
  }

  /** Returns how many results of {@code severity} could not be checked. */
  @SuppressWarnings("EnumOrdinal") // the ordinal indexes a count array of this one run.
  long unknown(Severity severity) {
    return unknownBySeverity[severity.ordinal()];
  }

  /** Returns how many failures were suppressed. */
  long suppressed() {
    return suppressed;
  }

  /** Returns how many failures were baselined. */
  long baselined() {
    return baselined;
  }

  /** Returns the account-level findings, in report order. */
  List<Finding> accountFindings() {
    List<Finding> a = new ArrayList<>(account);
    a.sort(REPORT_ORDER);
    return a;
  }

  /** Returns whether more than one key is named {@code subject}. */
  boolean sharedName(String subject) {
    return names.first(subject) > 1;
  }

  /** Hands each key's findings, in report order, to {@code each}: worst key first. */
  void forEachKey(Consumer<List<Finding>> each) {
    if (!sealed) {
      sealed = true;
      endKey();
      if (!files.isEmpty() && !held.isEmpty()) {
        spill();
      }
    }
    if (files.isEmpty()) {
      held.sort(KeyGroup.WORST_FIRST);
      for (KeyGroup g : held) {
        each.accept(g.findings);
      }
      return;
    }
    Iterator<KeyGroup> it = merge(List.copyOf(files));
    while (it.hasNext()) {
      each.accept(it.next().findings);
    }
  }

  private void spill() {
    held.sort(KeyGroup.WORST_FIRST);
    Path file = newFile();
    try (DataOutputStream out = output(file)) {
      for (KeyGroup g : held) {
        write(out, g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write findings to " + file + ": " + e.getMessage(), e);
    }
    held.clear();
    heldFindings = 0;
    files.add(file);
    if (files.size() >= MAX_FILES) {
      List<Path> sources = List.copyOf(files);
      Path merged = newFile();
      try (DataOutputStream out = output(merged)) {
        Iterator<KeyGroup> it = merge(sources);
        while (it.hasNext()) {
          write(out, it.next());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot write findings to " + merged + ": " + e.getMessage(), e);
      }
      for (Path p : sources) {
        delete(p);
      }
      files.clear();
      files.add(merged);
    }
  }

  private static DataOutputStream output(Path file) throws IOException {
    return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
  }

  private void write(DataOutputStream out, KeyGroup g) throws IOException {
    out.writeByte(g.elevated ? 1 : 0);
    out.writeInt(g.worst);
    out.writeLong(g.active);
    out.writeLong(g.unknown);
    out.writeInt(g.findings.size());
    for (Finding f : g.findings) {
      codec.write(out, f);
    }
  }

  private @Nullable KeyGroup read(DataInputStream in) throws IOException {
    int elevated = in.read();
    if (elevated < 0) {
      return null;
    }
    int worst = in.readInt();
    long active = in.readLong();
    long unknown = in.readLong();
    int n = in.readInt();
    List<Finding> findings = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Finding f = codec.read(in);
      if (f == null) {
        throw new IOException("bug in kms-posture: a spool file ends inside a key's findings");
      }
      findings.add(f);
    }
    return new KeyGroup(findings, worst, elevated == 1, active, unknown);
  }

  private Path newFile() {
    try {
      if (spoolDirectory == null) {
        spoolDirectory = Files.createTempDirectory(directory, "kms-posture-markdown-");
      }
      return Files.createTempFile(spoolDirectory, "run-", ".bin");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create a temporary file for findings in " + directory + ": " + e.getMessage(), e);
    }
  }

  private Iterator<KeyGroup> merge(List<Path> sources) {
    return SortedRuns.merge(sources, KeyGroup.WORST_FIRST, this::read, open);
  }

  /** Deletes the temporary files. */
  @Override
  public void close() {
    names.close();
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
    held.clear();
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

  /**
   * The findings of one key in report order, with what orders the key in the report: the same as
   * the in-memory writer's.
   */
  static final class KeyGroup {
    final List<Finding> findings;
    final int worst;
    final boolean elevated;
    final long active;
    final long unknown;

    // the ordinal ranks severities for sorting within this run.
    @SuppressWarnings("EnumOrdinal")
    KeyGroup(List<Finding> findings) {
      this.findings = findings;
      int w = Severity.values().length;
      boolean e = false;
      long a = 0;
      long u = 0;
      for (Finding f : findings) {
        if (f.isActiveFailure()) {
          w = Math.min(w, f.severity().ordinal());
          a++;
        }
        if (f.priority() == Finding.Priority.ELEVATED) {
          e = true;
        }
        if (f.status() == Status.UNKNOWN) {
          u++;
        }
      }
      this.worst = w;
      this.elevated = e;
      this.active = a;
      this.unknown = u;
    }

    KeyGroup(List<Finding> findings, int worst, boolean elevated, long active, long unknown) {
      this.findings = findings;
      this.worst = worst;
      this.elevated = elevated;
      this.active = active;
      this.unknown = unknown;
    }

    String subject() {
      return findings.get(0).subject();
    }

    String arn() {
      return Objects.requireNonNull(findings.get(0).keyArn());
    }

    /** Worst active failure first, then raised priority, more failures, more unknowns, name. */
    static final Comparator<KeyGroup> WORST_FIRST =
        Comparator.comparingInt((KeyGroup k) -> k.worst)
            .thenComparing(k -> !k.elevated)
            .thenComparing(k -> -k.active)
            .thenComparing(k -> -k.unknown)
            .thenComparing(KeyGroup::subject)
            .thenComparing(KeyGroup::arn);
  }
}
