package dev.kmsposture.testkit.assertj;

import dev.kmsposture.access.Decision;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureReport;

/**
 * The entry point to kms-posture's AssertJ-style assertions: {@code assertThat(...)} for key
 * policies, statements, decisions, findings and posture reports, and {@code then(...)} twins for
 * the BDD style. Import it statically next to AssertJ's {@code Assertions}:
 *
 * <pre>{@code
 * import static dev.kmsposture.testkit.assertj.KmsPostureAssertions.assertThat;
 *
 * assertThat(policy)
 *     .isNotPublic()
 *     .hasNoFindingsAtLeast(Severity.RECOMMENDED)
 *     .withContext("kms:ViaService", "s3.us-east-1.amazonaws.com")
 *     .allows("arn:aws:iam::111122223333:role/App", "kms:Decrypt");
 * }</pre>
 *
 * <p>A failure says why without a debugger: the policy as compact JSON, the request, how it was
 * decided and the deciding statement with its index, Sid and JSON Pointer.
 *
 * @since 0.1.0
 */
public final class KmsPostureAssertions {
  private KmsPostureAssertions() {}

  /**
   * Returns assertions on a key policy.
   *
   * @param actual the policy
   * @return the assertion
   * @since 0.1.0
   */
  public static KeyPolicyAssert assertThat(KeyPolicy actual) {
    return new KeyPolicyAssert(actual);
  }

  /**
   * Returns assertions on a key-policy statement.
   *
   * @param actual the statement
   * @return the assertion
   * @since 0.1.0
   */
  public static StatementAssert assertThat(Statement actual) {
    return new StatementAssert(actual, -1, null);
  }

  /**
   * Returns assertions on the decision of one request.
   *
   * @param actual the decision
   * @return the assertion
   * @since 0.1.0
   */
  public static DecisionAssert assertThat(Decision actual) {
    return new DecisionAssert(actual);
  }

  /**
   * Returns assertions on a finding.
   *
   * @param actual the finding
   * @return the assertion
   * @since 0.1.0
   */
  public static FindingAssert assertThat(Finding actual) {
    return new FindingAssert(actual);
  }

  /**
   * Returns assertions on a posture report.
   *
   * @param actual the report
   * @return the assertion
   * @since 0.1.0
   */
  public static PostureReportAssert assertThat(PostureReport actual) {
    return new PostureReportAssert(actual);
  }

  /**
   * Returns assertions on a key policy, for the BDD style; see {@link #assertThat(KeyPolicy)}.
   *
   * @param actual the policy
   * @return the assertion
   * @since 0.1.0
   */
  public static KeyPolicyAssert then(KeyPolicy actual) {
    return assertThat(actual);
  }

  /**
   * Returns assertions on a statement, for the BDD style; see {@link #assertThat(Statement)}.
   *
   * @param actual the statement
   * @return the assertion
   * @since 0.1.0
   */
  public static StatementAssert then(Statement actual) {
    return assertThat(actual);
  }

  /**
   * Returns assertions on a decision, for the BDD style; see {@link #assertThat(Decision)}.
   *
   * @param actual the decision
   * @return the assertion
   * @since 0.1.0
   */
  public static DecisionAssert then(Decision actual) {
    return assertThat(actual);
  }

  /**
   * Returns assertions on a finding, for the BDD style; see {@link #assertThat(Finding)}.
   *
   * @param actual the finding
   * @return the assertion
   * @since 0.1.0
   */
  public static FindingAssert then(Finding actual) {
    return assertThat(actual);
  }

  /**
   * Returns assertions on a report, for the BDD style; see {@link #assertThat(PostureReport)}.
   *
   * @param actual the report
   * @return the assertion
   * @since 0.1.0
   */
  public static PostureReportAssert then(PostureReport actual) {
    return assertThat(actual);
  }
}
