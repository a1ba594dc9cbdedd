package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.PolicyLocation;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.snapshot.KeyPart;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import java.util.Optional;

/**
 * What the key-policy rules share: the common NOT_APPLICABLE and UNKNOWN results, statement
 * locations for analysis reasons, and the {@code PutKeyPolicy} remediation.
 */
final class KeyPolicyFindings {
  /** The AWS CLI command that replaces a key policy. */
  static final String PUT_KEY_POLICY_CLI =
      "aws kms put-key-policy --key-id <key-id> --policy-name default --policy file://policy.json";

  /** The SDK for Java v2 call that replaces a key policy. */
  static final String PUT_KEY_POLICY_SDK =
      "kms.putKeyPolicy(r -> r.keyId(keyId).policyName(\"default\").policy(policyJson))";

  /** Why rules that judge a key policy do not judge AWS managed keys. */
  static final String AWS_MANAGED =
      "AWS writes and maintains the key policy of an AWS managed key; it cannot be changed";

  private KeyPolicyFindings() {}

  /** Returns a remediation that rewrites the key policy with {@code put-key-policy}. */
  static Remediation putKeyPolicy(String description) {
    return new Remediation(description, PUT_KEY_POLICY_CLI, PUT_KEY_POLICY_SDK);
  }

  /**
   * Returns the result for a key that a key-policy rule does not judge: NOT_APPLICABLE for an AWS
   * managed key, UNKNOWN (with the reason) when the policy is not available. Empty when the rule
   * can judge the key.
   */
  static Optional<Finding> unjudgeable(RuleInfo info, KeySnapshot key, RuleContext context) {
    if (!key.metadata().isCustomerManaged()) {
      return Optional.of(
          Finding.notApplicable(
              info,
              key,
              Message.of("%s is not judged: %s", context.describeCapitalized(key), AWS_MANAGED)));
    }
    Optional<String> problem = context.policyProblem(key);
    if (problem.isPresent() || context.analysis(key).isEmpty()) {
      return Optional.of(
          Finding.unknown(
              info,
              key,
              Message.of(
                  "Cannot judge the key policy of %s: %s",
                  context.describe(key),
                  problem.orElse("the key ARN carries no valid account id"))));
    }
    return Optional.empty();
  }

  /** Returns the analysis of a key that {@link #unjudgeable} accepted. */
  static AccessAnalysis analysis(KeySnapshot key, RuleContext context) {
    return context
        .analysis(key)
        .orElseThrow(() -> new IllegalStateException("bug in kms-posture: no analysis"));
  }

  /** Returns the parsed policy of a key that {@link #unjudgeable} accepted. */
  static KeyPolicy policy(KeySnapshot key, RuleContext context) {
    return context
        .policy(key)
        .orElseThrow(() -> new IllegalStateException("bug in kms-posture: no policy"));
  }

  /** Returns the location of the statement an analysis reason is about. */
  static PolicyLocation location(RuleContext context, KeyPolicy policy, StatementReason reason) {
    return context.location(policy, reason.place().index());
  }

  /** Returns how a message names a statement: {@code statement #1 [Sid]}. */
  static String name(StatementReason reason) {
    return "statement #"
        + reason.place().index()
        + (reason.place().sid() == null ? "" : " [" + reason.place().sid() + "]");
  }

  /**
   * Returns whether the statement's principals are only the key's own account ({@code
   * arn:aws:iam::ACCOUNT:root} or the bare id): the key policy delegates to the account's IAM
   * policies, which then decide.
   */
  static boolean namesOnlyOwnAccount(Statement s, String account) {
    if (s.isNotPrincipal() || s.principals().isEmpty()) {
      return false;
    }
    for (Principal p : s.principals()) {
      if (!isOwnAccount(p, account)) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether {@code p} is the account {@code account} (root ARN or bare id). */
  static boolean isOwnAccount(Principal p, String account) {
    if (!(p instanceof Principal.Aws aws)) {
      return false;
    }

    return aws.kind() == Principal.AwsKind.ACCOUNT
        && aws.accountId().map(a -> a.value().equals(account)).orElse(false);
  }

  /** Returns {@code reasons} without those about statements that name only the key's account. */
  static List<StatementReason> excludingOwnAccountStatements(
      List<StatementReason> reasons, KeyPolicy policy, String account) {
    return reasons.stream()
        .filter(r -> !namesOnlyOwnAccount(policy.statements().get(r.place().index()), account))
        .toList();
  }

  /**
   * Returns {@code reasons} without those about statements whose principals are all accounts (root
   * ARNs or bare ids, of any account): such a statement delegates to the IAM policies of the named
   * accounts, where a condition such as {@code kms:ViaService} then belongs.
   */
  static List<StatementReason> excludingAccountDelegations(
      List<StatementReason> reasons, KeyPolicy policy) {
    return reasons.stream()
        .filter(r -> !namesOnlyAccounts(policy.statements().get(r.place().index())))
        .toList();
  }

  static boolean namesOnlyAccounts(Statement s) {
    if (s.isNotPrincipal() || s.principals().isEmpty()) {
      return false;
    }
    for (Principal p : s.principals()) {
      if (!(p instanceof Principal.Aws aws) || aws.kind() != Principal.AwsKind.ACCOUNT) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the result of a grant rule that does not need to look at single grants: not applicable
   * to AWS managed keys (their service creates their grants), unknown when the grants were not
   * read, a pass when there are none. Empty when the rule must judge each grant.
   */
  static Optional<Finding> grantsUnjudgeable(RuleInfo info, KeySnapshot key, RuleContext context) {
    if (!key.metadata().isCustomerManaged()) {
      return Optional.of(
          Finding.notApplicable(
              info,
              key,
              Message.of(
                  "%s is not judged: the AWS service that owns an AWS managed key"
                      + " creates its grants",
                  context.describeCapitalized(key))));
    }
    if (key.grants() == null) {
      return Optional.of(
          Finding.unknown(
              info,
              key,
              "Cannot judge the grants of "
                  + context.describe(key)
                  + ": "
                  + key.unreadableReason(KeyPart.GRANTS)
                      .map(r -> "they could not be read: " + r)
                      .orElse("they were not collected in the snapshot")));
    }
    if (key.grants().isEmpty()) {
      return Optional.of(
          Finding.pass(
              info, key, Message.of("%s has no grants", context.describeCapitalized(key))));
    }
    return Optional.empty();
  }
}
