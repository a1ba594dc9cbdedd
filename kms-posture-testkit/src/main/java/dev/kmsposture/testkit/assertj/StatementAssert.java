package dev.kmsposture.testkit.assertj;

import dev.kmsposture.policy.Condition;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.testkit.internal.Rendering;
import dev.kmsposture.testkit.internal.ShouldMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractObjectAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on one key-policy {@link Statement}: its effect, principals, actions and conditions.
 * Reached from a policy with {@link KeyPolicyAssert#statement(String)}, or directly with {@link
 * KmsPostureAssertions#assertThat(Statement)}.
 *
 * @since 0.1.0
 */
public final class StatementAssert extends AbstractObjectAssert<StatementAssert, Statement> {
  private final int index;
  private final @Nullable KeyPolicyAssert policy;

  StatementAssert(Statement actual, int index, @Nullable KeyPolicyAssert policy) {
    super(actual, StatementAssert.class);
    this.index = index;
    this.policy = policy;
  }

  private String subject() {
    return index < 0 ? "statement" : KeyPolicyAssert.describe(index, actual);
  }

  private void fail(String expectation, String but) {
    throwAssertionError(
        ShouldMatch.shouldMatch(subject(), Rendering.statement(actual), expectation, but));
  }

  /**
   * Verifies that the statement is an Allow.
   *
   * <pre>{@code
   * // passes: {"Sid": "KeyUsers", "Effect": "Allow", ...}
   * assertThat(policy).statement("KeyUsers").isAllow();
   * // fails: {"Sid": "DenyOutsideOrganization", "Effect": "Deny", ...}
   * assertThat(policy).statement("DenyOutsideOrganization").isAllow();
   * }</pre>
   *
   * @return this assertion
   * @throws AssertionError if the statement is a Deny
   * @since 0.1.0
   */
  public StatementAssert isAllow() {
    isNotNull();
    if (!actual.isAllow()) {
      fail("be an Allow statement", "it is a Deny statement");
    }
    return myself;
  }

  /**
   * Verifies that the statement is a Deny.
   *
   * <pre>{@code
   * // passes
   * assertThat(policy).statement("DenyOutsideOrganization").isDeny();
   * // fails
   * assertThat(policy).statement("KeyUsers").isDeny();
   * }</pre>
   *
   * @return this assertion
   * @throws AssertionError if the statement is an Allow
   * @since 0.1.0
   */
  public StatementAssert isDeny() {
    isNotNull();
    if (actual.isAllow()) {
      fail("be a Deny statement", "it is an Allow statement");
    }
    return myself;
  }

  /**
   * Verifies that the statement's {@code Principal} (not {@code NotPrincipal}) names {@code
   * principal}: an ARN, an account id, a service principal or {@code *}.
   *
   * <pre>{@code
   * // passes
   * assertThat(policy).statement("KeyUsers").hasPrincipal("arn:aws:iam::111122223333:role/App");
   * // fails: KeyUsers names only the App role
   * assertThat(policy).statement("KeyUsers").hasPrincipal("arn:aws:iam::111122223333:role/Other");
   * }</pre>
   *
   * @param principal the principal
   * @return this assertion
   * @throws AssertionError if the statement does not name it, or names it in {@code NotPrincipal}
   * @since 0.1.0
   */
  public StatementAssert hasPrincipal(String principal) {
    isNotNull();
    Objects.requireNonNull(principal, "principal");
    List<String> values = new ArrayList<>();
    for (Principal p : actual.principals()) {
      values.add(p.value());
    }
    if (actual.isNotPrincipal()) {
      fail("name principal [" + principal + "]", "it has NotPrincipal " + values);
    } else if (!values.contains(principal)) {
      fail("name principal [" + principal + "]", "its principals are " + values);
    }
    return myself;
  }

  /**
   * Verifies that the statement's actions cover {@code action}: it is listed, or a wildcard matches
   * it (and the statement does not use {@code NotAction}).
   *
   * <pre>{@code
   * // passes: KeyUsers lists kms:Decrypt
   * assertThat(policy).statement("KeyUsers").coversAction("kms:Decrypt");
   * // fails: KeyUsers does not list kms:PutKeyPolicy
   * assertThat(policy).statement("KeyUsers").coversAction("kms:PutKeyPolicy");
   * }</pre>
   *
   * @param action the action, such as {@code kms:Decrypt}
   * @return this assertion
   * @throws AssertionError if the statement's actions do not cover {@code action}
   * @since 0.1.0
   */
  public StatementAssert coversAction(String action) {
    isNotNull();
    KmsAction wanted = KmsAction.of(Objects.requireNonNull(action, "action"));
    boolean matched = actual.actions().stream().anyMatch(a -> a.matches(wanted));
    if (actual.isNotAction()) {
      fail("cover action [" + action + "]", "it has NotAction " + actual.actions());
    } else if (!matched) {
      fail("cover action [" + action + "]", "its actions are " + actual.actions());
    }
    return myself;
  }

  /**
   * Verifies that the statement has a condition with {@code operator} on {@code key} (key letter
   * case ignored, as IAM does).
   *
   * <pre>{@code
   * // passes
   * assertThat(policy).statement("KeyUsersViaS3").hasCondition("StringEquals", "kms:ViaService");
   * // fails: KeyUsers has no condition
   * assertThat(policy).statement("KeyUsers").hasCondition("StringEquals", "kms:ViaService");
   * }</pre>
   *
   * @param operator the condition operator, such as {@code StringEquals}
   * @param key the condition key, such as {@code kms:ViaService}
   * @return this assertion
   * @throws AssertionError if the statement has no such condition
   * @since 0.1.0
   */
  public StatementAssert hasCondition(String operator, String key) {
    isNotNull();
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(key, "key");
    for (Condition c : actual.conditions()) {
      if (c.operator().name().equals(operator) && c.key().name().equalsIgnoreCase(key)) {
        return myself;
      }
    }
    fail(
        "have a condition " + operator + " on " + key,
        actual.conditions().isEmpty()
            ? "it has no condition"
            : "its conditions are " + conditions());
    return myself;
  }

  /**
   * Verifies that the statement has no condition.
   *
   * <pre>{@code
   * // passes
   * assertThat(policy).statement("KeyAdministrators").hasNoCondition();
   * // fails: KeyUsersViaS3 is conditional on kms:ViaService
   * assertThat(policy).statement("KeyUsersViaS3").hasNoCondition();
   * }</pre>
   *
   * @return this assertion
   * @throws AssertionError if the statement has a condition
   * @since 0.1.0
   */
  public StatementAssert hasNoCondition() {
    isNotNull();
    if (!actual.conditions().isEmpty()) {
      fail("have no condition", "its conditions are " + conditions());
    }
    return myself;
  }

  private String conditions() {
    List<String> out = new ArrayList<>();
    for (Condition c : actual.conditions()) {
      out.add(c.operator() + " " + c.key() + " " + c.valueTexts());
    }
    return out.toString();
  }

  /**
   * Returns to the policy this statement was reached from.
   *
   * @return the policy assertion
   * @throws IllegalStateException if the statement assertion was not reached from a policy
   * @since 0.1.0
   */
  public KeyPolicyAssert returnToPolicy() {
    if (policy == null) {
      throw new IllegalStateException(
          "this statement assertion was made with assertThat(Statement), not reached from a"
              + " policy; returnToPolicy() needs assertThat(policy).statement(sid)");
    }
    return policy;
  }
}
