package dev.kmsposture.testkit.assertj;

import dev.kmsposture.access.Decision;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.policy.StatementPlace;
import dev.kmsposture.testkit.internal.Rendering;
import dev.kmsposture.testkit.internal.ShouldMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractObjectAssert;

/**
 * Assertions on the {@link Decision} of one request: its outcome and the statements that decided
 * it. Get one with {@link KmsPostureAssertions#assertThat(Decision)} or {@link
 * AccessAssert#decision()}.
 *
 * @since 0.1.0
 */
public final class DecisionAssert extends AbstractObjectAssert<DecisionAssert, Decision> {

  DecisionAssert(Decision actual) {
    super(actual, DecisionAssert.class);
  }

  private void fail(String expectation, String but) {
    throwAssertionError(
        ShouldMatch.shouldMatch("decision", actual.explanation(), expectation, but));
  }

  /**
   * Verifies that the request was allowed.
   *
   * <pre>{@code
   * // passes
   * assertThat(KeyAccessEvaluator.evaluate(policy, appDecrypts)).isAllowed();
   * // fails: nothing allows a stranger
   * assertThat(KeyAccessEvaluator.evaluate(policy, strangerDecrypts)).isAllowed();
   * }</pre>
   *
   * @return this assertion
   * @throws AssertionError if the request was not allowed
   * @since 0.1.0
   */
  public DecisionAssert isAllowed() {
    isNotNull();
    if (!actual.isAllowed()) {
      fail("be allowed", "it is " + Rendering.outcome(actual));
    }
    return myself;
  }

  /**
   * Verifies that a Deny statement denied the request.
   *
   * <pre>{@code
   * // passes: DenyOutsideOrganization applies
   * assertThat(KeyAccessEvaluator.evaluate(policy, outsiderDecrypts)).isExplicitlyDenied();
   * // fails: the request is allowed
   * assertThat(KeyAccessEvaluator.evaluate(policy, appDecrypts)).isExplicitlyDenied();
   * }</pre>
   *
   * @return this assertion
   * @throws AssertionError if no Deny statement applied
   * @since 0.1.0
   */
  public DecisionAssert isExplicitlyDenied() {
    isNotNull();
    if (actual.outcome() != Decision.Outcome.EXPLICITLY_DENIED) {
      fail("be explicitly denied", "it is " + Rendering.outcome(actual));
    }
    return myself;
  }

  /**
   * Verifies that no statement allowed the request and none denied it.
   *
   * <pre>{@code
   * // passes
   * assertThat(KeyAccessEvaluator.evaluate(policy, strangerDecrypts)).isImplicitlyDenied();
   * // fails
   * assertThat(KeyAccessEvaluator.evaluate(policy, appDecrypts)).isImplicitlyDenied();
   * }</pre>
   *
   * @return this assertion
   * @throws AssertionError if the request was allowed or explicitly denied
   * @since 0.1.0
   */
  public DecisionAssert isImplicitlyDenied() {
    isNotNull();
    if (actual.outcome() != Decision.Outcome.IMPLICITLY_DENIED) {
      fail("be implicitly denied", "it is " + Rendering.outcome(actual));
    }
    return myself;
  }

  /**
   * Verifies that the decision rests on the key policy delegating to the account's IAM policies.
   *
   * <pre>{@code
   * // passes: the default key policy names the account root
   * assertThat(KeyAccessEvaluator.evaluate(defaultPolicy, roleDecrypts)).restsOnIamDelegation();
   * // fails: KeyUsers names the role itself
   * assertThat(KeyAccessEvaluator.evaluate(policy, appDecrypts)).restsOnIamDelegation();
   * }</pre>
   *
   * @return this assertion
   * @throws AssertionError if the decision does not rest on IAM delegation
   * @since 0.1.0
   */
  public DecisionAssert restsOnIamDelegation() {
    isNotNull();
    if (!actual.delegatedToIam()) {
      fail("rest on the key policy's delegation to IAM", "it does not");
    }
    return myself;
  }

  /**
   * Verifies that the statement with Sid {@code sid} took part in the decision (the allowing or
   * denying statement, or the nearest miss of an implicit denial).
   *
   * <pre>{@code
   * // passes
   * assertThat(KeyAccessEvaluator.evaluate(policy, appDecrypts)).isDecidedByStatement("KeyUsers");
   * // fails: KeyAdministrators does not allow kms:Decrypt
   * assertThat(KeyAccessEvaluator.evaluate(policy, appDecrypts)).isDecidedByStatement("KeyAdministrators");
   * }</pre>
   *
   * @param sid the statement's Sid
   * @return this assertion
   * @throws AssertionError if no statement with that Sid decided the request
   * @since 0.1.0
   */
  public DecisionAssert isDecidedByStatement(String sid) {
    isNotNull();
    Objects.requireNonNull(sid, "sid");
    List<String> deciding = new ArrayList<>();
    for (StatementRef ref : actual.statements()) {
      StatementPlace at = ref.place();
      if (at != null && sid.equals(at.sid())) {
        return myself;
      }
      deciding.add(ref.describe());
    }
    fail(
        "be decided by the statement with Sid [" + sid + "]",
        deciding.isEmpty() ? "no statement decided it" : "it was decided by " + deciding);
    return myself;
  }
}
