package dev.kmsposture.testkit.internal;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import java.util.List;
import java.util.TreeSet;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/** The message of a failed {@code hasFailure(ruleId)} or {@code forKey(alias)} on a report. */
public final class ShouldHaveFailure extends BasicErrorMessageFactory {
  private ShouldHaveFailure(String format, Object... arguments) {
    super(format, arguments);
  }

  /** The message when the report has no active failure of rule {@code ruleId}. */
  public static ErrorMessageFactory shouldHaveFailure(PostureReport report, String ruleId) {
    TreeSet<String> rules = new TreeSet<>();
    for (Finding f : report.activeFailures()) {
      rules.add(f.ruleId().value());
    }
    return new ShouldHaveFailure(
        "%nExpecting report:%n  %s%nto have an active failure of rule %s%nbut %s",
        unquotedString(Rendering.report(report)),
        unquotedString(ruleId),
        unquotedString(
            rules.isEmpty()
                ? "it has no active failure"
                : "its active failures are of rules " + rules));
  }

  /** The message when rule {@code ruleId} fails, but not for the key named {@code key}. */
  public static ErrorMessageFactory shouldHaveFailureForKey(
      PostureReport report, String ruleId, String key, List<Finding> failures) {
    TreeSet<String> keys = new TreeSet<>();
    for (Finding f : failures) {
      keys.add(f.subject());
    }
    return new ShouldHaveFailure(
        "%nExpecting report:%n  %s%nto have an active failure of rule %s for the key named %s%nbut"
            + " %s fails only for %s",
        unquotedString(Rendering.report(report)),
        unquotedString(ruleId),
        unquotedString(key),
        unquotedString(ruleId),
        unquotedString(keys.toString()));
  }
}
