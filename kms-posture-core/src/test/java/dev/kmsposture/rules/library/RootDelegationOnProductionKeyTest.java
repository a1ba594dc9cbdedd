package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.awsManaged;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootDelegationOnProductionKeyTest {
  private static final RootDelegationOnProductionKey RULE = new RootDelegationOnProductionKey();

  private static String breakGlass(String operator, String value) {
    return """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "BreakGlass", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
           "Action": "kms:*", "Resource": "*",
           "Condition": {"%s": {"aws:PrincipalArn": "%s"}}},
          {"Sid": "Admins", "Effect": "Allow",
           "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
           "Action": ["kms:PutKeyPolicy", "kms:DescribeKey"], "Resource": "*"}
        ]}"""
        .formatted(operator, value);
  }

  @Test
  void check_productionKeyWithDefaultPolicy_failsKeepingTheBreakGlassAdvice() {
    // given
    var snapshot = cmk("prod-customer-pii").snapshot();

    // when
    List<Finding> findings = check(RULE, snapshot);

    // then
    assertThat(findings).hasSize(1);
    Finding f = findings.get(0);
    assertThat(f.status()).isEqualTo(Status.FAIL);
    assertThat(f.message())
        .startsWith(
            "The key policy of the CMK named prod-customer-pii, a production key (its alias"
                + " prod-customer-pii says prod; its alias prod-customer-pii says pii)")
        .contains("AWS recommends this statement to keep the key manageable")
        .contains("restrict it with aws:PrincipalArn to a named break-glass role")
        .doesNotContain("remove");
    assertThat(requireNonNull(f.location()).place().sid()).isEqualTo("Enable IAM User Permissions");
  }

  @Test
  void check_productionTag_fails() {
    List<Finding> findings =
        check(RULE, cmk("orders-data").tags("{\"Environment\": \"prod\"}").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("it is tagged Environment=prod");
  }

  @Test
  void check_rootRestrictedToBreakGlassRole_passes() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-customer-pii")
                .policy(breakGlass("ArnEquals", "arn:aws:iam::111122223333:role/BreakGlass"))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.PASS);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "The key policy of the CMK named prod-customer-pii has no unrestricted root statement"
                + " that delegates both administration and use to the account's IAM policies");
  }

  @Test
  void check_rootRestrictedToWholeAccountPattern_fails() {
    List<Finding> findings =
        check(
            RULE,
            cmk("prod-customer-pii")
                .policy(breakGlass("ArnLike", "arn:aws:iam::111122223333:*"))
                .snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("BreakGlass");
  }

  @Test
  void check_nonProductionKey_isNotApplicable() {
    List<Finding> findings = check(RULE, cmk("staging-reports").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.NOT_APPLICABLE);
    assertThat(findings.get(0).message())
        .startsWith("The CMK named staging-reports is not a production key");
  }

  @Test
  void check_tagsNotCollected_isUnknown() {
    List<Finding> findings = check(RULE, cmk("reports").tags(null).snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.UNKNOWN);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "Cannot tell whether the CMK named reports is a production key: its tags were not"
                + " collected, and its key policy keeps the account-wide root statement");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("rds").snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_policyNotCollected_isUnknown() {
    assertThat(check(RULE, cmk("prod-customer-pii").policy(null).snapshot()))
        .extracting(Finding::status)
        .containsExactly(Status.UNKNOWN);
  }
}
