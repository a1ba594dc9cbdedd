package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnswer;
import dev.kmsposture.access.RootDelegation;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A production key keeps the default "Enable IAM User Permissions" statement — an Allow of {@code
 * kms:*} (or of both key administration and use) to the key's own account — without restricting it
 * to a break-glass principal.
 *
 * <p>AWS recommends that statement: it keeps the key manageable, because IAM policies in the
 * account can always reach the key (KMS Developer Guide, "Default key policy"). The finding
 * therefore does not ask for its removal; it asks to narrow it to a break-glass path — an {@code
 * aws:PrincipalArn} condition naming a break-glass role — and to name the key's administrators and
 * users explicitly.
 *
 * <p>Judged by the evaluator over the whole policy ({@link
 * dev.kmsposture.access.AccessAnalysis#rootDelegation()}): the key's account delegates when a
 * principal the policy does not name (a stand-in for every IAM user and role of the account) is
 * allowed {@code kms:PutKeyPolicy} and a cryptographic operation if its IAM policies allow, in some
 * request. So two root statements that each give one half delegate together, while an {@code
 * aws:PrincipalArn} condition naming a break-glass role, or a Deny that keeps unnamed principals
 * out, does not delegate. One failure per statement that delegates both on its own, or one for the
 * pair; UNKNOWN when the analysis cannot tell.
 *
 * <p>Production means what raises a finding's priority: an alias token in {@code
 * productionNameTokens} or a tag in {@code productionTags} ({@link
 * RuleContext#productionSignals(KeySnapshot)}). Keys without such a signal are NOT_APPLICABLE (the
 * statement is AWS's recommended default there); when the aliases or tags were not collected and
 * the statement is present, the result is UNKNOWN. AWS managed keys are not applicable.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html">Default
 *     key policy</a>
 */
public final class RootDelegationOnProductionKey implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("RootDelegationOnProductionKey"))
          .summary("Production key keeps the account-wide root kms:* statement as its steady state")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "The default key policy's root statement lets IAM policies in the account grant any"
                  + " user or role full use and administration of the key, so who can decrypt"
                  + " production data is decided by every IAM policy in the account rather than by"
                  + " the key policy. AWS recommends the statement because it keeps the key manageable;"
                  + " on a production key it should be narrowed to a break-glass path, with the key's"
                  + " administrators and users named in the key policy.")
          .checklistItem(
              "[Critical] Key policies must follow least privilege. The default key policy grants the"
                  + " entire account broad access via the account root and kms:*; it is the"
                  + " AWS-recommended default for break-glass purposes but should be tightened on any"
                  + " production CMK.")
          .references(List.of("Checkov CKV2_AWS_64 (policy defined)", "KMS-POL-3"))
          .remediation(
              new Remediation(
                  "Keep a break-glass path: add \"Condition\": {\"ArnEquals\": {\"aws:PrincipalArn\":"
                      + " \"arn:aws:iam::<account-id>:role/<break-glass-role>\"}} to the root"
                      + " statement, and add statements that name the key administrators and key"
                      + " users; then put the policy. The lockout safety check of put-key-policy"
                      + " refuses a policy that would lock the caller out.",
                  KeyPolicyFindings.PUT_KEY_POLICY_CLI,
                  KeyPolicyFindings.PUT_KEY_POLICY_SDK))
          .addTag("least-privilege")
          .build();

  /** Creates the rule. */
  public RootDelegationOnProductionKey() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    Optional<Finding> skip = KeyPolicyFindings.unjudgeable(INFO, key, context);
    if (skip.isPresent()) {
      return List.of(skip.get());
    }
    KeyPolicy policy = KeyPolicyFindings.policy(key, context);
    String name = context.describe(key);
    List<String> signals = context.productionSignals(key);
    boolean complete = key.aliases() != null && key.tags() != null;
    if (signals.isEmpty() && complete) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "%s is not a production key (no alias token or tag marks it as"
                      + " production); the root statement is AWS's recommended default"
                      + " there",
                  context.describeCapitalized(key))));
    }
    RootDelegation delegation = KeyPolicyFindings.analysis(key, context).rootDelegation();
    List<Integer> offending = delegation.statements();
    if (delegation.answer().answer() == AccessAnswer.Answer.POSSIBLY) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "Cannot tell whether the key policy of %s lets the IAM policies of account %s"
                      + " grant both use and administration of the key: %s",
                  name, key.account(), delegation.answer().why())));
    }
    if (offending.isEmpty()) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "The key policy of %s has no unrestricted root statement that"
                      + " delegates both administration and use to the account's IAM"
                      + " policies",
                  name)));
    }
    if (signals.isEmpty()) {
      return List.of(
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "Cannot tell whether %s is a production key: its %s not collected,"
                      + " and its key policy keeps the account-wide root statement",
                  name,
                  key.aliases() == null && key.tags() == null
                      ? "aliases and tags were"
                      : key.aliases() == null ? "aliases were" : "tags were")));
    }
    if (!delegation.eachAlone()) {
      int first = offending.get(0);
      int second = offending.get(offending.size() - 1);
      return List.of(
          Finding.fail(
                  INFO,
                  key,
                  Message.of(
                      "The key policy of %s, a production key (%s), lets any IAM policy in"
                          + " account %s grant full use and administration of the key through"
                          + " two root statements together (statement #%d%s administration,"
                          + " statement #%d%s use). Keep one break-glass path: restrict it with"
                          + " aws:PrincipalArn to a named break-glass role, and name the key"
                          + " administrators and users explicitly",
                      name,
                      String.join("; ", signals),
                      key.account(),
                      first,
                      sidSuffix(policy.statements().get(first)),
                      second,
                      sidSuffix(policy.statements().get(second))))
              .at(context.location(policy, first)));
    }
    List<Finding> out = new ArrayList<>();
    for (int i : offending) {
      out.add(
          Finding.fail(
                  INFO,
                  key,
                  Message.of(
                      "The key policy of %s, a production key (%s), keeps the"
                          + " account-wide root statement (statement #%d%s) that lets any IAM"
                          + " policy in account %s grant full use and administration of the"
                          + " key. AWS recommends this statement to keep the key manageable, so"
                          + " keep it as a break-glass path: restrict it with aws:PrincipalArn"
                          + " to a named break-glass role, and name the key administrators and"
                          + " users explicitly",
                      name,
                      String.join("; ", signals),
                      i,
                      sidSuffix(policy.statements().get(i)),
                      key.account()))
              .at(context.location(policy, i)));
    }
    return out;
  }

  private static String sidSuffix(Statement s) {
    return s.sid() == null ? "" : " [" + s.sid() + "]";
  }
}
