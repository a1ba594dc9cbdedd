package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessRequest;
import dev.kmsposture.access.Decision;
import dev.kmsposture.access.KeyAccessEvaluator;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.internal.text.Messages;
import dev.kmsposture.policy.Arn;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
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
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * An audit role (configuration {@code auditRoleArns}) cannot read the key's rotation status, policy
 * and metadata. Each role is evaluated with {@link KeyAccessEvaluator} against the key policy, for
 * {@code DescribeKey}, {@code GetKeyRotationStatus}, {@code GetKeyPolicy}, {@code
 * ListResourceTags}, {@code ListGrants} and {@code ListKeyPolicies}; one result per role.
 *
 * <ul>
 *   <li>FAIL when a statement denies one of them, or the key policy neither allows it to the role
 *       nor delegates it to the role's account.
 *   <li>UNKNOWN when the key policy delegates to IAM (an Allow for the account) and nothing in it
 *       allows the role directly: the answer rests on the role's IAM policies, which a snapshot
 *       does not hold.
 *   <li>PASS when the key policy allows every action to the role itself.
 * </ul>
 *
 * <p>A role in another account can only reach {@code DescribeKey}, {@code GetKeyRotationStatus} and
 * {@code ListGrants} (the other read operations do not work across accounts), so only those are
 * evaluated, it always needs its own IAM policy too, and the result says that reading the policy
 * needs a role in the key's account. No audit roles configured: NOT_APPLICABLE. AWS managed keys
 * are not applicable (AWS writes their policies, which let the account's IAM policies read them).
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html">Allowing
 *     users in other accounts to use a KMS key</a>
 */
public final class AuditRoleCannotReadKey implements KeyRule {
  private static final List<KmsAction> SAME_ACCOUNT =
      List.of(
          KmsAction.DESCRIBE_KEY,
          KmsAction.GET_KEY_ROTATION_STATUS,
          KmsAction.GET_KEY_POLICY,
          KmsAction.LIST_RESOURCE_TAGS,
          KmsAction.LIST_GRANTS,
          KmsAction.LIST_KEY_POLICIES);
  // DescribeKey, GetKeyRotationStatus and ListGrants: the read operations KMS serves across
  // accounts (KMS API reference, "Cross-account use" per operation).
  private static final List<KmsAction> CROSS_ACCOUNT =
      SAME_ACCOUNT.stream().filter(KmsAction::isCrossAccount).toList();

  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("AuditRoleCannotReadKey"))
          .summary("Audit role cannot read the key's rotation status, policy and metadata")
          .severity(Severity.CRITICAL)
          .rationale(
              "Without read access an auditor cannot verify that rotation is enabled or who can use"
                  + " the key: the answer to \"is rotation on\" needs the GetKeyRotationStatus call,"
                  + " not only the key policy. Audit roles need kms:Describe*, kms:Get* and kms:List*"
                  + " on every key in scope.")
          .checklistItem(
              "[Critical] Read-access to kms:GetKeyRotationStatus must be granted to the security or"
                  + " audit role.")
          .references(List.of("KMS-POL-3 (auditor role)"))
          .remediation(
              new Remediation(
                  "Add a statement that allows the audit role kms:DescribeKey, kms:GetKeyRotationStatus,"
                      + " kms:GetKeyPolicy, kms:ListResourceTags, kms:ListGrants and"
                      + " kms:ListKeyPolicies (or give it an IAM policy with them when the key policy"
                      + " delegates to IAM); use an audit role in the key's account to read the key"
                      + " policy.",
                  KeyPolicyFindings.PUT_KEY_POLICY_CLI,
                  KeyPolicyFindings.PUT_KEY_POLICY_SDK))
          .tags(List.of("logging", "least-privilege"))
          .build();

  /** Creates the rule. */
  public AuditRoleCannotReadKey() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    List<String> roles = context.config().auditRoleArns();
    String name = context.describe(key);
    if (roles.isEmpty()) {
      return List.of(
          Finding.notApplicable(
              INFO,
              key,
              Message.of(
                  "No audit roles are configured, so nobody's read access to %s is"
                      + " checked; configure auditRoleArns",
                  name)));
    }
    Optional<Finding> skip = KeyPolicyFindings.unjudgeable(INFO, key, context);
    if (skip.isPresent()) {
      return List.of(skip.get());
    }
    KeyPolicy policy = KeyPolicyFindings.policy(key, context);
    KeyAccessEvaluator evaluator =
        KeyAccessEvaluator.builder()
            .keyPolicy(policy)
            .keyArn(key.arn())
            .symmetricEncryptionKey(key.metadata().isSymmetricEncryption())
            .build();
    List<Finding> out = new ArrayList<>();
    for (String role : roles) {
      out.add(checkRole(role, key, name, policy, evaluator, context).about(role));
    }
    return out;
  }

  private static Finding checkRole(
      String role,
      KeySnapshot key,
      String name,
      KeyPolicy policy,
      KeyAccessEvaluator evaluator,
      RuleContext context) {
    Optional<String> roleAccount = Arn.tryParse(role).map(Arn::account);
    if (roleAccount.isEmpty()) {
      return Finding.unknown(
          INFO,
          key,
          Message.of(
              "The audit role [%s] in auditRoleArns is not an ARN; expected e.g."
                  + " arn:aws:iam::111122223333:role/SecurityAudit",
              role));
    }
    boolean cross = !sameAccount(roleAccount.get(), key.account());
    List<KmsAction> actions = cross ? CROSS_ACCOUNT : SAME_ACCOUNT;
    String crossNote =
        cross
            ? Messages.format(
                ". The role is in account %s, not the key's account %s: across accounts it can"
                    + " only reach DescribeKey, GetKeyRotationStatus and ListGrants; reading the key"
                    + " policy (GetKeyPolicy) and tags needs an audit role in the key's account",
                roleAccount.get(), key.account())
            : "";
    List<String> denied = new ArrayList<>();
    List<String> viaIam = new ArrayList<>();
    @Nullable Decision firstDenied = null;
    @Nullable Decision firstViaIam = null;
    for (KmsAction action : actions) {
      Decision d;
      try {
        d =
            evaluator.evaluate(
                AccessRequest.builder().principal(role).action(action).resource(key.arn()).build());
      } catch (IllegalArgumentException e) {
        return Finding.unknown(
            INFO,
            key,
            Message.of(
                "The audit role [%s] in auditRoleArns cannot be evaluated: %s",
                role, e.getMessage()));
      }
      String op = action.name().substring("kms:".length());
      if (d.isAllowed()) {
        continue;
      }
      if (d.outcome() == Decision.Outcome.IMPLICITLY_DENIED && d.delegatedToIam()) {
        viaIam.add(op);
        if (firstViaIam == null) {
          firstViaIam = d;
        }
      } else {
        denied.add(op);
        if (firstDenied == null) {
          firstDenied = d;
        }
      }
    }
    if (firstDenied != null) {
      Finding f =
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "The audit role %s cannot call %s on %s (%s)%s%s",
                  role,
                  String.join(", ", denied),
                  name,
                  firstDenied.explanation(),
                  viaIam.isEmpty()
                      ? ""
                      : "; " + String.join(", ", viaIam) + " depend on its IAM policies",
                  crossNote));
      return locate(f, firstDenied, policy, context);
    }
    if (firstViaIam != null) {
      Finding f =
          Finding.unknown(
              INFO,
              key,
              Message.of(
                  "Whether the audit role %s can call %s on %s depends on its IAM"
                      + " policies, which the snapshot does not hold: the key policy"
                      + " delegates to IAM (%s)%s",
                  role, String.join(", ", viaIam), name, firstViaIam.explanation(), crossNote));
      return locate(f, firstViaIam, policy, context);
    }
    return Finding.pass(
        INFO,
        key,
        Message.of(
            "The key policy of %s allows the audit role %s to call %s",
            name,
            role,
            String.join(
                ", ", actions.stream().map(a -> a.name().substring("kms:".length())).toList())));
  }

  private static boolean sameAccount(String roleAccount, String keyAccount) {
    return roleAccount.equals(keyAccount);
  }

  private static Finding locate(Finding f, Decision d, KeyPolicy policy, RuleContext context) {
    for (StatementRef ref : d.statements()) {
      OptionalInt at = ref.keyPolicyIndex();
      if (at.isPresent() && at.getAsInt() < policy.statements().size()) {
        return f.at(context.location(policy, at.getAsInt()));
      }
    }
    return f;
  }
}
