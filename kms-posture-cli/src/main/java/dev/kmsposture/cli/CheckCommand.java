package dev.kmsposture.cli;

import dev.kmsposture.report.FindingSpool;
import dev.kmsposture.report.MarkdownReportWriter;
import dev.kmsposture.report.MarkdownSpool;
import dev.kmsposture.report.ReportFormat;
import dev.kmsposture.report.ReportWriter;
import dev.kmsposture.rules.Baseline;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.FindingSink;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureResults;
import dev.kmsposture.rules.PostureSummary;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.KeySnapshot;
import dev.kmsposture.snapshot.ResourceInventory;
import dev.kmsposture.snapshot.SnapshotParseException;
import dev.kmsposture.snapshot.SnapshotReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kms-posture check SNAPSHOT.json}: runs the posture rules on an account snapshot and writes
 * the report (Markdown by default; JSON, SARIF or ASFF with {@code --format}) to standard output or
 * {@code --output}.
 *
 * <p>Exit codes: {@link ExitCode#OK} when no active failure at or above {@code --fail-on} (default
 * {@code critical}) remains and no rule at or above it could not be checked (or {@code
 * --allow-unknown} accepts that), and after {@code --write-baseline} wrote its baseline; {@link
 * ExitCode#FINDINGS} otherwise, or when the snapshot holds no keys (nothing was checked, which is
 * never a clean result); {@link ExitCode#BAD_INPUT} when the snapshot, configuration or baseline
 * cannot be read or does not parse (the message names the file and, for a snapshot, the JSON
 * Pointer of the offending field), a suppression names no rule, or an output is one of the inputs.
 * Suppressed and baselined failures do not count ({@link CheckVerdict}); outputs are written
 * through {@link OutputFiles}.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Run the posture rules on an account snapshot and report the findings.",
      "Exits 1 when an active failure at or above --fail-on remains, or a rule at or above it"
          + " could not be checked (unless --allow-unknown), or the snapshot has no keys; 0"
          + " otherwise (and after --write-baseline wrote its baseline); 2 on bad input."
    })
final class CheckCommand implements Callable<Integer> {

  @Spec private CommandSpec spec = CommandSpec.create();

  @ParentCommand private @Nullable KmsPosture parent;

  @Parameters(
      index = "0",
      paramLabel = "SNAPSHOT.json",
      description =
          "The account snapshot (JSON, docs/snapshot-schema.md), or - for standard input.")
  private String snapshot = "";

  @Option(
      names = "--config",
      paramLabel = "CONFIG.yaml",
      description = "Thresholds, required tags, trusted accounts and suppressions (YAML or JSON).")
  private @Nullable String config;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "markdown",
      description = "json, sarif, markdown or asff (default: ${DEFAULT-VALUE}).")
  private String format = "markdown";

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  private @Nullable Path output;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      defaultValue = "critical",
      description =
          "critical, recommended or optional: exit 1 when an active failure of this severity or"
              + " worse remains (default: ${DEFAULT-VALUE}).")
  private String failOn = "critical";

  @Option(
      names = "--allow-unknown",
      description =
          "Do not fail when a rule at or above --fail-on could not be checked (a key policy that"
              + " does not parse, a part of a key that could not be read); by default it fails the"
              + " run, because an unreadable policy is no better than a bad one.")
  private boolean allowUnknown;

  @Option(
      names = "--baseline",
      paramLabel = "B.json",
      description = "Known findings (written by --write-baseline) that no longer fail the check.")
  private @Nullable String baseline;

  @Option(
      names = "--write-baseline",
      paramLabel = "B.json",
      description = "Write the fingerprints of this run's active failures to B.json.")
  private @Nullable Path writeBaseline;

  private final Supplier<RuleSet> rules;
  private final BooleanSupplier terminal;

  /** Creates the command with the built-in rules; picocli calls this. */
  public CheckCommand() {
    this(CheckCommand::builtInRules, Progress::stderrIsTerminal);
  }

  /** Creates the command with {@code rules} (tests use their own rules). */
  CheckCommand(Supplier<RuleSet> rules) {
    this(rules, Progress::stderrIsTerminal);
  }

  /**
   * Creates the command with {@code rules}, showing progress when {@code terminal} says standard
   * error is a terminal.
   */
  CheckCommand(Supplier<RuleSet> rules, BooleanSupplier terminal) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.terminal = Objects.requireNonNull(terminal, "terminal");
  }

  /**
   * Returns the rules {@code check} and {@code demo} apply: every built-in rule.
   *
   * @return the rule set
   */
  static RuleSet builtInRules() {
    return KmsPostureRules.all();
  }

  /**
   * Checks the snapshot and writes the report.
   *
   * @return the {@link ExitCode}
   */
  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return check(spec.commandLine().getOut(), err);
    } catch (BadInputException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return ExitCode.BAD_INPUT;
    }
  }

  private int check(PrintWriter out, PrintWriter err) {
    ReportFormat reportFormat = parseFormat(format);
    ReportWriter writer = reportFormat.writer();
    Severity threshold = parseSeverity(failOn);
    InputReader input =
        parent != null ? parent.input() : InputReader.of(System.in, InputReader.DEFAULT_MAX_BYTES);
    PostureConfig postureConfig = config == null ? PostureConfig.defaults() : parseConfig(input);
    Baseline known = baseline == null ? Baseline.empty() : parseBaseline(input);
    RuleSet ruleSet = rules.get();
    if (ruleSet.rules().isEmpty()) {
      throw new BadInputException(
          "no posture rules are available in this build of kms-posture; nothing can be checked");
    }
    if (config != null) {
      SuppressionRules.check(postureConfig, ruleSet, config);
    }
    refuseOverwritingInputs();
    PostureEngine engine =
        PostureEngine.builder().ruleSet(ruleSet).config(postureConfig).baseline(known).build();
    String source = snapshot.equals(InputReader.STDIN) ? "" : snapshot;
    Progress progress = Progress.on(err, terminal.getAsBoolean());
    // A regular file can be read twice (a pipe or device cannot): its keys need not wait for
    // members written after them.
    boolean lookAhead = !snapshot.equals(InputReader.STDIN) && isRegularFile(snapshot);
    try {
      return check(out, err, reportFormat, writer, engine, source, progress, threshold, lookAhead);
    } catch (SnapshotReader.ReadAgain e) {
      // The keys judged ahead are forgotten (their spool and tally with them): the snapshot is
      // read again, its keys waiting for what follows them, which reports any problem as always.
      return check(out, err, reportFormat, writer, engine, source, progress, threshold, false);
    }
  }

  private int check(
      PrintWriter out,
      PrintWriter err,
      ReportFormat reportFormat,
      ReportWriter writer,
      PostureEngine engine,
      String source,
      Progress progress,
      Severity threshold,
      boolean lookAhead) {
    CheckVerdict.Tally tally = new CheckVerdict.Tally(threshold, allowUnknown);
    // The fingerprints a baseline needs, collected only when one is written.
    Set<String> fingerprints = writeBaseline == null ? null : new TreeSet<>();
    // Read key by key and judged as read; findings wait in a spool (on disk when many) until the
    // report is written in order, so memory does not grow with the account. The Markdown report
    // orders keys, not findings, and has a spool of its own.
    boolean markdown = reportFormat == ReportFormat.MARKDOWN;
    try (SnapshotInput in = openSnapshot();
        FindingSpool spool = FindingSpool.create(f -> !markdown && writer.includes(f));
        MarkdownSpool keys = MarkdownSpool.create();
        // Closed first: its threads read the spool.
        ReadAhead readAhead = new ReadAhead()) {
      FindingSink sink =
          f -> {
            tally.accept(f);
            if (markdown) {
              keys.accept(f);
            } else {
              spool.accept(f);
            }
            if (fingerprints != null
                && f.status() == Status.FAIL
                && f.disposition() != Finding.Disposition.SUPPRESSED) {
              fingerprints.add(f.fingerprint());
            }
          };
      List<AccountSnapshot> header = new ArrayList<>(1);
      PostureSummary summary = read(in, engine, source, sink, progress, header, lookAhead);
      progress.done();
      // The Markdown report lists, per key, the resources of the snapshot's inventory.
      ResourceInventory collected = header.get(0).inventory();
      OutputFiles.Content report;
      // The JSON formats print straight to bytes (their findings on threads of their own).
      OutputFiles.@Nullable Bytes bytes = null;
      OutputFiles.@Nullable Bytes stdoutBytes = null;
      if (markdown) {
        MarkdownReportWriter md =
            collected == null
                ? new MarkdownReportWriter()
                : new MarkdownReportWriter().withInventory(collected);
        report = w -> md.write(summary, keys, w);
      } else {
        Iterable<Finding> all = counted(readAhead.of(spool.inReportOrder()), progress);
        PostureResults results =
            new PostureResults() {
              @Override
              public PostureSummary summary() {
                return summary;
              }

              @Override
              public Iterable<Finding> findings() {
                return all;
              }

              // SARIF reads the unknown results apart: the spool reads only where they are.
              @Override
              public Iterable<Finding> findings(Status status) {
                return readAhead.of(spool.inReportOrder(status));
              }
            };
        report = w -> writer.write(results, w);
        // A file refuses text UTF-8 cannot encode, as its writer did; standard output replaces it.
        bytes = o -> writer.write(results, o, CodingErrorAction.REPORT);
        stdoutBytes = o -> writer.write(results, o, CodingErrorAction.REPLACE);
      }
      // Streamed: the JSON report of a large account is gigabytes of text.
      if (output == null) {
        try {
          Optional<OutputStream> stdout =
              stdoutBytes == null ? Optional.empty() : StandardOutput.bytesOf(out);
          if (stdout.isPresent() && stdoutBytes != null) {
            out.flush();
            stdoutBytes.writeTo(stdout.get());
          } else {
            report.writeTo(out);
          }
        } catch (IOException e) {
          throw new BadInputException("cannot write the report: " + e.getMessage(), e);
        }
        out.flush();
        progress.done();
      } else {
        if (bytes != null) {
          OutputFiles.writeBytes(output, bytes);
        } else {
          OutputFiles.write(output, report);
        }
        progress.done();
        err.println(
            "wrote the " + reportFormat.name().toLowerCase(Locale.ROOT) + " report to " + output);
      }
      CheckVerdict verdict = tally.verdict(summary.keyCount());
      if (writeBaseline != null && fingerprints != null) {
        OutputFiles.write(writeBaseline, Baseline.of(fingerprints).toJson());
        err.println(
            "wrote a baseline of "
                + summary.activeFailureCount()
                + " active failures to "
                + writeBaseline);
      }
      err.println(verdict.line());
      err.flush();
      // Writing a baseline accepts today's failures: the run did what was asked. An empty snapshot
      // is still never a clean result.
      if (writeBaseline != null && !summary.isEmptySnapshot()) {
        return ExitCode.OK;
      }
      return verdict.exitCode();
    } catch (IOException e) {
      throw new BadInputException(
          "snapshot [" + snapshot + "] is not readable: " + e.getMessage(), e);
    } finally {
      progress.done();
    }
  }

  private static boolean isRegularFile(String name) {
    try {
      return Files.isRegularFile(Path.of(name));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  // Reads the snapshot key by key and hands each key to a streaming check.
  private PostureSummary read(
      SnapshotInput in,
      PostureEngine engine,
      String source,
      FindingSink sink,
      Progress progress,
      List<AccountSnapshot> header,
      boolean lookAhead) {
    List<PostureEngine.Session> session = new ArrayList<>(1);
    AccountSnapshot account;
    // Keys are judged on a second thread, in document order, while the next ones are read.
    KeyPipeline pipeline =
        new KeyPipeline(
            key -> {
              PostureEngine.Session s = session.get(0);
              s.check(key);
              progress.update("keys checked", s.keyCount());
            });
    SnapshotReader.KeyConsumer consumer =
        new SnapshotReader.KeyConsumer() {
          @Override
          public void start(AccountSnapshot header) {
            session.add(engine.start(header, source, sink));
          }

          @Override
          public void accept(KeySnapshot key) {
            pipeline.accept(key);
          }
        };
    try {
      try {
        SnapshotReader reader = SnapshotReader.create();
        account =
            lookAhead
                ? reader.read(in, consumer, () -> Files.newInputStream(Path.of(snapshot)))
                : reader.read(in, consumer);
      } catch (RuntimeException | Error e) {
        pipeline.abort();
        if (e instanceof SnapshotReader.ReadAgain && !session.isEmpty()) {
          session.get(0).discard();
        }
        throw e;
      }
      pipeline.finish();
    } catch (SnapshotParseException e) {
      String what = in.notASnapshot().orElse(e.getMessage());
      throw new BadInputException("snapshot [" + snapshot + "]: " + what, e);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("snapshot [" + snapshot + "] is not valid: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof SnapshotInput.NotText notText) {
        throw new BadInputException(String.valueOf(notText.getMessage()), e);
      }
      IOException cause = e.getCause();
      throw new BadInputException(
          "snapshot ["
              + snapshot
              + "] is not readable: "
              + (cause != null ? cause.getMessage() : e.getMessage()),
          e);
    }
    header.add(account);
    return session.get(0).finish(account);
  }

  // The spool's findings, counted on the progress line as the report is written.
  private static Iterable<Finding> counted(Iterable<Finding> all, Progress progress) {
    return () -> {
      Iterator<Finding> it = all.iterator();
      long[] n = new long[1];
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Finding next() {
          Finding f = it.next();
          progress.update("findings written", ++n[0]);
          return f;
        }
      };
    };
  }

  private SnapshotInput openSnapshot() {
    if (snapshot.equals(InputReader.STDIN)) {
      InputStream stdin = parent != null ? parent.stdin() : System.in;
      // Standard input belongs to the caller: left open.
      return new SnapshotInput(stdin, "standard input", false);
    }
    String what = "input file [" + snapshot + "]";
    if (snapshot.isEmpty()) {
      throw new BadInputException(
          "input file name is empty; pass a file path, or - for standard input");
    }
    Path path;
    try {
      path = Path.of(snapshot);
    } catch (InvalidPathException e) {
      throw new BadInputException(what + " is not a valid path: " + e.getReason(), e);
    }
    if (Files.isDirectory(path)) {
      throw new BadInputException(what + " is a directory; expected a file");
    }
    try {
      return new SnapshotInput(
          new BufferedInputStream(Files.newInputStream(path), 1 << 16), what, true);
    } catch (NoSuchFileException e) {
      throw new BadInputException(what + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new BadInputException(what + " is not readable: permission denied", e);
    } catch (IOException e) {
      throw new BadInputException(what + " is not readable: " + e.getMessage(), e);
    }
  }

  /** Refuses a --output or --write-baseline that is one of the files this run reads. */
  private void refuseOverwritingInputs() {
    if (output != null) {
      OutputFiles.refuseInputs("--output", output, snapshot, config, baseline);
    }
    if (writeBaseline != null) {
      OutputFiles.refuseInputs("--write-baseline", writeBaseline, snapshot, config, baseline);
      if (output != null) {
        OutputFiles.refuseSame("--write-baseline", writeBaseline, "--output", output);
      }
    }
  }

  /** The report format {@code --format} names; {@code scan} shares it. */
  static ReportFormat parseReportFormat(String name) {
    return parseFormat(name);
  }

  /** The severity {@code --fail-on} names; {@code scan} shares it. */
  static Severity parseFailOn(String name) {
    return parseSeverity(name);
  }

  private static ReportFormat parseFormat(String name) {
    try {
      return ReportFormat.parse(name);
    } catch (IllegalArgumentException e) {
      throw BadInputException.from(e);
    }
  }

  private static Severity parseSeverity(String name) {
    for (Severity s : Severity.values()) {
      if (s.name().equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    throw new BadInputException(
        String.format(
            "--fail-on [%s] is not a severity; expected critical, recommended or optional", name));
  }

  private PostureConfig parseConfig(InputReader input) {
    String name = Objects.requireNonNull(config);
    try {
      return PostureConfig.parse(input.read(name));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("configuration [" + name + "]: " + e.getMessage(), e);
    }
  }

  private Baseline parseBaseline(InputReader input) {
    String name = Objects.requireNonNull(baseline);
    try {
      return Baseline.parse(input.forKind(InputReader.BASELINE_MAX_BYTES).read(name));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("baseline [" + name + "]: " + e.getMessage(), e);
    }
  }
}
