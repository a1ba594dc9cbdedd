package dev.kmsposture.cli;

import dev.kmsposture.report.ReportFormat;
import dev.kmsposture.rules.Baseline;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.library.KmsPostureRules;
import dev.kmsposture.snapshot.AccountSnapshot;
import dev.kmsposture.snapshot.SnapshotParseException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
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
 * {@code critical}) remains; {@link ExitCode#FINDINGS} when one does, or when the snapshot holds no
 * keys (nothing was checked, which is never a clean result); {@link ExitCode#BAD_INPUT} when the
 * snapshot, configuration or baseline cannot be read or does not parse (the message names the file
 * and, for a snapshot, the JSON Pointer of the offending field). Suppressed and baselined failures
 * do not count.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Run the posture rules on an account snapshot and report the findings.",
      "Exits 1 when an active failure at or above --fail-on remains (or the snapshot has no keys),"
          + " 0 otherwise, 2 on bad input."
    })
public final class CheckCommand implements Callable<Integer> {

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

  /** Creates the command with the built-in rules; picocli calls this. */
  public CheckCommand() {
    this(CheckCommand::builtInRules);
  }

  /** Creates the command with {@code rules} (tests use their own rules). */
  CheckCommand(Supplier<RuleSet> rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
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
    Severity threshold = parseSeverity(failOn);
    InputReader input =
        parent != null ? parent.input() : InputReader.of(System.in, InputReader.DEFAULT_MAX_BYTES);
    // Snapshots of large accounts are far larger than policies: 100,000 keys are about 200 MB.
    AccountSnapshot parsed =
        parseSnapshot(
            snapshot,
            input
                .withMaxBytes(Math.max(input.maxBytes(), InputReader.SNAPSHOT_MAX_BYTES))
                .read(snapshot));
    PostureConfig postureConfig = config == null ? PostureConfig.defaults() : parseConfig(input);
    Baseline known = baseline == null ? Baseline.empty() : parseBaseline(input);
    RuleSet ruleSet = rules.get();
    if (ruleSet.rules().isEmpty()) {
      throw new BadInputException(
          "no posture rules are available in this build of kms-posture; nothing can be checked");
    }
    PostureReport report =
        PostureEngine.builder()
            .ruleSet(ruleSet)
            .config(postureConfig)
            .baseline(known)
            .build()
            .check(parsed, snapshot.equals(InputReader.STDIN) ? "" : snapshot);
    // Streamed: the JSON report of a large account is gigabytes of text.
    if (output == null) {
      try {
        reportFormat.writer().write(report, out);
      } catch (IOException e) {
        throw new BadInputException("cannot write the report: " + e.getMessage(), e);
      }
      out.flush();
    } else {
      writeReport(output, report, reportFormat);
      err.println(
          "wrote the " + reportFormat.name().toLowerCase(Locale.ROOT) + " report to " + output);
    }
    if (writeBaseline != null) {
      write(writeBaseline, Baseline.of(report).toJson());
      err.println(
          "wrote a baseline of "
              + report.activeFailures().size()
              + " active failures to "
              + writeBaseline);
    }
    err.println(summary(report, threshold));
    err.flush();
    if (report.isEmptySnapshot()) {
      return ExitCode.FINDINGS;
    }
    return report.hasFailuresAtLeast(threshold) ? ExitCode.FINDINGS : ExitCode.OK;
  }

  /** Returns the one-line verdict printed on standard error. */
  static String summary(PostureReport report, Severity threshold) {
    if (report.isEmptySnapshot()) {
      return "the snapshot holds no keys: nothing was checked, which is not a clean result";
    }
    Map<Severity, Long> counts = report.failuresBySeverity();
    String line =
        String.format(
            "%d keys checked: %d critical, %d recommended, %d optional active failures",
            report.keyCount(),
            counts.get(Severity.CRITICAL),
            counts.get(Severity.RECOMMENDED),
            counts.get(Severity.OPTIONAL));
    String level = threshold.name().toLowerCase(Locale.ROOT);
    return line
        + (report.hasFailuresAtLeast(threshold)
            ? "; failing because of " + level + " or worse"
            : "; none at " + level + " or worse");
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
      throw new BadInputException(e.getMessage(), e);
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

  private static AccountSnapshot parseSnapshot(String name, String json) {
    try {
      return AccountSnapshot.parse(json);
    } catch (SnapshotParseException e) {
      throw new BadInputException("snapshot [" + name + "]: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("snapshot [" + name + "] is not valid: " + e.getMessage(), e);
    }
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
      return Baseline.parse(input.read(name));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("baseline [" + name + "]: " + e.getMessage(), e);
    }
  }

  private static void writeReport(Path file, PostureReport report, ReportFormat format) {
    try {
      Path parentDir = file.toAbsolutePath().getParent();
      if (parentDir != null) {
        Files.createDirectories(parentDir);
      }
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        format.writer().write(report, w);
      }
    } catch (IOException | InvalidPathException e) {
      throw new BadInputException("cannot write [" + file + "]: " + e.getMessage(), e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Path parentDir = file.toAbsolutePath().getParent();
      if (parentDir != null) {
        Files.createDirectories(parentDir);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException | InvalidPathException e) {
      throw new BadInputException("cannot write [" + file + "]: " + e.getMessage(), e);
    }
  }
}
