package dev.kmsposture.testing;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.policy.AccountId;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;

/**
 * The key-policy fixtures the verdict tests share (core's test jar): a key of account {@link
 * #ACCOUNT}, its principals, the two Allow statements most cases start from, a policy made of
 * statements, and what the evaluator decides on the key.
 *
 * <pre>{@code
 * KeyPolicy p = TestPolicies.policy(TestPolicies.ADMIN_ALLOW, denyStatement);
 * assertThat(TestPolicies.evaluate(p, TestPolicies.ADMIN, KmsAction.PUT_KEY_POLICY).isAllowed())
 *     .isFalse();
 * }</pre>
 */
public final class TestPolicies {
  /** The account that owns the key. */
  public static final AccountId ACCOUNT = AccountId.of("111122223333");

  /** The key the policies are attached to. */
  public static final String KEY_ARN =
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  /** The key administrators' role. */
  public static final String ADMIN = "arn:aws:iam::111122223333:role/KeyAdmin";

  /** A session of {@link #ADMIN}, as KMS sees a caller that assumed the role. */
  public static final String ADMIN_SESSION =
      "arn:aws:sts::111122223333:assumed-role/KeyAdmin/alice";

  /** A break-glass role that no statement allows unless a case says so. */
  public static final String BREAK_GLASS = "arn:aws:iam::111122223333:role/BreakGlass";

  /** The account's root principal. */
  public static final String ROOT = "arn:aws:iam::111122223333:root";

  /** Allows {@link #ADMIN} everything ({@code kms:*}), Sid {@code Admin}. */
  public static final String ADMIN_ALLOW = allowEverything("Admin", ADMIN);

  /** Allows the account's root everything: the console's default statement, Sid {@code Root}. */
  public static final String ROOT_ALLOW = allowEverything("Root", ROOT);

  private TestPolicies() {}

  // Built, not constant: Error Prone's StringConcatToTextBlock fails on a text-block constant
  // inlined into another class's concatenation.
  private static String allowEverything(String sid, String principal) {
    return String.format(
        "{\"Sid\": \"%s\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"%s\"},"
            + " \"Action\": \"kms:*\", \"Resource\": \"*\"}",
        sid, principal);
  }

  /** Returns the text of a policy document (version 2012-10-17) made of {@code statements}. */
  public static String json(String... statements) {
    return "{\"Version\": \"2012-10-17\", \"Statement\": [" + String.join(",", statements) + "]}";
  }

  /** Returns the policy made of {@code statements}. */
  public static KeyPolicy policy(String... statements) {
    return KeyPolicy.parse(json(statements));
  }

  /** Returns what the evaluator decides for {@code request} on {@link #KEY_ARN}. */
  public static Decision evaluate(KeyPolicy policy, AccessRequest request) {
    return KeyAccessEvaluator.builder().keyPolicy(policy).keyArn(KEY_ARN).build().evaluate(request);
  }

  /** Returns what the evaluator decides for {@code action} by {@code principal}, no context. */
  public static Decision evaluate(KeyPolicy policy, String principal, KmsAction action) {
    return evaluate(policy, AccessRequest.builder().principal(principal).action(action).build());
  }

  /** As {@link #evaluate(KeyPolicy, String, KmsAction)}, for the policy text {@code policy}. */
  public static Decision evaluate(String policy, String principal, KmsAction action) {
    return evaluate(KeyPolicy.parse(policy), principal, action);
  }

  /**
   * Returns whether the decision lets the caller in: allowed, or left to the caller's IAM policies
   * (the key policy delegates to the account).
   */
  public static boolean getsIn(Decision d) {
    return d.isAllowed() || d.delegatedToIam();
  }
}
