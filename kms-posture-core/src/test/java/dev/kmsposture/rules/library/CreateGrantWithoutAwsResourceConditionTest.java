package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.awsManaged;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.rootAnd;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreateGrantWithoutAwsResourceConditionTest {
  private static final CreateGrantWithoutAwsResourceCondition RULE =
      new CreateGrantWithoutAwsResourceCondition();

  private static String grants(String actions, String condition) {
    return """
        {"Sid": "Grants", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"},
         "Action": %s, "Resource": "*"%s}"""
        .formatted(actions, condition);
  }

  @Test
  void check_createGrantWithoutCondition_failsAtTheStatement() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-volumes")
                .policy(rootAnd(grants("[\"kms:CreateGrant\", \"kms:ListGrants\"]", "")))
                .snapshot());

    assertThat(findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "The key policy of the CMK named prod-volumes lets principals re-delegate the key:"
                + " statement #1 [Grants]")
        .contains("kms:GrantIsForAWSResource");
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("Grants");
  }

  @Test
  void check_createGrantThroughWildcard_fails() {
    List<Finding> findings =
        check(RULE, cmk("prod-volumes").policy(rootAnd(grants("\"kms:Create*\"", ""))).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
  }

  @Test
  void check_createGrantForAwsResources_passes() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-volumes")
                .policy(
                    rootAnd(
                        grants(
                            "[\"kms:CreateGrant\", \"kms:ListGrants\", \"kms:RevokeGrant\"]",
                            ", \"Condition\": {\"Bool\": {\"kms:GrantIsForAWSResource\":"
                                + " true}}")))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message())
        .startsWith("Every statement of the key policy of the CMK named prod-volumes");
  }

  @Test
  void check_conditionUnderIfExists_fails() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-volumes")
                .policy(
                    rootAnd(
                        grants(
                            "\"kms:CreateGrant\"",
                            ", \"Condition\": {\"BoolIfExists\": {\"kms:GrantIsForAWSResource\":"
                                + " true}}")))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
  }

  @Test
  void check_rootStatementOnly_passes() {
    assertThat(check(RULE, cmk("prod-volumes").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.PASS);
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("ebs").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_policyNotCollected_isUnknown() {
    assertThat(check(RULE, cmk("prod-volumes").policy(null).snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.UNKNOWN);
  }
}
