package dev.kmsposture.testkit.assertj;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.testkit.internal.ShouldHaveFailure;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * The active failures of one rule in a report, reached with {@link
 * PostureReportAssert#hasFailure(String)}.
 *
 * @since 0.1.0
 */
public final class ReportFailureAssert extends AbstractAssert<ReportFailureAssert, List<Finding>> {
  private final String ruleId;
  private final PostureReport report;
  private final PostureReportAssert reportAssert;

  ReportFailureAssert(
      List<Finding> failures,
      String ruleId,
      PostureReport report,
      PostureReportAssert reportAssert) {
    super(List.copyOf(failures), ReportFailureAssert.class);
    this.ruleId = ruleId;
    this.report = report;
    this.reportAssert = reportAssert;
  }

  /**
   * Verifies that one of the rule's failures is about the key named {@code key} (its alias without
   * {@code alias/}, or its ARN when it has none).
   *
   * <pre>{@code
   * // passes
   * assertThat(report).hasFailure("RotationDisabled").forKey("dev-scratch");
   * // fails: rotation is on for prod-customer-pii
   * assertThat(report).hasFailure("RotationDisabled").forKey("prod-customer-pii");
   * }</pre>
   *
   * @param key the key's name in reports
   * @return an assertion on that key's failure
   * @throws AssertionError if the rule does not fail for that key
   * @since 0.1.0
   */
  public FindingAssert forKey(String key) {
    Objects.requireNonNull(key, "key");
    for (Finding f : actual) {
      if (f.subject().equals(key)) {
        return new FindingAssert(f);
      }
    }
    throwAssertionError(ShouldHaveFailure.shouldHaveFailureForKey(report, ruleId, key, actual));
    throw new IllegalStateException("bug in kms-posture: the assertion did not throw");
  }

  /**
   * Returns to the report.
   *
   * @return the report assertion
   * @since 0.1.0
   */
  public PostureReportAssert returnToReport() {
    return reportAssert;
  }
}
