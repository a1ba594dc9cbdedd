package dev.kmsposture.rules.library;

import dev.kmsposture.access.AccessAnalysis;
import dev.kmsposture.access.StatementReason;
import dev.kmsposture.policy.KeyPolicy;
import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.KeyRule;
import dev.kmsposture.rules.Message;
import dev.kmsposture.rules.PolicyDerivation;
import dev.kmsposture.rules.RuleContext;
import dev.kmsposture.rules.RuleId;
import dev.kmsposture.rules.RuleInfo;
import dev.kmsposture.rules.Severity;
import dev.kmsposture.snapshot.KeySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An Allow gives {@code kms:CreateGrant} (named, or through {@code kms:*}, {@code kms:Create*} or
 * {@code NotAction}) without {@code "Bool": {"kms:GrantIsForAWSResource": true}} ({@link
 * AccessAnalysis#createGrantWithoutAwsResourceCondition()}): the principal can grant the key's use
 * to any principal, not only to an AWS service acting for it.
 *
 * <p>Statements that name only the key's own account are excluded: they delegate to IAM, where the
 * condition belongs, and {@link RootDelegationOnProductionKey} judges them. AWS managed keys are
 * not applicable.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource">kms:GrantIsForAWSResource</a>
 */
public final class CreateGrantWithoutAwsResourceCondition implements KeyRule {
  private static final RuleInfo INFO =
      RuleInfo.builder()
          .id(RuleId.of("CreateGrantWithoutAwsResourceCondition"))
          .summary("Key policy allows kms:CreateGrant without requiring kms:GrantIsForAWSResource")
          .severity(Severity.RECOMMENDED)
          .rationale(
              "A grant passes the key's use on to another principal, outside the key policy. Users of a"
                  + " key need kms:CreateGrant only so that integrated AWS services (EBS, RDS, …) can"
                  + " create grants for the resources they manage; \"Bool\":"
                  + " {\"kms:GrantIsForAWSResource\": true} limits them to that, so they cannot"
                  + " re-delegate the key to arbitrary principals.")
          .checklistItem(
              "[Critical] Key policies must follow least privilege. (Grant creation limited to AWS services.)")
          .references(List.of("AWS Control Tower CT.KMS.PR.3", "KMS-POL-4"))
          .remediation(
              KeyPolicyFindings.putKeyPolicy(
                  "Move kms:CreateGrant, kms:ListGrants and kms:RevokeGrant into a statement with"
                      + " \"Condition\": {\"Bool\": {\"kms:GrantIsForAWSResource\": true}}, or drop"
                      + " kms:CreateGrant from principals that do not need it; then put the policy."))
          .addTag("least-privilege")
          .build();

  /** Creates the rule. */
  public CreateGrantWithoutAwsResourceCondition() {}

  @Override
  public RuleInfo info() {
    return INFO;
  }

  // Statements allowing CreateGrant to named principals without kms:GrantIsForAWSResource.
  private static final PolicyDerivation<List<StatementReason>> UNGUARDED =
      (policy, analysis, config) ->
          KeyPolicyFindings.excludingOwnAccountStatements(
              analysis.createGrantWithoutAwsResourceCondition(),
              policy,
              analysis.keyAccount().value());

  @Override
  public List<Finding> check(KeySnapshot key, RuleContext context) {
    Optional<Finding> skip = KeyPolicyFindings.unjudgeable(INFO, key, context);
    if (skip.isPresent()) {
      return List.of(skip.get());
    }
    KeyPolicy policy = KeyPolicyFindings.policy(key, context);
    String name = context.describe(key);
    List<Finding> out = new ArrayList<>();
    for (StatementReason r : context.derive(key, UNGUARDED).orElseThrow()) {
      out.add(
          Finding.fail(
                  INFO,
                  key,
                  Message.of(
                      "The key policy of %s lets principals re-delegate the key: %s %s",
                      name, KeyPolicyFindings.name(r), r.message()))
              .at(KeyPolicyFindings.location(context, policy, r)));
    }
    if (!out.isEmpty()) {
      return out;
    }
    return List.of(
        Finding.pass(
            INFO,
            key,
            Message.of(
                "Every statement of the key policy of %s that allows"
                    + " kms:CreateGrant to named principals requires"
                    + " kms:GrantIsForAWSResource (statements for the key's own account"
                    + " delegate to IAM and are not judged here)",
                name)));
  }
}
