package dev.kmsposture.rules.library;

import static dev.kmsposture.rules.library.PolicyRuleFixtures.awsManaged;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.check;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.cmk;
import static dev.kmsposture.rules.library.PolicyRuleFixtures.rootAnd;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kmsposture.rules.Finding;
import dev.kmsposture.rules.PostureConfig;
import dev.kmsposture.rules.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditRoleCannotReadKeyTest {
  private static final AuditRoleCannotReadKey RULE = new AuditRoleCannotReadKey();
  private static final String AUDIT = "arn:aws:iam::111122223333:role/SecurityAudit";
  private static final PostureConfig CONFIG =
      PostureConfig.parse("auditRoleArns: ['" + AUDIT + "']");

  private static final String AUDITOR =
      """
      {"Sid": "Audit", "Effect": "Allow",
       "Principal": {"AWS": "arn:aws:iam::111122223333:role/SecurityAudit"},
       "Action": ["kms:Describe*", "kms:Get*", "kms:List*"], "Resource": "*"}""";

  private static final String ADMIN_ONLY =
      """
      {"Version": "2012-10-17", "Statement": [
        {"Sid": "Admin", "Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"},
         "Action": "kms:*", "Resource": "*"}
      ]}""";

  @Test
  void check_auditorNamedInKeyPolicy_passes() {
    List<Finding> findings =
        check(RULE, cmk("prod-customer-pii").policy(rootAnd(AUDITOR)).snapshot(), CONFIG);

    assertThat(findings).hasSize(1);
    assertThat(findings.get(0).status()).isEqualTo(Status.PASS);
    assertThat(findings.get(0).message())
        .isEqualTo(
            "The key policy of the CMK named prod-customer-pii allows the audit role "
                + AUDIT
                + " to call DescribeKey, GetKeyRotationStatus, GetKeyPolicy, ListResourceTags,"
                + " ListGrants, ListKeyPolicies");
    assertThat(findings.get(0).item()).isEqualTo(AUDIT);
  }

  @Test
  void check_keyPolicyNeitherAllowsNorDelegates_fails() {
    List<Finding> findings =
        check(RULE, cmk("prod-customer-pii").policy(ADMIN_ONLY).snapshot(), CONFIG);

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message())
        .startsWith(
            "The audit role "
                + AUDIT
                + " cannot call DescribeKey, GetKeyRotationStatus, GetKeyPolicy, ListResourceTags,"
                + " ListGrants, ListKeyPolicies on the CMK named prod-customer-pii");
  }

  @Test
  void check_denyOfGetKeyPolicy_failsAtTheDeny() {
    String deny =
        """
        {"Sid": "HidePolicy", "Effect": "Deny",
         "Principal": {"AWS": "arn:aws:iam::111122223333:role/SecurityAudit"},
         "Action": "kms:GetKeyPolicy", "Resource": "*"}""";

    List<Finding> findings =
        check(RULE, cmk("prod-customer-pii").policy(rootAnd(AUDITOR, deny)).snapshot(), CONFIG);

    assertThat(findings).extracting(Finding::status).containsExactly(Status.FAIL);
    assertThat(findings.get(0).message()).contains("cannot call GetKeyPolicy on");
    assertThat(requireNonNull(findings.get(0).location()).place().sid()).isEqualTo("HidePolicy");
  }

  @Test
  void check_defaultPolicyDelegatesToIam_isUnknown() {
    List<Finding> findings = check(RULE, cmk("prod-customer-pii").snapshot(), CONFIG);

    assertThat(findings).extracting(Finding::status).containsExactly(Status.UNKNOWN);
    assertThat(findings.get(0).message())
        .startsWith(
            "Whether the audit role "
                + AUDIT
                + " can call DescribeKey, GetKeyRotationStatus, GetKeyPolicy, ListResourceTags,"
                + " ListGrants, ListKeyPolicies on the CMK named prod-customer-pii depends on its"
                + " IAM policies, which the snapshot does not hold");
    assertThat(requireNonNull(findings.get(0).location()).place().sid())
        .isEqualTo("Enable IAM User Permissions");
  }

  @Test
  void check_auditRoleInAnotherAccount_saysPolicyNeedsALocalRole() {
    // given
    String central = "arn:aws:iam::444455556666:role/CentralAudit";
    String crossAuditor =
        AUDITOR.replace("111122223333:role/SecurityAudit", "444455556666:role/CentralAudit");
    PostureConfig config = PostureConfig.parse("auditRoleArns: ['" + central + "']");

    // when
    List<Finding> findings =
        check(RULE, cmk("prod-customer-pii").policy(rootAnd(crossAuditor)).snapshot(), config);

    // then
    assertThat(findings).extracting(Finding::status).containsExactly(Status.UNKNOWN);
    assertThat(findings.get(0).message())
        .contains("can call DescribeKey, GetKeyRotationStatus, ListGrants on")
        .contains(
            "across accounts it can only reach DescribeKey, GetKeyRotationStatus and ListGrants;"
                + " reading the key policy (GetKeyPolicy) and tags needs an audit role in the"
                + " key's account");
  }

  @Test
  void check_noAuditRolesConfigured_isNotApplicable() {
    List<Finding> findings = check(RULE, cmk("prod-customer-pii").snapshot());

    assertThat(findings).extracting(Finding::status).containsExactly(Status.NOT_APPLICABLE);
    assertThat(findings.get(0).message()).endsWith("configure auditRoleArns");
  }

  @Test
  void check_awsManagedKey_isNotApplicable() {
    assertThat(check(RULE, awsManaged("ebs").snapshot(), CONFIG))
        .extracting(Finding::status)
        .containsExactly(Status.NOT_APPLICABLE);
  }

  @Test
  void check_policyNotCollected_isUnknown() {
    assertThat(check(RULE, cmk("prod-customer-pii").policy(null).snapshot(), CONFIG))
        .extracting(Finding::status)
        .containsExactly(Status.UNKNOWN);
  }
}
