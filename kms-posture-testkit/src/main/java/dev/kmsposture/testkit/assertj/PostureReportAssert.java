package dev.kmsposture.testkit.assertj;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.testkit.internal.ShouldHaveFailure;
import dev.kmsposture.testkit.internal.ShouldHaveNoFindings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractObjectAssert;

/**
 * Assertions on a {@link PostureReport}: no active failure at a severity, or a given rule failing
 * for a given key. Get one with {@link KmsPostureAssertions#assertThat(PostureReport)}.
 *
 * <pre>{@code
 * PostureReport report = PostureEngine.builder().build().check(snapshot);
 * assertThat(report)
 *     .hasNoActiveFailuresAtLeast(Severity.CRITICAL)
 *     .hasFailure("RotationDisabled").forKey("dev-scratch");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class PostureReportAssert
    extends AbstractObjectAssert<PostureReportAssert, PostureReport> {

  PostureReportAssert(PostureReport actual) {
    super(actual, PostureReportAssert.class);
  }

  /**
   * Verifies that the report has no active failure of at least {@code severity}. An empty snapshot
   * passes this check; it is not a clean result, which {@link PostureReport#isEmptySnapshot()}
   * tells.
   *
   * <pre>{@code
   * // passes: every key passes the critical rules
   * assertThat(cleanReport).hasNoActiveFailuresAtLeast(Severity.CRITICAL);
   * // fails: a key policy is public
   * assertThat(reportWithPublicKey).hasNoActiveFailuresAtLeast(Severity.CRITICAL);
   * }</pre>
   *
   * @param severity the lowest severity that fails the check
   * @return this assertion
   * @throws AssertionError if an active failure of at least {@code severity} remains
   * @since 0.1.0
   */
  public PostureReportAssert hasNoActiveFailuresAtLeast(Severity severity) {
    isNotNull();
    Objects.requireNonNull(severity, "severity");
    List<Finding> failures = new ArrayList<>();
    for (Finding f : actual.activeFailures()) {
      if (f.severity().isAtLeast(severity)) {
        failures.add(f);
      }
    }
    if (!failures.isEmpty()) {
      throwAssertionError(
          ShouldHaveNoFindings.shouldHaveNoActiveFailuresAtLeast(actual, severity, failures));
    }
    return myself;
  }

  /**
   * Verifies that rule {@code ruleId} has an active failure in the report, and navigates to those
   * failures; {@link ReportFailureAssert#forKey(String)} narrows them to one key.
   *
   * <pre>{@code
   * // passes
   * assertThat(report).hasFailure("RotationDisabled").forKey("dev-scratch");
   * // fails: no key policy is public
   * assertThat(report).hasFailure("KeyPolicyPublic");
   * }</pre>
   *
   * @param ruleId the rule id, such as {@code KeyPolicyPublic}
   * @return an assertion on the rule's active failures
   * @throws AssertionError if the rule has no active failure
   * @since 0.1.0
   */
  public ReportFailureAssert hasFailure(String ruleId) {
    isNotNull();
    Objects.requireNonNull(ruleId, "ruleId");
    List<Finding> failures = new ArrayList<>();
    for (Finding f : actual.activeFailures()) {
      if (f.ruleId().value().equals(ruleId)) {
        failures.add(f);
      }
    }
    if (failures.isEmpty()) {
      throwAssertionError(ShouldHaveFailure.shouldHaveFailure(actual, ruleId));
    }
    return new ReportFailureAssert(failures, ruleId, actual, this);
  }
}
