package dev.kmsposture.report;

import static dev.kmsposture.testing.Gens.randoms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.kmsposture.policy.StatementPlace;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.PostureResults;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.testing.Coverage;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The JSON, SARIF and ASFF writers print with Jackson's streaming generator, member by member; the
 * {@code Tree…} writers of this package are the same writers as they were when they built a Jackson
 * tree per finding. For any report (odd text of every kind, every status, severity, priority and
 * disposition, rules the report does not list, repeated rule ids, empty lists, empty snapshots,
 * with and without a documentation base) the streamed text is the tree text, byte for byte, both
 * from a report in memory and from streamed results.
 */
class StreamedWriterEquivalenceProperties {
  private static final int TRIES = 1000;

  /**
   * Every ASCII character (the control characters JSON must escape among them), characters Jackson
   * escapes or leaves alone outside ASCII, letters of other scripts, both halves of a surrogate
   * pair (drawn one at a time, so pairs and lone halves both occur), and the line and paragraph
   * separators.
   */
  private static final String ALPHABET =
      dev.kmsposture.testing.Gens.alphabet(
          '\u0000',
          '\u007f',
          "\u0080\u009f\u00a0éÉßΩ✓—日本\u2028\u2029\ufeff\ufffd\ud83d\ude00\ud800\udfff");

  private static final List<URI> BASES =
      List.of(
          URI.create("https://example.org/kms-posture/"),
          URI.create("https://example.org/a%20b/blob/main/"),
          URI.create("file:///tmp/kms%E2%9C%93/"));

  @Test
  void sarif_streamed_equalsTheTreeByteForByte() {
    Coverage coverage = new Coverage();
    qt().withExamples(TRIES)
        .forAll(cases())
        .checkAssert(
            c -> {
              collect(coverage, c);
              ReportWriter tree =
                  c.base() == null
                      ? new TreeSarifReportWriter()
                      : new TreeSarifReportWriter(c.base());
              ReportWriter streamed =
                  c.base() == null ? new SarifReportWriter() : new SarifReportWriter(c.base());
              assertSame(c.report(), tree, streamed);
            });
    require(coverage);
  }

  @Test
  void json_streamed_equalsTheTreeByteForByte() {
    Coverage coverage = new Coverage();
    qt().withExamples(TRIES)
        .forAll(cases())
        .checkAssert(
            c -> {
              collect(coverage, c);
              assertSame(c.report(), new TreeJsonReportWriter(), new JsonReportWriter());
            });
    require(coverage);
  }

  @Test
  void asff_streamed_equalsTheTreeByteForByte() {
    Coverage coverage = new Coverage();
    qt().withExamples(TRIES)
        .forAll(cases())
        .checkAssert(
            c -> {
              collect(coverage, c);
              ReportWriter tree =
                  c.base() == null
                      ? new TreeAsffReportWriter()
                      : new TreeAsffReportWriter(c.base());
              ReportWriter streamed =
                  c.base() == null ? new AsffReportWriter() : new AsffReportWriter(c.base());
              assertSame(c.report(), tree, streamed);
            });
    require(coverage);
  }

  // The property must be able to fail: a writer that differs in one byte is caught.
  @Test
  void assertSame_oneByteOff_fails() {
    PostureReport report = ReportFixtures.report();
    ReportWriter off =
        r -> {
          String s = new SarifReportWriter().write(r);
          return s.replaceFirst("\"startLine\": 1", "\"startLine\" : 1");
        };
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> assertSame(report, new TreeSarifReportWriter(), off))
        .isInstanceOf(AssertionError.class);
  }

  private static void assertSame(PostureReport report, ReportWriter tree, ReportWriter streamed) {
    String expected = tree.write(report);
    assertThat(streamed.write(report)).isEqualTo(expected);
    StringWriter out = new StringWriter();
    try {
      // as a streaming check hands them over: summary first, findings iterated (twice for SARIF)
      streamed.write(PostureResults.of(report.summary(), report.findings()), out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(out.toString()).isEqualTo(expected);
  }

  record Case(PostureReport report, @Nullable URI base) {}

  /** Reports of every shape (shared with {@link ByteWriterEquivalenceProperties}). */
  static Gen<Case> cases() {
    return randoms().map(StreamedWriterEquivalenceProperties::shape);
  }

  private static void collect(Coverage coverage, Case c) {
    for (Finding f : c.report().findings()) {
      coverage.collect("status", f.status());
      coverage.collect("disposition", f.disposition());
      coverage.collect("severity", f.severity());
      coverage.collect(
          "listed rule", c.report().rules().stream().anyMatch(r -> r.id().equals(f.ruleId())));
    }
    String all = c.report().toString();
    coverage.collect("control character", all.chars().anyMatch(ch -> ch < 0x20));
    coverage.collect("surrogate", all.chars().anyMatch(ch -> Character.isSurrogate((char) ch)));
    coverage.collect("empty snapshot", c.report().keyCount() == 0);
    coverage.collect("no findings", c.report().findings().isEmpty());
    coverage.collect("base", c.base() != null);
  }

  private static void require(Coverage coverage) {
    for (Status s : Status.values()) {
      coverage.requireAtLeast("status", s, 10);
    }
    for (Finding.Disposition d : Finding.Disposition.values()) {
      coverage.requireAtLeast("disposition", d, 10);
    }
    for (Severity s : Severity.values()) {
      coverage.requireAtLeast("severity", s, 10);
    }
    coverage.requireAtLeast("listed rule", false, 5);
    coverage.requireAtLeast("listed rule", true, 50);
    coverage.requireAtLeast("control character", true, 50);
    coverage.requireAtLeast("surrogate", true, 30);
    coverage.requireAtLeast("empty snapshot", true, 10);
    coverage.requireAtLeast("no findings", true, 3);
    coverage.requireAtLeast("base", true, 30);
  }

  private static Case shape(Random r) {
    List<RuleInfo> rules = list(r, 0, 5, StreamedWriterEquivalenceProperties::rule);
    List<RuleInfo> pool = new ArrayList<>(rules);
    pool.add(rule(r)); // a rule the report does not list
    List<Finding> findings = list(r, 0, 14, x -> finding(x, pool.get(x.nextInt(pool.size()))));
    PostureReport report =
        new PostureReport(
            r.nextInt(4) == 0 ? text(r) : "111122223333",
            pick(r, "aws", "aws-cn", "aws-us-gov", text(r)),
            Instant.ofEpochSecond(
                r.nextLong(-62_000_000_000L, 253_000_000_000L),
                pick(r, 0, 0, r.nextInt(1_000_000_000), r.nextInt(1000) * 1_000_000)),
            pick(r, 0, 1, 2, r.nextInt(1_000_000)),
            rules,
            findings,
            list(r, 0, 3, StreamedWriterEquivalenceProperties::text),
            pick(
                r,
                "",
                "  ",
                "snapshot.json",
                "/tmp/x/audits/my snapshot #1.json",
                "a\\b%c",
                text(r)));
    return new Case(report, r.nextInt(3) == 0 ? null : BASES.get(r.nextInt(BASES.size())));
  }

  private static RuleInfo rule(Random r) {
    String summary;
    do {
      summary = text(r);
    } while (summary.isBlank() || summary.endsWith("."));
    // The canonical constructor on purpose: the writers must take any text the record accepts
    // (an empty checklist item or reference), which the builder refuses.
    return new RuleInfo(
        // a small pool of ids, so that a rule set lists some id twice
        RuleId.of(
            pick(r, "RotationDisabled", "KeyPolicyPublic", "Ünïcode9", "X", "Rule" + r.nextInt(3))),
        summary,
        pick(r, Severity.values()),
        text(r),
        text(r),
        list(r, 0, 3, StreamedWriterEquivalenceProperties::text),
        remediation(r),
        list(r, 0, 3, StreamedWriterEquivalenceProperties::text),
        List.of());
  }

  private static Remediation remediation(Random r) {
    return new Remediation(
        text(r),
        pick(
            r,
            "aws kms enable-key-rotation --key-id <key-id>",
            "aws kms x --key-arn <key-arn> --key-id <key-id> <key-id>",
            "",
            text(r) + "<key-id>" + text(r)),
        text(r));
  }

  private static Finding finding(Random r, RuleInfo rule) {
    String message;
    do {
      message = text(r);
    } while (message.isBlank());
    Status status = pick(r, Status.values());
    return Finding.builder()
        .ruleId(rule.id())
        .severity(r.nextInt(4) == 0 ? pick(r, Severity.values()) : rule.severity())
        .status(status)
        .keyArn(
            r.nextInt(5) == 0
                ? null
                : pick(
                    r,
                    "arn:aws:kms:us-east-1:111122223333:key/11111111-1111-4111-8111-111111111111",
                    "arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6",
                    "arn:aws:kms::111122223333:key/" + text(r),
                    "arn:" + text(r) + ":kms:" + text(r) + ":" + text(r) + ":key/" + text(r),
                    text(r) + ":key/" + text(r)))
        .subject(text(r))
        .message(message)
        .location(
            r.nextBoolean()
                ? null
                : new PolicyLocation(
                    new StatementPlace(r.nextInt(1000), r.nextBoolean() ? null : text(r), text(r)),
                    text(r)))
        .item(r.nextBoolean() ? null : text(r))
        .remediation(r.nextInt(3) == 0 ? remediation(r) : rule.remediation())
        .priority(pick(r, Finding.Priority.values()))
        .priorityReasons(list(r, 0, 3, StreamedWriterEquivalenceProperties::text))
        // mostly as the engine sets it (only failures are suppressed or baselined), sometimes any
        .disposition(
            status == Status.FAIL || r.nextInt(4) == 0
                ? pick(r, Finding.Disposition.values())
                : Finding.Disposition.ACTIVE)
        .dispositionNote(r.nextInt(3) == 0 ? null : text(r))
        .build();
  }

  /** Mostly short text, sometimes past ASFF's limits (256, 512, 1024 characters). */
  private static String text(Random r) {
    int n =
        switch (r.nextInt(8)) {
          case 0 -> 0;
          case 1 -> 200 + r.nextInt(1300);
          default -> 1 + r.nextInt(24);
        };
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  private static <T> List<T> list(Random r, int min, int max, Function<Random, T> element) {
    int n = min + r.nextInt(max - min + 1);
    List<T> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      l.add(element.apply(r));
    }
    return l;
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... values) {
    return values[r.nextInt(values.length)];
  }
}
