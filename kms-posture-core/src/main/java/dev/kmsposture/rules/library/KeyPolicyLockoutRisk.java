package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.ReasonCode;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.policy.Principal;
import dev.kmsposture.policy.Statement;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.PolicyDerivation;
import dev.kmsposture.rules.Remediation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.List;
import java.util.Optional;

/**
 * Nobody can change the key policy any more: no Allow gives {@code kms:PutKeyPolicy} to a principal
 * that can still act (only deleted principals, left behind as unique ids such as {@code AROA…}, or
 * unrecognized values), or an unconditional Deny takes it from everyone ({@link
 * AccessAnalysis#lockoutRisk()}). An Allow for an account counts as someone: that account's IAM
 * policies decide. Principals in other accounts do not count: {@code PutKeyPolicy} does not work
 * across accounts (KMS API reference, "Cross-account use: No"). AWS managed keys are not
 * applicable.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key">Prevent
 *     an unmanageable KMS key</a>
 */
public final class KeyPolicyLockoutRisk implements KeyRule {
  private static final RuleInfo INFO =
      new RuleInfo(
          RuleId.of("KeyPolicyLockoutRisk"),
          "Nobody can change the key policy any more",
          Severity.CRITICAL,
          "A key whose policy nobody can change is unmanageable: its access cannot be fixed, its"
              + " administrators cannot be replaced, and only AWS Support can restore control."
              + " This happens when the only principals allowed kms:PutKeyPolicy were deleted (the"
              + " policy then shows their unique ids) or a Deny takes kms:PutKeyPolicy from"
              + " everyone.",
          "[Critical] Key policies must follow least privilege. (The key stays manageable: someone can change its policy.)",
          List.of("KMS-POL-5"),
          new Remediation(
              "If some principal can still call PutKeyPolicy through IAM, put a policy that names a"
                  + " live administrator role (and keeps the root statement as a break-glass"
                  + " path); otherwise contact AWS Support to regain access to the key.",
              KeyPolicyFindings.PUT_KEY_POLICY_CLI,
              KeyPolicyFindings.PUT_KEY_POLICY_SDK),
          List.of("lockout"),
          List.of());

  /** Creates the rule. */
  public KeyPolicyLockoutRisk() {}

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
    Lockout lockout = context.derive(key, LOCKOUT).orElseThrow();
    if (!analysis.lockoutRisk()) {
      if (lockout.remoteOnly.isPresent()) {
        StatementReason first = lockout.remoteOnly.get();
        return List.of(
            Finding.fail(
                    INFO,
                    key,
                    Message.of(
                        "Nobody can change the key policy of %s: only principals in other"
                            + " accounts are allowed kms:PutKeyPolicy, which does not work across"
                            + " accounts (%s %s)",
                        name, KeyPolicyFindings.name(first), first.message()))
                .at(KeyPolicyFindings.location(context, policy, first)));
      }
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "Someone can still change the key policy of %s: %s",
                  name, analysis.lockoutExplanation())));
    }
    Optional<StatementReason> cause = lockout.cause;
    Finding f =
        Finding.fail(
            INFO,
            key,
            Message.of(
                "Nobody can change the key policy of %s: %s%s",
                name,
                analysis.lockoutExplanation(),
                cause
                    .map(r -> " (" + KeyPolicyFindings.name(r) + " " + r.message() + ")")
                    .orElse("")));
    if (cause.isPresent()) {
      f = f.at(KeyPolicyFindings.location(context, policy, cause.get()));
    }
    return List.of(f);
  }

  /**
   * What the rule reads from a policy: when the policy allows kms:PutKeyPolicy only to principals
   * in other accounts, the first such statement; and the statement that best explains a lockout.
   */
  private record Lockout(Optional<StatementReason> remoteOnly, Optional<StatementReason> cause) {}

  private static final PolicyDerivation<Lockout> LOCKOUT =
      (policy, analysis, config) -> {
        List<StatementReason> allows =
            analysis.lockoutReasons().stream()
                .filter(r -> r.code() == ReasonCode.ALLOWS_PUT_KEY_POLICY)
                .toList();
        boolean local =
            allows.stream()
                .anyMatch(
                    r ->
                        reachesKeyAccount(
                            policy.statements().get(r.statementIndex()),
                            analysis.keyAccount().value()));
        Optional<StatementReason> remoteOnly =
            !allows.isEmpty() && !local ? Optional.of(allows.get(0)) : Optional.empty();
        Optional<StatementReason> cause =
            analysis.lockoutReasons().stream()
                .filter(r -> r.code() == ReasonCode.DENIES_PUT_KEY_POLICY)
                .findFirst()
                .or(() -> analysis.lockoutReasons().stream().findFirst());
        return new Lockout(remoteOnly, cause);
      };

  /**
   * Returns whether an Allow of {@code kms:PutKeyPolicy} can reach a principal in the key's
   * account: it names everyone, a wildcard pattern, a {@code NotPrincipal}, or a live principal (or
   * the account) of {@code account}. PutKeyPolicy does not work across accounts (KMS API
   * reference).
   */
  private static boolean reachesKeyAccount(Statement s, String account) {
    if (s.isNotPrincipal()) {
      return true;
    }
    for (Principal p : s.principals()) {
      if (p.isEveryone() && !(p instanceof Principal.Service)) {
        return true;
      }
      if (p instanceof Principal.Aws) {
        Principal.Aws aws = (Principal.Aws) p;
        if (aws.kind() == Principal.AwsKind.PARTIAL_WILDCARD) {
          return true;
        }
        if (aws.accountId().map(a -> a.value().equals(account)).orElse(false)
            && aws.kind() != Principal.AwsKind.UNIQUE_ID
            && aws.kind() != Principal.AwsKind.UNRECOGNIZED) {
          return true;
        }
      }
    }
    return false;
  }
}
