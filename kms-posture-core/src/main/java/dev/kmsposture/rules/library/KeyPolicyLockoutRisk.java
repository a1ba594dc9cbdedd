package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.LockoutVerdict;
import dev.kmsposture.access.ReasonCode;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.access.StatementRef;
import dev.kmsposture.access.Witness;
import dev.kmsposture.policy.KeyPolicy;
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
import java.util.OptionalInt;

/**
 * Nobody can change the key policy any more: the evaluator allows no principal of the key's account
 * {@code kms:PutKeyPolicy}, whatever request it sends ({@link AccessAnalysis#lockoutVerdict()}).
 * FAIL for {@link LockoutVerdict#LOCKED_OUT}: no Allow names a principal that can act (only deleted
 * principals, left behind as unique ids such as {@code AROA…}, or unrecognized values), or a Deny
 * takes it from every principal an Allow names (a Deny to everyone, to the account, with a {@code
 * NotPrincipal} that exempts only a role, or with a condition such as {@code ArnNotEquals
 * aws:PrincipalArn} naming a principal that has no Allow), or only principals in other accounts are
 * named ({@code PutKeyPolicy} does not work across accounts, KMS API reference, "Cross-account use:
 * No"). An Allow for the account counts as someone: its IAM policies decide. UNKNOWN when a
 * principal is allowed only with request context it does not choose ({@link
 * LockoutVerdict#LOCKED_OUT_UNLESS}, such as an Allow before a past date or a Deny outside an
 * organization) or the analysis cannot tell. AWS managed keys are not applicable.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key">Prevent
 *     an unmanageable KMS key</a>
 */
public final class KeyPolicyLockoutRisk implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("KeyPolicyLockoutRisk"))
          .summary("Nobody can change the key policy any more")
          .severity(Severity.CRITICAL)
          .rationale(
              "A key whose policy nobody can change is unmanageable: its access cannot be fixed, its"
                  + " administrators cannot be replaced, and only AWS Support can restore control."
                  + " This happens when the only principals allowed kms:PutKeyPolicy were deleted (the"
                  + " policy then shows their unique ids) or a Deny takes kms:PutKeyPolicy from"
                  + " everyone.")
          .checklistItem(
              "[Critical] Key policies must follow least privilege. (The key stays manageable: someone can change its policy.)")
          .references(List.of("KMS-POL-5"))
          .remediation(
              new Remediation(
                  "If some principal can still call PutKeyPolicy through IAM, put a policy that names a"
                      + " live administrator role (and keeps the root statement as a break-glass"
                      + " path); otherwise contact AWS Support to regain access to the key.",
                  KeyPolicyFindings.PUT_KEY_POLICY_CLI,
                  KeyPolicyFindings.PUT_KEY_POLICY_SDK))
          .addTag("lockout")
          .build();

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
    LockoutVerdict verdict = analysis.lockoutVerdict();
    switch (verdict) {
      case NOT_LOCKED_OUT -> {
        return List.of(
            Finding.pass(
                INFO,
                key,
                Message.of(
                    "Someone can still change the key policy of %s: %s",
                    name, analysis.lockoutExplanation())));
      }
      case LOCKED_OUT_UNLESS, POSSIBLY_LOCKED_OUT -> {
        Finding f =
            Finding.unknown(
                INFO,
                key,
                Message.of(
                    "Cannot tell whether anyone can still change the key policy of %s: %s",
                    name, analysis.lockoutExplanation()));
        Optional<Integer> at =
            analysis.lockoutWitness().map(KeyPolicyLockoutRisk::decidingStatement);
        if (at.isPresent() && at.get() >= 0) {
          f = f.at(context.location(policy, at.get()));
        }
        return List.of(f);
      }
      default -> {}
    }
    Lockout lockout = context.derive(key, LOCKOUT).orElseThrow();
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

  private static int decidingStatement(Witness w) {
    for (StatementRef ref : w.decision().statements()) {
      OptionalInt at = ref.keyPolicyIndex();
      if (at.isPresent()) {
        return at.getAsInt();
      }
    }
    return -1;
  }

  /**
   * What the rule reads from a locked-out policy: when the policy allows kms:PutKeyPolicy only to
   * principals in other accounts, the first such statement; and the statement that best explains
   * the lockout (a Deny that takes it away, else the first statement about it).
   */
  private record Lockout(Optional<StatementReason> remoteOnly, Optional<StatementReason> cause) {}

  private static final PolicyDerivation<Lockout> LOCKOUT =
      (policy, analysis, config) -> {
        Optional<StatementReason> remoteOnly =
            analysis.lockoutReasons().stream()
                .filter(r -> r.code() == ReasonCode.ALLOWS_PUT_KEY_POLICY_ONLY_ACROSS_ACCOUNTS)
                .findFirst();
        Optional<StatementReason> cause =
            analysis.lockoutReasons().stream()
                .filter(r -> r.code() == ReasonCode.DENIES_PUT_KEY_POLICY)
                .findFirst()
                .or(() -> analysis.lockoutReasons().stream().findFirst());
        return new Lockout(remoteOnly, cause);
      };
}
