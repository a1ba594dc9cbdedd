package dev.kmsposture.rules.library;

import dev.kmsposture.policy.Principal;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeyGrant;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A grant on the key goes to (or may be retired by) a principal in an account other than the key's
 * that is not in {@code trustedAccounts}, or to a deleted principal (an IAM unique id such as
 * {@code AROA…}, which IAM leaves behind when the role or user is deleted). One result per grant,
 * about its grant id.
 *
 * <p>Service principals ({@code *.amazonaws.com}) count as trusted: they are AWS services acting
 * for a resource. A principal that is neither an ARN, an account id, a unique id nor a service
 * principal gives UNKNOWN for its grant. Grants not collected: UNKNOWN. AWS managed keys are not
 * applicable: their grants are created by the AWS service that owns the key.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/grants.html">Grants in AWS
 *     KMS</a>
 */
public final class GrantToUntrustedPrincipal implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("GrantToUntrustedPrincipal"))
          .summary("Grant gives the key's use to an untrusted or deleted principal")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "A grant lets its grantee use the key outside the key policy, and it lasts until it is"
                  + " retired or revoked. Grants to principals in accounts nobody decided to trust"
                  + " leak the key's use; grants to deleted principals are dead weight that a new"
                  + " principal with the same name does not inherit, and they hide who once had access.")
          .checklistItem(
              "[Critical] Key policies must follow least privilege. (Grants only to trusted principals.)")
          .references(
              List.of(
                  "IAM Access Analyzer (KMS grants)", "Cloud Custodian kms grants", "KMS-GRANT-1"))
          .remediation(
              new Remediation(
                  "Revoke the grant (or retire it as its retiring principal), or add the account to"
                      + " trustedAccounts after review.",
                  "aws kms revoke-grant --key-id <key-id> --grant-id <grant-id>",
                  "kms.revokeGrant(r -> r.keyId(keyId).grantId(grantId))"))
          .tags(List.of("cross-account", "least-privilege"))
          .build();

  /** Creates the rule. */
  public GrantToUntrustedPrincipal() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    String name = context.describe(key);
    Optional<Finding> skip = KeyPolicyFindings.grantsUnjudgeable(INFO, key, context);
    if (skip.isPresent() || key.grants() == null) {
      return List.of(skip.orElseThrow());
    }
    List<Finding> out = new ArrayList<>();
    for (KeyGrant g : key.grants()) {
      out.add(judge(g, key, name, context).about(g.grantId()));
    }
    return out;
  }

  private static Finding judge(KeyGrant g, KeySnapshot key, String name, RuleContext context) {
    List<String> problems = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    judgePrincipal("grantee", g.granteePrincipal(), key, context, problems, unknown);
    judgePrincipal("retiring principal", g.retiringPrincipal(), key, context, problems, unknown);
    String grant = "grant " + g.grantId() + (g.name() == null ? "" : " (" + g.name() + ")");
    if (!problems.isEmpty()) {
      return Finding.fail(
          INFO,
          key,
          Message.of(
              "The %s on %s allows %s: its %s",
              grant, name, g.operations(), String.join("; its ", problems)));
    }
    if (!unknown.isEmpty()) {
      return Finding.unknown(
          INFO,
          key,
          Message.of(
              "Cannot tell whom the %s on %s trusts: its %s",
              grant, name, String.join("; its ", unknown)));
    }
    return Finding.pass(
        INFO,
        key,
        Message.of(
            "The %s on %s goes to %s, in the key's account, a trusted account"
                + " or an AWS service",
            grant, name, g.granteePrincipal()));
  }

  private static void judgePrincipal(
      String role,
      @Nullable String principal,
      KeySnapshot key,
      RuleContext context,
      List<String> problems,
      List<String> unknown) {
    if (principal == null || principal.isEmpty()) {
      return;
    }
    if (isServicePrincipal(principal)) {
      return;
    }
    Principal.Aws p;
    try {
      p = Principal.aws(principal);
    } catch (IllegalArgumentException e) {
      unknown.add(role + " " + principal + " is not a recognized principal");
      return;
    }
    if (p.kind() == Principal.AwsKind.UNIQUE_ID) {
      problems.add(
          role
              + " "
              + principal
              + " is a deleted principal (an IAM unique id): retire or revoke the grant");
      return;
    }
    Optional<String> account = p.accountId().map(a -> a.value());
    if (account.isEmpty()) {
      unknown.add(role + " " + principal + " is not a recognized principal");
      return;
    }
    if (!account.get().equals(key.account())
        && !context.config().trustedAccounts().contains(account.get())) {
      problems.add(
          role
              + " "
              + principal
              + " is in account "
              + account.get()
              + ", which is neither the key's account "
              + key.account()
              + " nor a trusted account");
    }
  }

  private static boolean isServicePrincipal(String p) {
    return !p.startsWith("arn:")
        && p.endsWith(".amazonaws.com")
        && p.indexOf('/') < 0
        && p.indexOf('*') < 0;
  }
}
