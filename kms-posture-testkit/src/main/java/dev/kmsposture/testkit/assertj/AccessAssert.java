package dev.kmsposture.testkit.assertj;

import dev.kmsposture.access.Decision;
import dev.kmsposture.policy.KmsAction;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractAssert;

/**
 * The result of {@link KeyPolicyAssert#allows} or {@link KeyPolicyAssert#denies}: a request the
 * policy was checked against, which can be checked again with more context, or whose decision can
 * be inspected.
 *
 * <pre>{@code
 * assertThat(policy)
 *     .withContext("kms:ViaService", "s3.us-east-1.amazonaws.com")
 *     .allows(appRole, "kms:Decrypt")
 *     .when("kms:EncryptionContext:app", "billing")
 *     .decision()
 *     .isDecidedByStatement("KeyUsersViaS3");
 * }</pre>
 *
 * @since 0.1.0
 */
public final class AccessAssert extends AbstractAssert<AccessAssert, Decision> {
  private final KeyPolicyAssert policy;
  private final String principal;
  private final KmsAction action;
  private final Map<String, List<String>> context;
  private final boolean allow;

  AccessAssert(
      KeyPolicyAssert policy,
      String principal,
      KmsAction action,
      Map<String, List<String>> context,
      boolean allow,
      Decision decision) {
    super(decision, AccessAssert.class);
    this.policy = policy;
    this.principal = principal;
    this.action = action;
    this.context = context;
    this.allow = allow;
  }

  /**
   * Verifies that the request is still allowed (after {@code allows}) or still denied (after {@code
   * denies}) when the request context also holds {@code key} with {@code values}.
   *
   * <pre>{@code
   * // passes: the App role may decrypt directly and with an encryption context
   * assertThat(policy).allows(appRole, "kms:Decrypt").when("kms:EncryptionContext:app", "billing");
   * // fails: the DenyOutsideVpc statement denies requests from another VPC endpoint
   * assertThat(policy).allows(appRole, "kms:Decrypt").when("aws:SourceVpce", "vpce-other");
   * }</pre>
   *
   * @param key the context key
   * @param values its values
   * @return an assertion on the request with the added context
   * @throws AssertionError if the decision changes with the added context
   * @since 0.1.0
   */
  public AccessAssert when(String key, String... values) {
    return policy.check(principal, action, KeyPolicyAssert.addContext(context, key, values), allow);
  }

  /**
   * Navigates to the decision of the request.
   *
   * @return an assertion on the decision
   * @since 0.1.0
   */
  public DecisionAssert decision() {
    return new DecisionAssert(actual);
  }

  /**
   * Returns to the policy, to check more requests.
   *
   * @return the policy assertion this request came from
   * @since 0.1.0
   */
  public KeyPolicyAssert returnToPolicy() {
    return policy;
  }
}
