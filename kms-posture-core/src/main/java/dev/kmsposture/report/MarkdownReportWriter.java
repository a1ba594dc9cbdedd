package dev.kmsposture.report;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes a report as Markdown a person reads: a title with the account and the snapshot's date, any
 * warning (such as an empty snapshot) first, active failures counted by severity, then one section
 * per key, worst key first — ordered by its worst active failure's severity, then raised priority,
 * then its number of active failures. Each section names the key by alias (or ARN, "no alias"),
 * says why its priority is raised, lists each failure with its message and its fix (the AWS CLI
 * command in a code span, with the key's id filled in), then what could not be checked, then
 * suppressed and baselined failures with their reasons, and counts the passing and not-applicable
 * results. Account-level findings come last.
 *
 * <p>Immutable and thread-safe.
 */
public final class MarkdownReportWriter implements ReportWriter {

  /** Creates the writer. */
  public MarkdownReportWriter() {}

  @Override
  public String write(PostureReport report) {
    Objects.requireNonNull(report, "report");
    StringBuilder md = new StringBuilder();
    LocalDate date = LocalDate.ofInstant(report.capturedAt(), ZoneOffset.UTC);
    md.append("# KMS key posture of account ")
        .append(report.account())
        .append(", ")
        .append(date)
        .append("\n\n");
    for (String note : report.notes()) {
      md.append("> **Warning:** ").append(text(note)).append("\n\n");
    }
    md.append("Snapshot captured ")
        .append(report.capturedAt())
        .append(report.source().isEmpty() ? "" : " from `" + report.source() + "`")
        .append(": ")
        .append(count(report.keyCount(), "key"))
        .append(" checked against ")
        .append(count(report.rules().size(), "rule"))
        .append(".\n\n");
    summary(md, report);

    Map<String, List<Finding>> byKey = new LinkedHashMap<>();
    List<Finding> account = new ArrayList<>();
    for (Finding f : report.findings()) {
      if (f.keyArn() == null) {
        account.add(f);
      } else {
        byKey.computeIfAbsent(f.keyArn(), k -> new ArrayList<>()).add(f);
      }
    }
    List<KeyFindings> keys = new ArrayList<>();
    byKey.forEach((arn, list) -> keys.add(new KeyFindings(arn, list)));
    keys.sort(WORST_FIRST);
    if (!keys.isEmpty()) {
      md.append("## Keys, worst first\n\n");
      Map<String, Long> named = new HashMap<>();
      keys.forEach(k -> named.merge(k.subject(), 1L, Long::sum));
      for (KeyFindings k : keys) {
        // Keys that share a name (a multi-Region primary and its replicas) are told apart by
        // Region.
        String title =
            Objects.requireNonNull(named.get(k.subject())) > 1
                ? k.title() + " in " + region(k.arn)
                : k.title();
        section(md, "### " + title, k.arn, k.findings);
      }
    }
    if (!account.isEmpty()) {
      section(md, "## Account " + report.account(), null, account);
    }
    return md.toString().stripTrailing() + "\n";
  }

  private static void summary(StringBuilder md, PostureReport report) {
    Map<Severity, Long> bySeverity = report.failuresBySeverity();
    Map<Severity, Long> unknownBySeverity = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      unknownBySeverity.put(s, 0L);
    }
    for (Finding f : report.findings()) {
      if (f.status() == Status.UNKNOWN) {
        unknownBySeverity.merge(f.severity(), 1L, Long::sum);
      }
    }
    long active = bySeverity.values().stream().mapToLong(Long::longValue).sum();
    md.append("## Summary\n\n");
    // Results that could not be checked are counted beside failures: they are not passes.
    md.append("| Severity | Active failures | Could not check |\n");
    md.append("| --- | ---: | ---: |\n");
    for (Severity s : Severity.values()) {
      md.append("| ")
          .append(name(s))
          .append(" | ")
          .append(bySeverity.get(s))
          .append(" | ")
          .append(unknownBySeverity.get(s))
          .append(" |\n");
    }
    md.append('\n');
    Map<Status, Long> byStatus = report.countsByStatus();
    long suppressed = disposition(report.findings(), Finding.Disposition.SUPPRESSED);
    long baselined = disposition(report.findings(), Finding.Disposition.BASELINED);
    if (report.isEmptySnapshot()) {
      md.append("No key was checked, so this is not a clean result.\n\n");
    } else if (active == 0) {
      md.append("No active failures.\n\n");
    }
    md.append(count(Objects.requireNonNull(byStatus.get(Status.UNKNOWN)), "result"))
        .append(" could not be checked, ")
        .append(suppressed)
        .append(" suppressed, ")
        .append(baselined)
        .append(" baselined; ")
        .append(byStatus.get(Status.PASS))
        .append(" passed, ")
        .append(byStatus.get(Status.NOT_APPLICABLE))
        .append(" not applicable.\n\n");
  }

  private static long disposition(List<Finding> findings, Finding.Disposition d) {
    return findings.stream().filter(f -> f.status() == Status.FAIL && f.disposition() == d).count();
  }

  private static void section(
      StringBuilder md, String heading, @Nullable String arn, List<Finding> findings) {
    md.append(heading).append("\n\n");
    if (arn != null && !findings.get(0).subject().equals(arn)) {
      md.append('`').append(arn).append("`\n\n");
    }
    List<String> reasons = findings.get(0).priorityReasons();
    if (!reasons.isEmpty()) {
      md.append("Higher priority: ").append(text(String.join("; ", reasons))).append(".\n\n");
    }
    String keyId = arn == null ? null : keyId(arn);
    List<Finding> failing = new ArrayList<>();
    List<Finding> unknown = new ArrayList<>();
    List<Finding> accepted = new ArrayList<>();
    long passed = 0;
    long notApplicable = 0;
    for (Finding f : findings) {
      switch (f.status()) {
        case FAIL -> (f.disposition() == Finding.Disposition.ACTIVE ? failing : accepted).add(f);
        case UNKNOWN -> unknown.add(f);
        case PASS -> passed++;
        default -> notApplicable++;
      }
    }
    for (Finding f : failing) {
      md.append("- **")
          .append(name(f.severity()))
          .append("** `")
          .append(f.ruleId())
          .append("`: ")
          .append(text(f.message()))
          .append(where(f))
          .append('\n');
      md.append("  - Fix: ")
          .append(prose(f.remediation().description()))
          .append(' ')
          .append(code(fill(f.remediation().cliCommand(), keyId, arn)))
          .append('\n');
    }
    if (!failing.isEmpty()) {
      md.append('\n');
    }
    if (!unknown.isEmpty()) {
      md.append("Could not check:\n\n");
      for (Finding f : unknown) {
        md.append("- `").append(f.ruleId()).append("`: ").append(text(f.message())).append('\n');
      }
      md.append('\n');
    }
    if (!accepted.isEmpty()) {
      md.append("Accepted:\n\n");
      for (Finding f : accepted) {
        md.append("- `")
            .append(f.ruleId())
            .append("` ")
            .append(f.disposition() == Finding.Disposition.SUPPRESSED ? "suppressed" : "baselined")
            .append(f.dispositionNote() == null ? "" : " (" + text(f.dispositionNote()) + ")")
            .append(": ")
            .append(text(f.message()))
            .append('\n');
      }
      md.append('\n');
    }
    md.append("Passed: ")
        .append(passed)
        .append(" · not applicable: ")
        .append(notApplicable)
        .append("\n\n");
  }

  private static String where(Finding f) {
    StringBuilder sb = new StringBuilder();
    PolicyLocation l = f.location();
    if (l != null) {
      sb.append(" (statement #").append(l.statementIndex());
      if (l.sid() != null) {
        sb.append(" [").append(text(l.sid())).append(']');
      }
      sb.append(" at ").append(text(l.pointer())).append(')');
    }
    if (f.item() != null && !f.message().contains(f.item())) {
      sb.append(" (").append(text(f.item())).append(')');
    }
    return sb.toString();
  }

  private static String fill(String command, @Nullable String keyId, @Nullable String arn) {
    String c = command;
    if (keyId != null) {
      c = c.replace("<key-id>", keyId);
    }
    if (arn != null) {
      c = c.replace("<key-arn>", arn);
    }
    return c;
  }

  private static String region(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 ? parts[3] : arn;
  }

  private static String keyId(String arn) {
    int i = arn.indexOf(":key/");
    return i < 0 ? arn : arn.substring(i + 5);
  }

  /** Returns {@code s} as a code span, with a long enough fence for backticks inside it. */
  static String code(String s) {
    String fence = s.contains("`") ? "``" : "`";
    String pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
    return fence + pad + s + pad + fence;
  }

  /**
   * Escapes running text like {@link #text(String)}, but puts each JSON object in it (a statement,
   * a condition block) in a code span, unescaped: copied from a terminal or from the rendered page
   * it is valid JSON, where an escaped {@code \\*} would not be.
   */
  static String prose(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    int i = 0;
    while (i < s.length()) {
      int open = s.indexOf("{\"", i);
      int close = open < 0 ? -1 : jsonObjectEnd(s, open);
      if (close < 0) {
        sb.append(text(s.substring(i)));
        break;
      }
      sb.append(text(s.substring(i, open))).append(code(s.substring(open, close + 1)));
      i = close + 1;
    }
    return sb.toString();
  }

  /** Returns the index of the brace that closes the object opened at {@code open}, or -1. */
  private static int jsonObjectEnd(String s, int open) {
    int depth = 0;
    boolean inString = false;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Escapes the characters that would change the meaning of running text in Markdown. */
  static String text(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '_' || c == '`' || c == '<' || c == '\\' || c == '|') {
        sb.append('\\');
      }
      sb.append(c == '\n' ? ' ' : c);
    }
    return sb.toString();
  }

  private static String name(Severity s) {
    String n = s.name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** The findings of one key, with what orders the key in the report. */
  private static final class KeyFindings {
    final String arn;
    final List<Finding> findings;
    final int worst;
    final boolean elevated;
    final long active;
    final long unknown;

    // the ordinal ranks severities for sorting within this run.
    @SuppressWarnings("EnumOrdinal")
    KeyFindings(String arn, List<Finding> findings) {
      this.arn = arn;
      this.findings = List.copyOf(findings);
      this.worst =
          findings.stream()
              .filter(Finding::isActiveFailure)
              .mapToInt(f -> f.severity().ordinal())
              .min()
              .orElse(Severity.values().length);
      this.elevated = findings.stream().anyMatch(f -> f.priority() == Finding.Priority.ELEVATED);
      this.active = findings.stream().filter(Finding::isActiveFailure).count();
      this.unknown = findings.stream().filter(f -> f.status() == Status.UNKNOWN).count();
    }

    String subject() {
      return findings.get(0).subject();
    }

    String title() {
      String s = subject();
      return s.equals(arn) ? text(arn) + " (no alias)" : text(s);
    }
  }

  /** Worst active failure first, then raised priority, more failures, more unknowns, name. */
  private static final Comparator<KeyFindings> WORST_FIRST =
      Comparator.comparingInt((KeyFindings k) -> k.worst)
          .thenComparing(k -> !k.elevated)
          .thenComparing(k -> -k.active)
          .thenComparing(k -> -k.unknown)
          .thenComparing(KeyFindings::subject)
          .thenComparing(k -> k.arn);
}
