package dev.kmsposture.report;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureSummary;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.snapshot.ResourceInventory;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
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
  private final @Nullable ResourceInventory inventory;

  /** Creates the writer. */
  public MarkdownReportWriter() {
    this.inventory = null;
  }

  private MarkdownReportWriter(ResourceInventory inventory) {
    this.inventory = inventory;
  }

  /**
   * Returns a writer that ends each report with the section listing, per key, the resources of
   * {@code inventory} ({@link InventoryMarkdown}).
   */
  public MarkdownReportWriter withInventory(ResourceInventory inventory) {
    return new MarkdownReportWriter(Objects.requireNonNull(inventory, "inventory"));
  }

  @Override
  public String write(PostureReport report) {
    Objects.requireNonNull(report, "report");
    StringBuilder md = new StringBuilder();
    Map<Severity, Long> unknownBySeverity = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      unknownBySeverity.put(s, 0L);
    }
    for (Finding f : report.findings()) {
      if (f.status() == Status.UNKNOWN) {
        unknownBySeverity.merge(f.severity(), 1L, Long::sum);
      }
    }
    head(
        md,
        new Counts(
            report.account(),
            report.capturedAt(),
            report.notes(),
            report.source(),
            report.keyCount(),
            report.rules().size(),
            report.failuresBySeverity(),
            unknownBySeverity,
            report.countsByStatus(),
            disposition(report.findings(), Finding.Disposition.SUPPRESSED),
            disposition(report.findings(), Finding.Disposition.BASELINED)));

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
    return md.toString().stripTrailing() + "\n" + inventorySection();
  }

  /**
   * Writes the report of a streaming check to {@code out}: the same text as {@link
   * #write(PostureReport)} of the same findings, written one key at a time, never holding the text
   * or every finding ({@link MarkdownSpool} keeps them in order, on disk when many).
   *
   * @param summary the counts the check returned ({@link PostureEngine.Session#finish})
   * @param spool the spool that received every finding of the check; read once
   * @param out where the report goes
   * @throws IOException if {@code out} fails
   * @throws java.io.UncheckedIOException if the spool's temporary files cannot be read
   */
  public void write(PostureSummary summary, MarkdownSpool spool, Writer out) throws IOException {
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(out, "out");
    // The report ends with one line break, as if its text were stripped of trailing white space:
    // white space is held back until more text follows it.
    TrailingSpace text = new TrailingSpace(out);
    Map<Severity, Long> unknownBySeverity = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      unknownBySeverity.put(s, spool.unknown(s));
    }
    StringBuilder md = new StringBuilder();
    head(
        md,
        new Counts(
            summary.account(),
            summary.capturedAt(),
            summary.notes(),
            summary.source(),
            summary.keyCount(),
            summary.rules().size(),
            summary.failuresBySeverity(),
            unknownBySeverity,
            summary.countsByStatus(),
            spool.suppressed(),
            spool.baselined()));
    text.write(md);
    boolean[] first = {true};
    IOException[] failed = new IOException[1];
    spool.forEachKey(
        findings -> {
          if (failed[0] != null) {
            return;
          }
          StringBuilder part = new StringBuilder();
          if (first[0]) {
            part.append("## Keys, worst first\n\n");
            first[0] = false;
          }
          String arn = Objects.requireNonNull(findings.get(0).keyArn());
          String subject = findings.get(0).subject();
          String title = subject.equals(arn) ? text(arn) + " (no alias)" : text(subject);
          if (spool.sharedName(subject)) {
            title = title + " in " + region(arn);
          }
          section(part, "### " + title, arn, findings);
          try {
            text.write(part);
          } catch (IOException e) {
            failed[0] = e;
          }
        });
    if (failed[0] != null) {
      throw failed[0];
    }
    List<Finding> account = spool.accountFindings();
    if (!account.isEmpty()) {
      StringBuilder part = new StringBuilder();
      section(part, "## Account " + summary.account(), null, account);
      text.write(part);
    }
    out.write("\n");
    out.write(inventorySection());
  }

  // The inventory section with the blank line before it, or nothing.
  private String inventorySection() {
    ResourceInventory i = inventory;
    return i == null ? "" : "\n" + InventoryMarkdown.section(i).stripTrailing() + "\n";
  }

  /** Writes text, holding back trailing white space until more text follows it. */
  private static final class TrailingSpace {
    private final Writer out;
    private final StringBuilder pending = new StringBuilder();

    TrailingSpace(Writer out) {
      this.out = out;
    }

    void write(CharSequence s) throws IOException {
      int end = s.length();
      while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
        end--;
      }
      if (end == 0) {
        pending.append(s);
        return;
      }
      if (pending.length() > 0) {
        out.append(pending);
        pending.setLength(0);
      }
      out.append(s, 0, end);
      pending.append(s, end, s.length());
    }
  }

  /** What a report says before its first key. */
  private record Counts(
      String account,
      Instant capturedAt,
      List<String> notes,
      String source,
      long keyCount,
      int ruleCount,
      Map<Severity, Long> failuresBySeverity,
      Map<Severity, Long> unknownBySeverity,
      Map<Status, Long> byStatus,
      long suppressed,
      long baselined) {}

  private static void head(StringBuilder md, Counts c) {
    LocalDate date = LocalDate.ofInstant(c.capturedAt(), ZoneOffset.UTC);
    md.append("# KMS key posture of account ")
        .append(c.account())
        .append(", ")
        .append(date)
        .append("\n\n");
    for (String note : c.notes()) {
      md.append("> **Warning:** ").append(text(note)).append("\n\n");
    }
    md.append("Snapshot captured ")
        .append(c.capturedAt())
        .append(c.source().isEmpty() ? "" : " from `" + c.source() + "`")
        .append(": ")
        .append(count(c.keyCount(), "key"))
        .append(" checked against ")
        .append(count(c.ruleCount(), "rule"))
        .append(".\n\n");
    summary(md, c);
  }

  private static void summary(StringBuilder md, Counts c) {
    Map<Severity, Long> bySeverity = c.failuresBySeverity();
    Map<Severity, Long> unknownBySeverity = c.unknownBySeverity();
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
    Map<Status, Long> byStatus = c.byStatus();
    if (c.keyCount() == 0) {
      md.append("No key was checked, so this is not a clean result.\n\n");
    } else if (active == 0) {
      md.append("No active failures.\n\n");
    }
    md.append(count(Objects.requireNonNull(byStatus.get(Status.UNKNOWN)), "result"))
        .append(" could not be checked, ")
        .append(c.suppressed())
        .append(" suppressed, ")
        .append(c.baselined())
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
      sb.append(" (statement #").append(l.place().index());
      if (l.place().sid() != null) {
        sb.append(" [").append(text(l.place().sid())).append(']');
      }
      sb.append(" at ").append(text(l.place().pointer())).append(')');
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
