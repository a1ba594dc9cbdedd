package dev.kmsposture.testkit.internal;

import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Severity;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The message of a failed {@code hasNoFindingsAtLeast(…)} on a policy or {@code
 * hasNoActiveFailuresAtLeast(…)} on a report: every failure at or above the severity, one a line.
 */
public final class ShouldHaveNoFindings extends BasicErrorMessageFactory {
  private ShouldHaveNoFindings(String format, Object... arguments) {
    super(format, arguments);
  }

  /** The message when the policy has failures of at least {@code severity}. */
  public static ErrorMessageFactory shouldHaveNoFindingsAtLeast(
      KeyPolicy policy, Severity severity, List<Finding> failures) {
    List<String> lines = new ArrayList<>();
    for (Finding f : failures) {
      lines.add(Rendering.finding(f));
    }
    return new ShouldHaveNoFindings(
        "%nExpecting policy:%n  %s%nto have no findings at least %s%nbut it has %s:%n%s",
        unquotedString(Rendering.policy(policy)),
        unquotedString(severity.name()),
        unquotedString(String.valueOf(failures.size())),
        unquotedString(Rendering.lines(lines)));
  }

  /** The message when the report has active failures of at least {@code severity}. */
  public static ErrorMessageFactory shouldHaveNoActiveFailuresAtLeast(
      PostureReport report, Severity severity, List<Finding> failures) {
    List<String> lines = new ArrayList<>();
    for (Finding f : failures) {
      lines.add(Rendering.failure(f));
    }
    return new ShouldHaveNoFindings(
        "%nExpecting report:%n  %s%nto have no active failures at least %s%nbut it has %s:%n%s",
        unquotedString(Rendering.report(report)),
        unquotedString(severity.name()),
        unquotedString(String.valueOf(failures.size())),
        unquotedString(Rendering.lines(lines)));
  }
}
