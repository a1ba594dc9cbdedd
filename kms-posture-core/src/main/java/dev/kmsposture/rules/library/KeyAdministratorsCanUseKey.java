package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.PrincipalActions;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.KmsAction;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The key policy lets the same principal administer the key (change its policy, schedule its
 * deletion, disable it, tag it, re-alias it, change rotation, or create grants for anyone) and use
 * it for cryptographic operations ({@link AccessAnalysis#adminsWhoCanUse()}).
 *
 * <p>The key's own account root ({@code account … (via IAM)}) is excluded: the "Enable IAM User
 * Permissions" statement delegates to IAM and is judged by {@link RootDelegationOnProductionKey},
 * so it is not reported twice. AWS's warning is quoted in every result: whoever can change the key
 * policy can give themselves use, so separating the two duties limits accidents and makes misuse
 * visible, but does not by itself stop a determined administrator. AWS managed keys are not
 * applicable.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html">Default
 *     key policy: key administrators and key users</a>
 */
public final class KeyAdministratorsCanUseKey implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("KeyAdministratorsCanUseKey"))
          .summary("Key policy lets key administrators also use the key")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "Separating the principals that manage a key from those that encrypt and decrypt with it"
                  + " limits what one compromised or careless role can do, and keeps every use of the"
                  + " key tied to a workload. AWS warns that a principal that can change the key policy"
                  + " can give itself use permissions, so the separation is a control that makes such"
                  + " a change visible in CloudTrail, not a hard boundary.")
          .checklistItem(
              "[Critical] Key policies must follow least privilege. (Key administrators distinct from key users.)")
          .references(List.of("KMS-POL-3", "CloudSploit kms-key-policy (separation of duties)"))
          .remediation(
              KeyPolicyFindings.putKeyPolicy(
                  "Split the statement: give the administrator role the administrative actions"
                      + " (kms:Create*, kms:Describe*, kms:Enable*, kms:List*, kms:Put*, kms:Update*,"
                      + " kms:Revoke*, kms:Disable*, kms:Get*, kms:Delete*, kms:TagResource,"
                      + " kms:UntagResource, kms:ScheduleKeyDeletion, kms:CancelKeyDeletion) without"
                      + " cryptographic operations, and give the workload roles only kms:Encrypt,"
                      + " kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey* and kms:DescribeKey."))
          .addTag("least-privilege")
          .build();

  /** Creates the rule. */
  public KeyAdministratorsCanUseKey() {}

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
    AccessAnalysis analysis = KeyPolicyFindings.analysis(key, context);
    KeyPolicy policy = KeyPolicyFindings.policy(key, context);
    String name = context.describe(key);
    List<Finding> out = new ArrayList<>();
    for (PrincipalActions both : analysis.adminsWhoCanUse()) {
      if (both.grantee().isAccount(analysis.keyAccount())) {
        continue;
      }
      List<String> admin = new ArrayList<>();
      List<String> use = new ArrayList<>();
      for (KmsAction a : both.actions()) {
        (a.isCryptographic() ? use : admin).add(a.name());
      }
      Finding f =
          Finding.fail(
              INFO,
              key,
              Message.of(
                  "In the key policy of %s, %s can both administer and use the key:"
                      + " administrative actions %s and use actions %s. %s",
                  name,
                  both.principal(),
                  summarize(admin),
                  summarize(use),
                  AccessAnalysis.SELF_GRANT_WARNING));
      if (!both.reasons().isEmpty()) {
        f = f.at(KeyPolicyFindings.location(context, policy, both.reasons().get(0)));
      }
      out.add(f.about(both.principal()));
    }
    if (!out.isEmpty()) {
      return out;
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "No principal named in the key policy of %s can both administer and"
                    + " use it (the account root statement is judged by"
                    + " RootDelegationOnProductionKey). %s",
                name, AccessAnalysis.SELF_GRANT_WARNING)));
  }

  private static String summarize(List<String> actions) {
    if (actions.isEmpty()) {
      return "(none)";
    }
    if (actions.size() <= 4) {
      return String.join(", ", actions);
    }
    return String.join(", ", actions.subList(0, 3)) + " and " + (actions.size() - 3) + " more";
  }
}
