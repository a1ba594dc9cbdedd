package dev.kmsposture.testkit.assertj;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.rules.Status;
import dev.kmsposture.testkit.internal.Rendering;
import dev.kmsposture.testkit.internal.ShouldMatch;
import java.util.Objects;
import org.assertj.core.api.AbstractObjectAssert;

/**
 * Assertions on one {@link Finding}: its rule, status, severity, key and message. Get one with
 * {@link KmsPostureAssertions#assertThat(Finding)}.
 *
 * @since 0.1.0
 */
public final class FindingAssert extends AbstractObjectAssert<FindingAssert, Finding> {

  FindingAssert(Finding actual) {
    super(actual, FindingAssert.class);
  }

  private void fail(String expectation, String but) {
    throwAssertionError(
        ShouldMatch.shouldMatch(
            "finding", actual.status() + " " + Rendering.failure(actual), expectation, but));
  }

  /**
   * Verifies the rule that made the finding.
   *
   * <pre>{@code
   * // passes
   * assertThat(finding).hasRuleId("KeyPolicyPublic");
   * // fails: it is a RotationDisabled finding
   * assertThat(rotationFinding).hasRuleId("KeyPolicyPublic");
   * }</pre>
   *
   * @param ruleId the rule id, such as {@code KeyPolicyPublic}
   * @return this assertion
   * @throws AssertionError if another rule made the finding
   * @since 0.1.0
   */
  public FindingAssert hasRuleId(String ruleId) {
    isNotNull();
    Objects.requireNonNull(ruleId, "ruleId");
    if (!actual.ruleId().value().equals(ruleId)) {
      fail("have rule id " + ruleId, "it has " + actual.ruleId());
    }
    return myself;
  }

  /**
   * Verifies the finding's status.
   *
   * <pre>{@code
   * // passes
   * assertThat(finding).hasStatus(Status.FAIL);
   * // fails: the key passed the rule
   * assertThat(passingFinding).hasStatus(Status.FAIL);
   * }</pre>
   *
   * @param status the status
   * @return this assertion
   * @throws AssertionError if the status differs
   * @since 0.1.0
   */
  public FindingAssert hasStatus(Status status) {
    isNotNull();
    Objects.requireNonNull(status, "status");
    if (actual.status() != status) {
      fail("have status " + status, "it has " + actual.status());
    }
    return myself;
  }

  /**
   * Verifies the finding's severity.
   *
   * <pre>{@code
   * // passes
   * assertThat(publicFinding).hasSeverity(Severity.CRITICAL);
   * // fails: a missing description is OPTIONAL
   * assertThat(descriptionFinding).hasSeverity(Severity.CRITICAL);
   * }</pre>
   *
   * @param severity the severity
   * @return this assertion
   * @throws AssertionError if the severity differs
   * @since 0.1.0
   */
  public FindingAssert hasSeverity(Severity severity) {
    isNotNull();
    Objects.requireNonNull(severity, "severity");
    if (actual.severity() != severity) {
      fail("have severity " + severity, "it has " + actual.severity());
    }
    return myself;
  }

  /**
   * Verifies that the finding is an active failure: status FAIL, neither suppressed nor baselined.
   *
   * <pre>{@code
   * // passes
   * assertThat(finding).isActiveFailure();
   * // fails: the failure is suppressed
   * assertThat(suppressedFinding).isActiveFailure();
   * }</pre>
   *
   * @return this assertion
   * @throws AssertionError if the finding is not an active failure
   * @since 0.1.0
   */
  public FindingAssert isActiveFailure() {
    isNotNull();
    if (!actual.isActiveFailure()) {
      fail(
          "be an active failure",
          "it is " + actual.status() + " with disposition " + actual.disposition());
    }
    return myself;
  }

  /**
   * Verifies that the finding is about the key named {@code key} (its alias without {@code alias/},
   * or its ARN when it has no alias).
   *
   * <pre>{@code
   * // passes
   * assertThat(finding).isAboutKey("prod-customer-pii");
   * // fails: the finding is about another key
   * assertThat(finding).isAboutKey("dev-scratch");
   * }</pre>
   *
   * @param key the key's name in reports
   * @return this assertion
   * @throws AssertionError if the finding is about another key
   * @since 0.1.0
   */
  public FindingAssert isAboutKey(String key) {
    isNotNull();
    Objects.requireNonNull(key, "key");
    if (!actual.subject().equals(key)) {
      fail("be about the key named " + key, "it is about " + actual.subject());
    }
    return myself;
  }

  /**
   * Verifies that the finding's message contains {@code text}.
   *
   * <pre>{@code
   * // passes
   * assertThat(finding).hasMessageContaining("public");
   * // fails
   * assertThat(finding).hasMessageContaining("rotation");
   * }</pre>
   *
   * @param text the text
   * @return this assertion
   * @throws AssertionError if the message does not contain it
   * @since 0.1.0
   */
  public FindingAssert hasMessageContaining(String text) {
    isNotNull();
    Objects.requireNonNull(text, "text");
    if (!actual.message().contains(text)) {
      fail("have a message containing [" + text + "]", "it does not");
    }
    return myself;
  }
}
