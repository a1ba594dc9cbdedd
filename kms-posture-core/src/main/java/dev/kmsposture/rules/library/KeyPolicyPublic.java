package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.PublicVerdict;
import dev.kmsposture.access.ReasonCode;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.KeyPolicy;
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
 * The key policy lets anyone use the key: the evaluator allows a principal of an account the policy
 * does not name (outside every organization, network and source it names) some action, through an
 * Allow that names everyone ({@code "*"}), a partial-wildcard principal ({@code
 * arn:aws:iam::*:root}), a {@code NotPrincipal} or a service wildcard, despite every Deny statement
 * whose {@code Resource} covers the key ({@link AccessAnalysis#isPublic()}). {@code kms:ViaService}
 * and the encryption context do not keep such a principal out; a positive condition with fixed
 * values on an account, organization, source or network key does, and so does a Deny that refuses
 * every caller outside them. One failure per public statement, pointing at it; "may be public" when
 * the analysis cannot tell ({@link PublicVerdict#POSSIBLY_PUBLIC}).
 *
 * <p>Only operations another account can call make a key public. A wildcard Allow of operations of
 * the key's own account only (such as {@code kms:PutKeyPolicy}, which is not a cross-account
 * operation) is not public, but when it lets every principal of the key's account call them
 * whatever its IAM policies say ({@link AccessAnalysis#accountWideStatements()}) it fails too, one
 * failure per such statement: any user or role of the account could take over the key.
 *
 * <p>AWS managed keys are not applicable: AWS writes their policies.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html">Key
 *     policy overview</a>
 */
public final class KeyPolicyPublic implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("KeyPolicyPublic"))
          .summary("Key policy allows anyone to use or manage the key")
          .severity(Severity.CRITICAL)
          .rationale(
              "A key policy Allow for a wildcard principal that no condition pins to known accounts, an"
                  + " organization or a network lets any AWS principal in any account call the key's"
                  + " operations it lists: decrypt data, create grants, or change the key. kms:ViaService,"
                  + " encryption-context conditions, IfExists operators, ForAllValues qualifiers,"
                  + " negated operators and wildcard values do not narrow the caller.")
          .checklistItem("[Critical] Key policies must follow least privilege.")
          .references(
              List.of(
                  "Security Hub KMS.5",
                  "AWS Config kms-key-policy-no-public-access",
                  "Prowler kms_key_not_publicly_accessible",
                  "Checkov CKV_AWS_33",
                  "IAM Access Analyzer (KMS keys)",
                  "KMS-POL-1"))
          .remediation(
              KeyPolicyFindings.putKeyPolicy(
                  "Replace the wildcard principal with the roles or accounts that need the key, or add a"
                      + " condition with fixed values that pins the caller: \"StringEquals\":"
                      + " {\"kms:CallerAccount\": \"<account-id>\"} (together with kms:ViaService for"
                      + " service use) or \"aws:PrincipalOrgID\": \"<o-id>\"; then put the policy."))
          .tags(List.of("least-privilege", "cross-account"))
          .build();

  /** Creates the rule. */
  public KeyPolicyPublic() {}

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
    if (analysis.isPublic()) {
      List<Finding> out = new ArrayList<>();
      for (StatementReason r : analysis.publicStatements()) {
        out.add(
            Finding.fail(
                    INFO,
                    key,
                    Message.of(
                        r.code() == ReasonCode.POSSIBLY_PUBLIC
                            ? "The key policy of %s may be public: %s %s"
                            : "The key policy of %s is public: %s %s",
                        name,
                        KeyPolicyFindings.name(r),
                        r.message()))
                .at(KeyPolicyFindings.location(context, policy, r)));
      }
      if (out.isEmpty()) {
        out.add(
            Finding.fail(
                INFO,
                key,
                Message.of(
                    "The key policy of %s may be public: whether it is depends on which key its"
                        + " Resource elements name",
                    name)));
      }
      return out;
    }
    if (!analysis.accountWideStatements().isEmpty()) {
      List<Finding> out = new ArrayList<>();
      for (StatementReason r : analysis.accountWideStatements()) {
        out.add(
            Finding.fail(
                    INFO,
                    key,
                    Message.of(
                        "The key policy of %s is not public, but lets every principal of the"
                            + " key's account use or manage the key: %s %s",
                        name, KeyPolicyFindings.name(r), r.message()))
                .at(KeyPolicyFindings.location(context, policy, r)));
      }
      return out;
    }
    if (analysis.publicVerdict() == PublicVerdict.NOT_PUBLIC_ACCOUNTS_UNKNOWN) {
      return List.of(
          Finding.pass(
              INFO,
              key,
              Message.of(
                  "The key policy of %s is not public: every wildcard Allow is"
                      + " narrowed to a network origin, though which accounts can call from"
                      + " it is not known",
                  name)));
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "The key policy of %s is not public: every Allow names known"
                    + " principals or is pinned to known accounts or an organization",
                name)));
  }
}
