package dev.kmsposture.cli;

import dev.kmsposture.report.MarkdownReportWriter;
import dev.kmsposture.rules.PostureEngine;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.RuleSet;
import dev.kmsposture.snapshot.AccountSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The demo: the account an audit finds, checked. The snapshot ({@value #RESOURCE}, a copy of {@code
 * examples/src/main/resources/demo/snapshot.json}) holds a production key with rotation disabled
 * and the console's default policy, a well-made key, an asymmetric signing key, a key nobody can
 * explain, a key public through {@code *}, a key pending deletion that was used last week, imported
 * key material about to expire, a multi-Region key whose replica's policy differs, and a trail that
 * drops KMS events.
 */
final class DemoReport {
  /** The class-path resource of the demo snapshot. */
  public static final String RESOURCE = "/demo/snapshot.json";

  /** The source name the demo report shows. */
  public static final String SOURCE = "demo/snapshot.json";

  private DemoReport() {}

  /**
   * Returns the demo snapshot as shipped.
   *
   * @return the parsed snapshot
   */
  static AccountSnapshot snapshot() {
    try (InputStream in = DemoReport.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("bug in kms-posture: " + RESOURCE + " is missing");
      }
      return AccountSnapshot.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * Checks the demo snapshot with {@code rules}.
   *
   * @param rules the rules to apply
   * @return the report
   */
  static PostureReport report(RuleSet rules) {
    Objects.requireNonNull(rules, "rules");
    return PostureEngine.builder().ruleSet(rules).build().check(snapshot(), SOURCE);
  }

  /**
   * Checks the demo snapshot with every built-in rule and returns the Markdown report, worst key
   * first.
   *
   * @return the Markdown report
   */
  public static String markdown() {
    return new MarkdownReportWriter().write(report(CheckCommand.builtInRules()));
  }
}
